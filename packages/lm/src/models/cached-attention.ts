/**
 * The attention step every transformer layer shares: append the new keys
 * and values to the layer's cache, attend over everything cached under the
 * call's mask (or plain causal attention when no mask is needed), and merge
 * the heads.
 *
 * Shapes: q [B, H, T, d], k [B, Hkv, T, d], v [B, Hkv, T, dv] -> [B, T, H dv].
 */
import { attention, type KVCache } from '@x/attention';
import type { Tensor } from '@x/tensor';
import type { ForwardContext } from './forward-context.js';

/**
 * Multi-head (grouped-query when Hkv < H) attention of the new tokens over the cache.
 * @param q - queries [B, H, T, d], positions already encoded
 * @param k - new keys [B, Hkv, T, d]
 * @param v - new values [B, Hkv, T, dv]
 * @param context - the call's mask and positions
 * @param cache - this layer's KV cache, or null for a full-sequence pass
 * @returns the merged heads [B, T, H dv]
 */
export function cachedAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  context: ForwardContext,
  cache: KVCache | null,
): Tensor {
  const [B, H, T] = q.shape as [number, number, number, number];
  const dv = v.shape[3]!;
  // Under autocast the projections come out in 16 bits; attention and the cache run in float32.
  if (q.dtype === 'float16' || q.dtype === 'bfloat16') {
    q = q.to('float32');
    k = k.to('float32');
    v = v.to('float32');
  }
  let keys = k;
  let values = v;
  if (cache) ({ keys, values } = cache.append(k, v));
  const out = attention(q, keys, values, context.mask ? { mask: context.mask } : { causal: true });
  return out.transpose(1, 2).reshape([B, T, H * dv]);
}
