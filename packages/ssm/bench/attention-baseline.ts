/**
 * The bench's causal attention: `attention` from @x/attention (its default,
 * the tiled flash kernel), a declared devDependency of this package, so the
 * sibling edge is visible to npm, turbo and the release tooling.
 *
 * Shapes: q [1, H, N, d], k and v [1, H, M, d] -> [1, H, N, d]; query i sits at
 * position i + M - N (so one query over an M-entry cache is a decoding step).
 */
import { attention } from '@x/attention';
import type { Tensor } from '@x/tensor';

/** Causal attention of q over k, v. */
export type AttentionFn = (q: Tensor, k: Tensor, v: Tensor) => Tensor;

/**
 * @x/attention's causal attention for the bench.
 * @returns the function and a description of where it came from
 */
export function loadAttention(): { fn: AttentionFn; source: string } {
  return {
    fn: (q, k, v) => attention(q, k, v, { causal: true }),
    source: '@x/attention attention(q, k, v, { causal: true }) (auto: flash)',
  };
}
