import { createJsBackend, registerBackend } from './index.js';
import { runConformanceSuite } from './test/index.js';

// The reference backend, with its fused kernels (softmax, norms) ...
runConformanceSuite({ backend: 'js' });
// ... and without them, which exercises the compositions from primitives.
registerBackend(createJsBackend({ name: 'js-composite', fused: false }), { priority: -1 });
runConformanceSuite({ backend: 'js-composite' });
// float64 on the reference backend, against the float64 oracle, at a tolerance of 1e-11.
runConformanceSuite({ backend: 'js', dtype: 'float64', layouts: ['contiguous', 'transposed'] });
