import { createJsBackend, listBackends, registerBackend } from './index.js';
import { runConformanceSuite } from './test/vitest.js';

// The js backend without its fused kernels (softmax, norms) exercises their compositions from primitives.
registerBackend(createJsBackend({ name: 'js-composite', fused: false }), { priority: -1 });
// Every registered backend, in float32, in every layout.
for (const backend of listBackends()) runConformanceSuite({ backend });
// float64 on the reference backend, against the float64 oracle, at a tolerance of 1e-11.
runConformanceSuite({ backend: 'js', dtype: 'float64', layouts: ['contiguous', 'transposed'] });
// float16 and bfloat16 (16-bit storage, float32 compute): tolerances of a few units in the last place.
// floor / ceil / round of 3x are skipped: the rounding of 3x to 16 bits can cross an integer, so the
// result legitimately differs from the exact reference by 1.
const stepCases = ['floor', 'ceil', 'round'];
runConformanceSuite({
  backend: 'js',
  dtype: 'float16',
  layouts: ['contiguous', 'strided'],
  toleranceScale: 400,
  skip: stepCases,
});
runConformanceSuite({
  backend: 'js',
  dtype: 'bfloat16',
  layouts: ['contiguous', 'transposed'],
  toleranceScale: 3000,
  skip: stepCases,
});
// wasm: float32 above (every case at its stated tolerance, toleranceScale 1: the SIMD kernels'
// exp/tanh/sigmoid are within 2e-7 relative and sums accumulate in float64); float64 and the 16-bit
// floats run the js kernels on views of the wasm memory, checked here as on js.
runConformanceSuite({ backend: 'wasm', dtype: 'float64', layouts: ['contiguous', 'transposed'] });
runConformanceSuite({
  backend: 'wasm',
  dtype: 'float16',
  layouts: ['contiguous', 'strided'],
  toleranceScale: 400,
  skip: stepCases,
});
