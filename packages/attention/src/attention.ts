/**
 * The one entry point: `attention(q, k, v, options)`, validated once and
 * dispatched to an implementation.
 */
import { type Tensor, zeros } from '@x/tensor';
import { flashAttention } from './flash.js';
import { linearAttention } from './linear.js';
import { naiveAttention } from './naive.js';
import type { AttentionOptions } from './options.js';
import { type ResolvedCall, resolveCall } from './validate.js';

/**
 * Scaled dot-product attention, softmax(q k^T * scale + bias, masked) v, by
 * the implementation `options.implementation` names (see
 * `AttentionImplementation`); every implementation is differentiable through
 * @x/tensor's autograd.
 *
 * Shapes: q [B, H, N, d]; k [B, Hkv, M, d]; v [B, Hkv, M, dv] with Hkv
 * dividing H (grouped-query attention; Hkv = 1 is multi-query): query head
 * h reads kv head floor(h / (H / Hkv)). Query i sits at position i + M - N
 * (the last N of M keys), which is what `causal`, ALiBi and sparse patterns
 * measure from. A query row with no allowed key outputs zeros (not NaN) and
 * passes zero gradients.
 *
 * @param q - queries [B, H, N, d], float32 or float64
 * @param k - keys [B, Hkv, M, d], same dtype and backend
 * @param v - values [B, Hkv, M, dv]
 * @param options - implementation, causal, mask, scale, dropout, alibi, sparse, tile sizes, linear settings
 * @returns the output [B, H, N, dv], of q's dtype
 * @throws AttentionShapeError when shapes do not fit (batch, head size, heads not dividing, a mask that does not broadcast)
 * @throws AttentionDTypeError for non-float q / k / v, mixed dtypes, or a non-bool mask
 * @throws AttentionValueError for an out-of-range option, NaN / Infinity in the inputs, or an unsupported combination (linear with a mask)
 * @example
 * import { attention } from '@x/attention';
 * import { manualSeed, randn } from '@x/tensor';
 * manualSeed(0);
 * const q = randn([1, 2, 4, 8]);
 * const k = randn([1, 2, 4, 8]);
 * const v = randn([1, 2, 4, 8]);
 * const naive = attention(q, k, v, { causal: true, implementation: 'naive' });
 * const flash = attention(q, k, v, { causal: true, implementation: 'flash' });
 * console.log(naive.sub(flash).abs().max().item() < 1e-6); // true
 */
export function attention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions = {}): Tensor {
  const call = resolveCall(q, k, v, options);
  return run(q, k, v, call);
}

function run(q: Tensor, k: Tensor, v: Tensor, call: ResolvedCall): Tensor {
  const { batch: B, heads: H, queries: N, keys: M, valueDim: dv } = call;
  if (B * H * N === 0 || M === 0 || dv === 0)
    return zeros([B, H, N, dv], { dtype: call.dtype, backend: q.backend });
  switch (call.implementation) {
    case 'naive':
      return naiveAttention(q, k, v, call);
    case 'linear':
      return linearAttention(q, k, v, call);
    default:
      return flashAttention(q, k, v, call);
  }
}
