/**
 * ALiBi, "Attention with Linear Biases" (Press et al. 2022): instead of
 * position embeddings, each head adds -slope_h * distance to its scores. The
 * slopes are a geometric sequence: for H a power of two, slope_h =
 * 2^(-8 (h + 1) / H); otherwise the paper's recipe takes the slopes of the
 * nearest lower power of two and fills up with every other slope of the next
 * one. Distance is |p - j| between the query's position p (= i + M - N) and
 * key j, which for causal attention is the paper's p - j.
 */
import { type Tensor, tensor } from '@x/tensor';
import { AttentionValueError } from './errors.js';

function powerOfTwoSlopes(n: number): number[] {
  return Array.from({ length: n }, (_, h) => 2 ** ((-8 * (h + 1)) / n));
}

/**
 * The ALiBi slopes of `heads` heads.
 * @param heads - number of attention heads (>= 1)
 * @returns one slope per head, largest first
 * @throws AttentionValueError when heads is not a positive integer
 * @example
 * alibiSlopes(4) // [0.25, 0.0625, 0.015625, 0.00390625]
 */
export function alibiSlopes(heads: number): Float64Array {
  if (!Number.isSafeInteger(heads) || heads < 1)
    throw new AttentionValueError(
      'alibiSlopes',
      `heads must be a positive integer, got ${heads}`,
      'heads',
      heads,
    );
  const lower = 2 ** Math.floor(Math.log2(heads));
  const slopes = powerOfTwoSlopes(lower);
  if (lower < heads) {
    const extra = powerOfTwoSlopes(2 * lower).filter((_, i) => i % 2 === 0);
    slopes.push(...extra.slice(0, heads - lower));
  }
  return Float64Array.from(slopes);
}

/**
 * The additive ALiBi bias [H, N, M]: -slope_h * |i + M - N - j|.
 * @param slopes - one slope per head
 * @param queries - N
 * @param keys - M
 * @param dtype - float32 or float64
 * @param backend - the backend to create it on (default: the current one)
 * @returns the bias tensor
 * @example
 * alibiBias(Float64Array.of(0.5), 2, 2, 'float64').toArray() // [[[0, -0.5], [-0.5, 0]]]
 */
export function alibiBias(
  slopes: Float64Array,
  queries: number,
  keys: number,
  dtype: 'float32' | 'float64',
  backend?: string,
): Tensor {
  const heads = slopes.length;
  const values =
    dtype === 'float64'
      ? new Float64Array(heads * queries * keys)
      : new Float32Array(heads * queries * keys);
  const off = keys - queries;
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < queries; i++) {
      const row = (h * queries + i) * keys;
      for (let j = 0; j < keys; j++) {
        const distance = Math.abs(i + off - j);
        values[row + j] = distance === 0 ? 0 : -slopes[h]! * distance;
      }
    }
  }
  return tensor(values, { shape: [heads, queries, keys], backend });
}
