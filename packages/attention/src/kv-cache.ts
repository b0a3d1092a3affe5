/**
 * A key / value cache for decoding: keys and values of past positions,
 * [B, Hkv, L, d] and [B, Hkv, L, dv], kept in buffers with spare capacity
 * (doubling when full, so appending T positions costs O(T) amortized) and
 * handed out as views of the first L positions. Besides `append`, decoding
 * with speculation needs `trim` (drop rejected positions: keep a prefix) and
 * `gather` (keep the accepted path of a draft tree, in order).
 *
 * The cache is for inference: appended values are detached (no gradient
 * flows into the cache), and writes happen in place, so a backward pass
 * through attention over an earlier view must run before the next write.
 */
import { dispose, formatShape, keep, noGrad, type Tensor, tensor, zeros } from '@x/tensor';
import { AttentionDTypeError, AttentionShapeError, AttentionValueError } from './errors.js';

/** Options of `KVCache`. */
export interface KVCacheOptions {
  /** Positions to reserve at the first append. @default 256 */
  capacity?: number;
}

const fmt = (shape: readonly number[]) => formatShape(shape, ',');

/**
 * One layer's key / value cache.
 * @example
 * const cache = new KVCache();
 * const { keys, values } = cache.append(k, v); // k, v: [1, 2, 5, 16]
 * cache.length // 5
 * const out = attention(q, keys, values, { causal: true }); // q: [1, 4, 5, 16]
 */
export class KVCache {
  private keyBuffer: Tensor | null = null;
  private valueBuffer: Tensor | null = null;
  private size = 0;
  private readonly initialCapacity: number;

  /**
   * @param options - initial capacity
   * @throws AttentionValueError when capacity is not a positive integer
   */
  constructor(options: KVCacheOptions = {}) {
    const capacity = options.capacity ?? 256;
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new AttentionValueError(
        'KVCache',
        `capacity must be a positive integer, got ${capacity}`,
        'capacity',
        capacity,
      );
    this.initialCapacity = capacity;
  }

  /** Number of cached positions L. */
  get length(): number {
    return this.size;
  }

  /** Positions the buffers hold before they grow. */
  get capacity(): number {
    return this.keyBuffer?.shape[2] ?? 0;
  }

  /** The cached keys [B, Hkv, L, d] (a view), or null before the first append. */
  get keys(): Tensor | null {
    return this.keyBuffer === null ? null : this.keyBuffer.narrow(2, 0, this.size);
  }

  /** The cached values [B, Hkv, L, dv] (a view), or null before the first append. */
  get values(): Tensor | null {
    return this.valueBuffer === null ? null : this.valueBuffer.narrow(2, 0, this.size);
  }

  /**
   * Appends T positions and returns views of all L + T cached positions.
   * @param k - new keys [B, Hkv, T, d]
   * @param v - new values [B, Hkv, T, dv]
   * @returns `{ keys, values }`, views of the whole cache
   * @throws AttentionShapeError when k / v do not match each other or the cached ones
   * @throws AttentionDTypeError when they are not float32 / float64 or differ from the cache's dtype
   */
  append(k: Tensor, v: Tensor): { keys: Tensor; values: Tensor } {
    const op = 'KVCache.append';
    if (
      k.rank !== 4 ||
      v.rank !== 4 ||
      k.shape[0] !== v.shape[0] ||
      k.shape[1] !== v.shape[1] ||
      k.shape[2] !== v.shape[2]
    )
      throw new AttentionShapeError(
        op,
        `k and v must be [B, Hkv, T, d] with equal B, Hkv, T, got k ${fmt(k.shape)}, v ${fmt(v.shape)}`,
        [k.shape, v.shape],
      );
    if ((k.dtype !== 'float32' && k.dtype !== 'float64') || v.dtype !== k.dtype)
      throw new AttentionDTypeError(
        op,
        `k and v must both be float32 or both float64, got ${k.dtype}, ${v.dtype}`,
        k.dtype === v.dtype ? k.dtype : v.dtype,
      );
    const T = k.shape[2]!;
    noGrad(() => {
      if (this.keyBuffer !== null) {
        const kb = this.keyBuffer;
        const vb = this.valueBuffer!;
        const same = (a: Tensor, b: Tensor) =>
          a.shape[0] === b.shape[0] && a.shape[1] === b.shape[1] && a.shape[3] === b.shape[3];
        if (!same(kb, k) || !same(vb, v) || kb.dtype !== k.dtype)
          throw new AttentionShapeError(
            op,
            `new k ${fmt(k.shape)} / v ${fmt(v.shape)} (${k.dtype}) do not match the cache's k ${fmt(kb.shape)} / v ${fmt(vb.shape)} (${kb.dtype})`,
            [k.shape, kb.shape],
          );
      }
      this.reserve(k, v, this.size + T);
      if (T > 0) {
        this.keyBuffer!.narrow(2, this.size, T).copy_(k.detach());
        this.valueBuffer!.narrow(2, this.size, T).copy_(v.detach());
      }
      this.size += T;
    });
    return { keys: this.keys!, values: this.values! };
  }

  /**
   * Keeps the first `length` positions (drops rejected draft tokens).
   * @param length - new length, 0 <= length <= current length
   * @throws AttentionValueError when length is out of range
   */
  trim(length: number): void {
    if (!Number.isSafeInteger(length) || length < 0 || length > this.size)
      throw new AttentionValueError(
        'KVCache.trim',
        `length must be an integer in [0, ${this.size}], got ${length}`,
        'length',
        length,
      );
    this.size = length;
  }

  /**
   * Keeps the positions at `indices`, in that order, as the new cache
   * (after tree verification: the prefix positions followed by the accepted
   * path's positions). A leading run that keeps positions in place
   * (`indices[i] === i`, the prefix) is not copied, so compacting after a
   * draft tree costs the accepted path, not the whole context.
   * @param indices - cache positions, each in [0, length)
   * @throws AttentionValueError when an index is out of range
   * @example
   * cache.gather([0, 1, 2, 3, 4, 6, 9]); // prefix 0..4, then accepted tree nodes at 6 and 9
   */
  gather(indices: readonly number[] | Int32Array): void {
    const list = Array.from(indices);
    list.forEach((index, i) => {
      if (!Number.isSafeInteger(index) || index < 0 || index >= this.size)
        throw new AttentionValueError(
          'KVCache.gather',
          `indices[${i}] = ${index} is outside [0, ${this.size})`,
          'indices',
          index,
        );
    });
    if (this.keyBuffer === null) return;
    let kept = 0;
    while (kept < list.length && list[kept] === kept) kept++;
    const moved = list.slice(kept);
    if (moved.length > 0)
      noGrad(() => {
        const index = tensor(Int32Array.from(moved), {
          dtype: 'int32',
          backend: this.keyBuffer!.backend,
        });
        // indexSelect copies first, so the writes below may overlap the rows read
        const keys = this.keys!.indexSelect(2, index);
        const values = this.values!.indexSelect(2, index);
        this.keyBuffer!.narrow(2, kept, moved.length).copy_(keys);
        this.valueBuffer!.narrow(2, kept, moved.length).copy_(values);
        dispose(index, keys, values);
      });
    this.size = list.length;
  }

  /**
   * An independent copy: the same positions in new buffers of the same
   * capacity, so the copy and the original can diverge (branching decoding,
   * a saved prompt prefix reused by several requests).
   * @returns the copy
   * @example
   * const fork = cache.clone();
   * fork.append(k1, v1); // cache.length is unchanged
   */
  clone(): KVCache {
    const copy = new KVCache({ capacity: this.initialCapacity });
    if (this.keyBuffer === null) return copy;
    noGrad(() => {
      copy.keyBuffer = keep(this.keyBuffer!.clone());
      copy.valueBuffer = keep(this.valueBuffer!.clone());
    });
    copy.size = this.size;
    return copy;
  }

  /** Empties the cache (keeps the buffers). */
  clear(): void {
    this.size = 0;
  }

  /** Releases the buffers. */
  dispose(): void {
    dispose(this.keyBuffer, this.valueBuffer);
    this.keyBuffer = null;
    this.valueBuffer = null;
    this.size = 0;
  }

  private reserve(k: Tensor, v: Tensor, needed: number): void {
    const current = this.capacity;
    if (needed <= current) return;
    let capacity = Math.max(current, this.initialCapacity);
    while (capacity < needed) capacity *= 2;
    const [B, Hkv, , d] = k.shape as [number, number, number, number];
    const dv = v.shape[3]!;
    const keyBuffer = keep(zeros([B, Hkv, capacity, d], { dtype: k.dtype, backend: k.backend }));
    const valueBuffer = keep(zeros([B, Hkv, capacity, dv], { dtype: k.dtype, backend: k.backend }));
    if (this.size > 0) {
      keyBuffer.narrow(2, 0, this.size).copy_(this.keys!);
      valueBuffer.narrow(2, 0, this.size).copy_(this.values!);
    }
    dispose(this.keyBuffer, this.valueBuffer);
    this.keyBuffer = keyBuffer;
    this.valueBuffer = valueBuffer;
  }
}
