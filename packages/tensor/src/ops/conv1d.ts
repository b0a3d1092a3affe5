/**
 * Causal depthwise 1-D convolution, as in Mamba's block (PyTorch
 * `Conv1d(C, C, K, groups=C, padding=K-1)` truncated to the input length):
 *   y[b, c, t] = bias[c] + sum_{k<K} weight[c, k] * x[b, c, t - (K-1) + k]
 * with x = 0 before the start. Shapes: x [B, C, L] (or [C, L]), weight
 * [C, 1, K] or [C, K], bias [C]; y has x's shape. Composed from K shifted
 * multiply-adds (K is small), so it is differentiable for free.
 */
import { ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { zeros } from './creation.js';
import { requireFloat } from './dispatch.js';
import * as ew from './elementwise.js';
import { concat } from './join.js';
import { narrow, reshape, unsqueeze } from './views.js';

/**
 * Causal depthwise convolution along the last axis.
 * @param x - input `[B, C, L]` or `[C, L]`
 * @param weight - `[C, 1, K]` (PyTorch layout) or `[C, K]`
 * @param bias - optional `[C]`
 * @returns a tensor of x's shape
 * @throws ShapeError when channel counts differ
 */
export function conv1dCausalDepthwise(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  requireFloat('conv1dCausalDepthwise', x);
  const channels = x.shape[x.rank - 2];
  const w =
    weight.rank === 3 && weight.shape[1] === 1
      ? reshape(weight, [weight.shape[0]!, weight.shape[2]!])
      : weight;
  if (
    (x.rank !== 2 && x.rank !== 3) ||
    w.rank !== 2 ||
    w.shape[0] !== channels ||
    (bias && (bias.rank !== 1 || bias.shape[0] !== channels))
  ) {
    throw new ShapeError(
      'conv1dCausalDepthwise',
      `expects x [B, C, L] or [C, L], weight [C, 1, K] or [C, K], bias [C]; got x ${formatShape(x.shape)}, weight ${formatShape(weight.shape)}${bias ? `, bias ${formatShape(bias.shape)}` : ''}`,
      [x.shape, weight.shape],
    );
  }
  const K = w.shape[1]!;
  const L = x.shape[x.rank - 1]!;
  const padded =
    K > 1
      ? concat(
          [zeros([...x.shape.slice(0, -1), K - 1], { dtype: x.dtype, backend: x.backend }), x],
          -1,
        )
      : x;
  let y: Tensor | null = null;
  for (let k = 0; k < K; k++) {
    const term = ew.mul(narrow(padded, -1, k, L), narrow(w, 1, k, 1));
    y = y ? ew.add(y, term) : term;
  }
  if (bias) y = ew.add(y!, unsqueeze(bias, -1));
  return y!;
}
