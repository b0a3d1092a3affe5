/**
 * The description of one attention call that every kernel receives: sizes,
 * scale, and the rules that decide which (query, key) pairs take part. The
 * kernels read q / k / v as flat row-major typed arrays:
 *
 *   q   [B, H,   N, d]     queries
 *   k   [B, Hkv, M, d]     keys      (Hkv divides H: query head h reads kv head floor(h / (H / Hkv)))
 *   v   [B, Hkv, M, dv]    values
 *   out [B, H,   N, dv]    output
 *   lse [B, H,   N]        log-sum-exp of each row's scaled, biased, masked scores (-Infinity for a fully masked row)
 *
 * Positions: query i sits at absolute position i + (M - N), so a block of N
 * new queries lines up with the last N of M cached keys (bottom-right
 * alignment, as in FlashAttention 2.1 and PyTorch's decoding convention).
 * Key j sits at position j. Causal masking keeps j <= i + (M - N).
 */

/** float32 or float64 storage. */
export type FloatArray = Float32Array | Float64Array;

/** A boolean mask read in place through strides, broadcast to [B, H, N, M] (stride 0 on broadcast axes). */
export interface MaskView {
  /** The bool storage (1 = attend, 0 = masked). */
  readonly data: Uint8Array;
  /** Element offset of [0, 0, 0, 0]. */
  readonly offset: number;
  /** Element strides of the B, H, N and M axes. */
  readonly strides: readonly [number, number, number, number];
}

/**
 * A structured sparsity pattern over (query position, key position) pairs,
 * evaluated by the tiled kernel block by block (see `sparse-patterns.ts`).
 */
export interface KeyPattern {
  /** A short description for messages, e.g. `window(256)`. */
  readonly name: string;
  /** True when the pattern differs between heads (a per-head block layout). */
  readonly perHead: boolean;
  /** Block size the kernel should tile with, when the pattern has one (block-sparse layouts). */
  readonly blockSize?: number;
  /** Whether the query at position `p` may attend the key at position `j` (head `h`). */
  allows(p: number, j: number, h: number): boolean;
  /**
   * Key intervals the queries at positions [p0, p1) may attend, as a flat list
   * of sorted, disjoint half-open pairs [start0, end0, start1, end1, ...]
   * clipped to [0, keys).
   */
  keyRanges(p0: number, p1: number, keys: number, h: number): number[];
  /** True when every pair in [p0, p1) x [j0, j1) is allowed (the tile needs no element check). */
  covers(p0: number, p1: number, j0: number, j1: number, h: number): boolean;
}

/** Everything a kernel needs to know about one attention call besides the arrays. */
export interface AttentionProblem {
  /** B: batch size. */
  readonly batch: number;
  /** H: query heads. */
  readonly heads: number;
  /** Hkv: key / value heads (divides H). */
  readonly kvHeads: number;
  /** N: queries per head. */
  readonly queries: number;
  /** M: keys per head. */
  readonly keys: number;
  /** d: query / key head size. */
  readonly headDim: number;
  /** dv: value head size. */
  readonly valueDim: number;
  /** Multiplier of q . k before the softmax. */
  readonly scale: number;
  /** Keep only keys at or before each query's position. */
  readonly causal: boolean;
  /** A boolean mask, or null. */
  readonly mask: MaskView | null;
  /** ALiBi slopes, one per query head (bias -slope * |p - j|), or null. */
  readonly alibiSlopes: Float64Array | null;
  /** A sparsity pattern, or null for dense attention. */
  readonly pattern: KeyPattern | null;
  /** Dropout probability on the attention weights, in [0, 1). */
  readonly dropout: number;
  /** Seed of the counter-based dropout hash (see `dropout-hash.ts`). */
  readonly dropoutSeed: number;
  /** Br: query rows per tile. */
  readonly blockQuery: number;
  /** Bc: keys per tile. */
  readonly blockKey: number;
}
