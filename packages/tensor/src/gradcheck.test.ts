import { describe, expect, it } from 'vitest';
import { createJsBackend, registerBackend } from './index.js';
import { drawInput, gradcheck, inputDType, makeInput, OP_CASES } from './test/index.js';

registerBackend(createJsBackend({ name: 'js-composite', fused: false }), { priority: -1 });

// Every differentiable op, against central finite differences in float64, on odd shapes with
// broadcasting, with fused kernels and with their compositions.
describe.each(['js', 'js-composite', 'wasm'])('gradcheck on %s', (backend) => {
  for (const c of OP_CASES) {
    if (c.grad === false) continue;
    it(c.name, () => {
      const inputs = c.inputs.map((spec, i) => {
        const t = makeInput(
          drawInput(spec, 7 * 100 + i),
          spec.shape,
          inputDType(spec, 'float64'),
          'contiguous',
          backend,
        );
        if (t.dtype === 'float64') t.requiresGrad = true;
        return t;
      });
      const result = gradcheck(c.run, inputs, { atol: 1e-6, rtol: 1e-5 });
      expect(result.failures).toEqual([]);
      expect(result.passed).toBe(true);
    });
  }
});
