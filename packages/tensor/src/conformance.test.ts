import { createJsBackend, listBackends, registerBackend } from './index.js';
import { runConformanceSuite } from './test/index.js';

// The js backend without its fused kernels (softmax, norms) exercises their compositions from primitives.
registerBackend(createJsBackend({ name: 'js-composite', fused: false }), { priority: -1 });
// Every registered backend, in float32, in every layout.
for (const backend of listBackends()) runConformanceSuite({ backend });
// float64 on the reference backend, against the float64 oracle, at a tolerance of 1e-11.
runConformanceSuite({ backend: 'js', dtype: 'float64', layouts: ['contiguous', 'transposed'] });
