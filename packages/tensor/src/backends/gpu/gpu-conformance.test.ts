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
import { describe, expect, it } from 'vitest';
import { registerBackend } from '../../index.js';
import { runConformanceSuite } from '../../test/vitest.js';
import { createGpuBackend, headlessGlUnavailable } from './index.js';

registerBackend(createGpuBackend({ mode: 'cpu', name: 'gpu-cpu' }), { priority: -1 });
runConformanceSuite({ backend: 'gpu-cpu' });

const glReason = headlessGlUnavailable();
if (glReason === null) {
  const gl = createGpuBackend({ mode: 'headlessgl', name: 'gpu-gl' });
  registerBackend(gl, { priority: -1 });
  runConformanceSuite({ backend: 'gpu-gl' });
  describe('gpu-gl kernels', () => {
    it('all compiled to GLSL: gpu.js fell back to its CPU backend for none', () => {
      expect(gl.compiledKernels()).toBeGreaterThan(100);
      expect(gl.fallbackKernels()).toBe(0);
    });
  });
} else {
  describe.skip(`conformance: gpu-gl (skipped: ${glReason})`, () => {
    it('runs the suite on headless-gl', () => {});
  });
}
