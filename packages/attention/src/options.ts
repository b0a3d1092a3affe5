/**
 * The options of `attention()`, with their defaults, in one place.
 */
import type { Tensor } from '@x/tensor';
import type { SparsePattern } from './sparse-patterns.js';

/**
 * Which algorithm computes the attention. All but `linear` compute the same
 * function (softmax attention) and agree to rounding; `linear` replaces the
 * softmax by a kernel feature map and is a different model.
 * - `naive`: softmax(q k^T * scale + bias, masked) v from @x/tensor ops; O(N M) memory.
 * - `flash`: FlashAttention-2, tiled with an online softmax; O(N d) memory, hand-written backward.
 * - `sparse`: the flash kernel restricted to the tiles of `options.sparse`.
 * - `linear`: phi(q) (phi(k)^T v) with a normalizer; O(N d^2) time.
 * - `auto`: `sparse` when a pattern is given, else `flash` (faster than naive on the js backend
 *   at every size measured, from one query up).
 */
export type AttentionImplementation = 'naive' | 'flash' | 'linear' | 'sparse' | 'auto';

/** Feature maps of linear attention: `elu` is elu(x) + 1 (Katharopoulos et al.), `relu` is max(x, 0). */
export type FeatureMap = 'elu' | 'relu' | ((x: Tensor) => Tensor);

/** Options of `attention()`. */
export interface AttentionOptions {
  /** The algorithm. @default 'auto' */
  implementation?: AttentionImplementation;
  /**
   * Each query attends only keys at or before its position. Query i of N sits
   * at position i + M - N (the last N of M keys), so decoding with a KV cache
   * needs no offset. @default false
   */
  causal?: boolean;
  /**
   * Boolean mask, true = attend: shape [N, M], or any shape of rank 2 to 4
   * that broadcasts to [B, H, N, M] (tree masks from `treeMask`). A row
   * with no true entry (after `causal` and `sparse`) outputs zeros and gets
   * zero gradients. @default null
   */
  mask?: Tensor | null;
  /** Multiplier of q . k. @default 1 / sqrt(d) */
  scale?: number;
  /** Dropout probability on the attention weights, in [0, 1); 0 in evaluation. @default 0 */
  dropout?: number;
  /** Seed of the dropout mask (same seed, same mask in every implementation). @default drawn from @x/tensor's default generator */
  seed?: number;
  /** ALiBi biases: true for the paper's slopes, or one slope per query head. @default false */
  alibi?: boolean | readonly number[] | Float64Array;
  /** A sparsity pattern (`slidingWindow`, `strided`, `blockSparse`). @default null */
  sparse?: SparsePattern | null;
  /**
   * Tile sizes of flash / sparse: Br query rows by Bc keys per tile.
   * @default { query: 64, key: 64 } (a block-sparse pattern's block size when it has one)
   */
  blockSize?: number | { query?: number; key?: number };
  /** Linear attention's feature map. @default 'elu' */
  featureMap?: FeatureMap;
  /**
   * How causal linear attention runs: `scan` (a prefix-sum kernel, O(d dv)
   * state) or `chunked` (quadratic within chunks, prefix sums of chunk
   * states across them, from tensor ops; self-attention only). @default 'scan'
   */
  linearForm?: 'scan' | 'chunked';
  /** Chunk length of the chunked form. @default 64 */
  chunkSize?: number;
  /** Added to linear attention's normalizer. @default 1e-6 */
  eps?: number;
  /** Check q, k and v for NaN and Infinity (one pass over the inputs). @default true */
  checkFinite?: boolean;
}

/** Default tile sizes (measured on the js backend: see bench/). */
export const DEFAULT_BLOCK_QUERY = 64;
/** Default keys per tile. */
export const DEFAULT_BLOCK_KEY = 64;
