/**
 * The backend conformance suite on the gpu backend, twice: through gpu.js's
 * `cpu` mode (the generated kernels run as JavaScript; always) and through its
 * real GLSL path on headless-gl (where the optional `gl` package is built and
 * an X display exists, e.g. under `xvfb-run -a`; CI runs it so). Tolerances
 * per op are those of `cases.ts` (1e-5 relative and absolute unless a case
 * states more), unscaled: float32 kernels with the stable forms of
 * `scalar-source.ts` stay within them on both paths (the largest observed
 * error is 5% of a tolerance, sum over all elements on llvmpipe).
 */
import { createRequire } from 'node:module';
import { GPU } from 'gpu.js';
import { describe, it } from 'vitest';
import { registerBackend } from '../../index.js';
import { runConformanceSuite } from '../../test/index.js';
import { createGpuBackend } from './index.js';

/** Why the headless-gl path cannot run here, or null when it can. */
function headlessGlUnavailable(): string | null {
  if (GPU.isHeadlessGLSupported) return null;
  try {
    createRequire(import.meta.url)('gl');
  } catch (error) {
    return `the optional package "gl" does not load (${(error as Error).message.split('\n')[0]}); install it with its install script allowed`;
  }
  if (!process.env.DISPLAY) return 'no X display: run the tests under `xvfb-run -a`';
  return 'headless-gl could not create a WebGL context on this display';
}

registerBackend(createGpuBackend({ mode: 'cpu', name: 'gpu-cpu' }), { priority: -1 });
runConformanceSuite({ backend: 'gpu-cpu' });

const glReason = headlessGlUnavailable();
if (glReason === null) {
  registerBackend(createGpuBackend({ mode: 'headlessgl', name: 'gpu-gl' }), { priority: -1 });
  runConformanceSuite({ backend: 'gpu-gl' });
} else {
  describe.skip(`conformance: gpu-gl (skipped: ${glReason})`, () => {
    it('runs the suite on headless-gl', () => {});
  });
}
