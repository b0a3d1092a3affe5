/**
 * The decoding cache a caller owns: what a model keeps between forward
 * calls (attention keys and values, or Mamba's conv and SSM states), with
 * the operations speculative decoding needs — keep a prefix (`truncate`),
 * keep the rows of an accepted draft path (`select`), and fork (`clone`).
 */

/** A model's decoding state across forward calls. */
export interface ModelCache {
  /** Which family of model made it (`attention` or `mamba`). */
  readonly kind: 'attention' | 'mamba';
  /** Sequences in the batch. */
  readonly batch: number;
  /** Positions held, padding included. */
  readonly length: number;
  /**
   * Keeps the first `length` positions (drops rejected draft tokens).
   * @param length - 0 <= length <= current length
   */
  truncate(length: number): void;
  /**
   * Keeps the positions at `indices`, in that order (the prefix followed by
   * the accepted path of a draft tree).
   * @param indices - positions in [0, length)
   */
  select(indices: readonly number[]): void;
  /** An independent copy. */
  clone(): ModelCache;
  /** Releases the tensors held. */
  dispose(): void;
}
