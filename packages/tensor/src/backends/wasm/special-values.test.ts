import { describe, expect, it } from 'vitest';
import type { UnaryOpName } from '../../index.js';
import { logSoftmax, max, softmax, sum, tensor, unary } from '../../index.js';
import { WASM_UNARY_OPS } from './kernels/constants.js';

// Edge values: NaN, infinities, signed zeros, the overflow / underflow edges of exp, tiny and
// large magnitudes, and the tanh series / exp switch point; 15 values, so the one-lane tail runs.
const EDGES = [
  Number.NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  88.7,
  89,
  -87.4,
  -100,
  -104.5,
  1e-8,
  -20,
  0.2499,
  0.2501,
  3,
];

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i]!, expected[i]!];
    if (Number.isNaN(e)) expect(a, `element ${i}`).toBeNaN();
    else if (!Number.isFinite(e) || e === 0)
      expect(Object.is(a, e) || a === e, `element ${i}: ${a} vs ${e}`).toBe(true);
    else
      expect(Math.abs(a - e) / (1 + Math.abs(e)), `element ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(
        tolerance,
      );
  }
}

describe('wasm kernels on special values match the js reference', () => {
  it.each(WASM_UNARY_OPS)('%s', (op) => {
    const x = tensor(EDGES, { backend: 'wasm' });
    const reference = tensor(EDGES, { backend: 'js' });
    expectClose(
      unary(op as UnaryOpName, x).toTypedArray(),
      unary(op as UnaryOpName, reference).toTypedArray(),
      2e-6,
    );
  });

  it('softmax and log-softmax rows with -Infinity, NaN and a single element', () => {
    const rows = [
      [0, -Infinity, 1, 2, -Infinity],
      [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity],
      [1, Number.NaN, 3, 4, 5],
      [1000, -1000, 0, 999, 998],
    ];
    for (const fn of [softmax, logSoftmax]) {
      expectClose(
        fn(tensor(rows, { backend: 'wasm' }), -1).toTypedArray(),
        fn(tensor(rows, { backend: 'js' }), -1).toTypedArray(),
        1e-6,
      );
    }
    expectClose(softmax(tensor([[3]], { backend: 'wasm' }), -1).toTypedArray(), [1], 0);
  });

  it('row and column max propagate NaN; sums of long rows keep float64 accuracy', () => {
    expect(max(tensor([1, 2, Number.NaN, 4, 5, 6, 7], { backend: 'wasm' })).item()).toBeNaN();
    // Column (leading-axis) max: NaN in one column only.
    const columns = max(
      tensor(
        [
          [1, 5, 2, 0, 1],
          [3, Number.NaN, -1, 0, 7],
        ],
        { backend: 'wasm' },
      ),
      0,
    );
    expect(columns.toArray()).toEqual([3, Number.NaN, 2, 0, 7]);
    // 1 + 1e-8 * 1e6: float32 accumulation would lose the small terms entirely.
    const values = new Float32Array(1_000_001).fill(1e-8);
    values[0] = 1;
    expect(sum(tensor(values, { backend: 'wasm' })).item()).toBeCloseTo(1.01, 6);
  });
});
