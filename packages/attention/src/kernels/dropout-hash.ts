/**
 * Counter-based dropout for attention weights. FlashAttention never stores
 * the N x M dropout mask: it regenerates each decision from a seed and the
 * element's coordinates (Philox in the paper's CUDA code). This is the same
 * idea with a cheap 32-bit integer hash (MurmurHash3's fmix32 finalizer
 * applied to the seed, the (batch * H + head) index, the query row and the
 * key column), so the forward pass, the backward pass and the naive
 * reference draw identical masks without storing them.
 */

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A uniform number in [0, 1) determined by (seed, head, row, column).
 * @param seed - the call's dropout seed (an unsigned 32-bit integer)
 * @param head - batch * H + head
 * @param row - query index i
 * @param column - key index j
 * @returns the draw; the weight is kept when it is >= the dropout probability
 */
export function dropoutUniform(seed: number, head: number, row: number, column: number): number {
  let h = fmix32((seed ^ Math.imul(head + 1, 0x9e3779b1)) >>> 0);
  h = fmix32((h ^ Math.imul(row + 1, 0x85ebca77)) >>> 0);
  h = fmix32((h ^ Math.imul(column + 1, 0xc2b2ae3d)) >>> 0);
  return h / 4294967296;
}
