/**
 * The cache of a transformer: one @x/attention `KVCache` per layer, plus
 * which cached positions are real tokens (not left padding) in each row of
 * the batch, so that later steps keep masking the padding and number the
 * positions of new tokens after the real ones only.
 */
import { KVCache } from '@x/attention';
import { InputError, LmValueError } from '../errors.js';
import type { ModelCache } from './cache.js';

/** Options of `AttentionCache`. */
export interface AttentionCacheOptions {
  /** Sequences in the batch. @default 1 */
  batch?: number;
  /** Positions to reserve up front (the buffers grow past it). @default 256 */
  capacity?: number;
}

/** Keys, values and key-validity of every layer of a transformer. */
export class AttentionCache implements ModelCache {
  readonly kind = 'attention';
  readonly batch: number;
  /** One KV cache per layer. */
  readonly layers: KVCache[];
  /** valid[b][j]: position j of row b is a real token. */
  private valid: Uint8Array[];
  private size = 0;
  private readonly capacityHint: number;

  /**
   * @param layers - number of layers
   * @param options - batch size and initial capacity
   * @throws LmValueError for a non-positive batch or capacity
   */
  constructor(layers: number, options: AttentionCacheOptions = {}) {
    const batch = options.batch ?? 1;
    const capacity = options.capacity ?? 256;
    for (const [name, value] of [
      ['batch', batch],
      ['capacity', capacity],
    ] as const)
      if (!Number.isSafeInteger(value) || value < 1)
        throw new LmValueError(
          'AttentionCache',
          `${name} must be a positive integer, got ${value}`,
          name,
          value,
        );
    this.batch = batch;
    this.capacityHint = capacity;
    this.layers = Array.from({ length: layers }, () => new KVCache({ capacity }));
    this.valid = Array.from({ length: batch }, () => new Uint8Array(capacity));
  }

  /** Positions held, padding included. */
  get length(): number {
    return this.size;
  }

  /** True when some held position is padding (the model must then pass an explicit mask). */
  get hasPadding(): boolean {
    for (const row of this.valid) for (let j = 0; j < this.size; j++) if (row[j] === 0) return true;
    return false;
  }

  /**
   * Real tokens held in row `b` (the position the next real token takes).
   * @param b - a row of the batch
   */
  realTokens(b: number): number {
    let n = 0;
    const row = this.valid[b]!;
    for (let j = 0; j < this.size; j++) n += row[j]!;
    return n;
  }

  /**
   * Whether position `j` of row `b` is a real token (internal to the models).
   * @param b - row
   * @param j - position
   */
  isReal(b: number, j: number): boolean {
    return this.valid[b]![j] === 1;
  }

  /**
   * Records the validity of T new positions; the layers append their keys
   * and values themselves during the forward pass (internal to the models).
   * @param real - B x T flags, 1 for a real token
   */
  extend(real: readonly Uint8Array[]): void {
    const T = real[0]?.length ?? 0;
    const needed = this.size + T;
    this.valid = this.valid.map((row, b) => {
      let out = row;
      if (needed > row.length) {
        out = new Uint8Array(Math.max(needed, 2 * row.length));
        out.set(row.subarray(0, this.size));
      }
      out.set(real[b]!, this.size);
      return out;
    });
    this.size = needed;
  }

  /** @inheritdoc */
  truncate(length: number): void {
    if (!Number.isSafeInteger(length) || length < 0 || length > this.size)
      throw new InputError(
        'AttentionCache.truncate',
        `length must be an integer in [0, ${this.size}], got ${length}`,
        'length',
      );
    for (const layer of this.layers) if (layer.length > length) layer.trim(length);
    this.size = length;
  }

  /** @inheritdoc */
  select(indices: readonly number[]): void {
    indices.forEach((index, i) => {
      if (!Number.isSafeInteger(index) || index < 0 || index >= this.size)
        throw new InputError(
          'AttentionCache.select',
          `indices[${i}] = ${index} is outside [0, ${this.size})`,
          'indices',
        );
    });
    for (const layer of this.layers) layer.gather(indices);
    this.valid = this.valid.map((row) => {
      const out = new Uint8Array(Math.max(row.length, indices.length));
      indices.forEach((index, i) => {
        out[i] = row[index]!;
      });
      return out;
    });
    this.size = indices.length;
  }

  /** @inheritdoc */
  clone(): AttentionCache {
    const copy = new AttentionCache(0, { batch: this.batch, capacity: this.capacityHint });
    (copy as { layers: KVCache[] }).layers = this.layers.map((layer) => layer.clone());
    copy.valid = this.valid.map((row) => row.slice());
    copy.size = this.size;
    return copy;
  }

  /** @inheritdoc */
  dispose(): void {
    for (const layer of this.layers) layer.dispose();
    this.size = 0;
  }
}

/**
 * The cache argument as an attention cache of batch B (internal to the models).
 * @param op - calling operation
 * @param cache - the caller's cache
 * @param B - batch size of ids
 */
export function attentionCacheOf(op: string, cache: unknown, B: number): AttentionCache | null {
  if (cache === undefined || cache === null) return null;
  if (!(cache instanceof AttentionCache))
    throw new InputError(op, "cache must come from this model's createCache()", 'cache');
  if (cache.batch !== B)
    throw new InputError(op, `cache holds ${cache.batch} sequences, ids have ${B}`, 'cache');
  return cache;
}
