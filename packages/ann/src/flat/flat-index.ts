/**
 * `FlatIndex`: exact k-nearest-neighbour search, the ground truth of every
 * recall test (nmslib/hnswlib `bruteforce.h`, FAISS `IndexFlat`).
 *
 * Shapes: queries Q `[m, d]`, stored vectors X `[n, d]`, processed in row
 * blocks of `B` vectors. Algorithm: one matmul on @x/tensor per block,
 * `S = Q X^T` (`[m, B]`), turned into a ranking key per pair without a
 * second pass over `d` (squared L2 `|x|^2 - 2 q.x`, the `|q|^2` term being
 * constant per query; `-q.x` for inner product and cosine); a bounded heap
 * per query keeps the `k + 16` best keys over all blocks; those candidates
 * are then re-scored with the exact float64-accumulated kernel, so the
 * float32 cancellation in `|x|^2 - 2 q.x` never reorders the final top `k`.
 */
import { matmul, type Tensor, tensor, tidy } from '@x/tensor';
import { toReportedDistance } from '../distance.js';
import { type CompiledFilter, passes } from '../filter.js';
import { TopK } from '../heap.js';
import { BaseIndex, type BaseIndexOptions } from '../index-base.js';
import { openEnvelope, writeEnvelope } from '../io/envelope.js';
import { checkInteger } from '../validate.js';
import type { SearchOptions } from '../vector-index.js';
import { VectorStore } from '../vector-store.js';

/** Options of `FlatIndex`. */
export interface FlatOptions extends BaseIndexOptions {
  /** Slots to allocate up front. @default 1024 */
  capacity?: number;
}

const RESCORE_MARGIN = 16;

/**
 * Exact search by brute force: every query is compared with every vector.
 * @example
 * const index = new FlatIndex({ dimension: 2 });
 * index.addBatch([[0, 0], [3, 4]], [10, 20]);
 * index.search([3, 3], 1) // { ids: Int32Array [20], distances: Float64Array [1] }
 */
export class FlatIndex extends BaseIndex<SearchOptions> {
  readonly kind = 'flat' as const;
  protected store: VectorStore;
  private norms: Float64Array;

  /**
   * @param options - dimension, metric, capacity
   * @throws InvalidArgumentError for a bad dimension, metric or capacity
   */
  constructor(options: FlatOptions) {
    super('FlatIndex', options);
    const capacity = checkInteger(this.name, 'capacity', options.capacity ?? 1024, 1, 2 ** 31 - 1);
    this.store = new VectorStore(this.dimension, true, capacity);
    this.norms = new Float64Array(capacity);
  }

  /** The stored (normalized, under cosine) vector of `id`, or undefined. */
  getVector(id: number): Float32Array | undefined {
    const slot = this.store.slotOf(id);
    if (slot < 0) return undefined;
    return this.store.vectors.slice(slot * this.dimension, (slot + 1) * this.dimension);
  }

  protected override insert(id: number, data: Float32Array, offset: number): void {
    const slot = this.store.append(id, data, offset);
    if (this.norms.length < this.store.capacity) {
      const norms = new Float64Array(this.store.capacity);
      norms.set(this.norms);
      this.norms = norms;
    }
    let squares = 0;
    for (let i = 0; i < this.dimension; i++) squares += data[offset + i]! * data[offset + i]!;
    this.norms[slot] = squares;
  }

  protected override removeId(id: number): boolean {
    const moved = this.store.swapRemove(id);
    if (moved === null) return false;
    this.norms[moved[0]] = this.norms[moved[1]]!;
    return true;
  }

  protected override searchOne(
    query: Float32Array,
    k: number,
    options: SearchOptions,
    filter: CompiledFilter | null,
    outIds: Int32Array,
    outDistances: Float64Array,
    outOffset: number,
  ): number {
    const ids = new Int32Array(k).fill(-1);
    const distances = new Float64Array(k);
    this.searchMany(query, 1, k, options, filter, ids, distances);
    let found = 0;
    while (found < k && ids[found]! >= 0) {
      outIds[outOffset + found] = ids[found]!;
      outDistances[outOffset + found] = distances[found]!;
      found++;
    }
    return found;
  }

  protected override searchMany(
    queries: Float32Array,
    count: number,
    k: number,
    _options: SearchOptions,
    filter: CompiledFilter | null,
    outIds: Int32Array,
    outDistances: Float64Array,
  ): void {
    const d = this.dimension;
    const n = this.store.count;
    const keep = Math.min(n, k + RESCORE_MARGIN);
    const heaps = Array.from({ length: count }, () => new TopK(keep));
    const block = Math.max(256, Math.min(Math.floor((2 << 20) / d), Math.floor((8 << 20) / count)));
    const l2 = this.metric === 'l2';
    const ids = this.store.ids;
    const deleted = this.store.deleted;
    tidy(() => {
      const q = tensor(queries.subarray(0, count * d), { shape: [count, d] });
      for (let start = 0; start < n; start += block) {
        const rows = Math.min(block, n - start);
        const scores = tidy(() => {
          const x: Tensor = tensor(this.store.vectors.subarray(start * d, (start + rows) * d), {
            shape: [rows, d],
          });
          return matmul(q, x.transpose()).toTypedArray();
        });
        for (let row = 0; row < count; row++) {
          const heap = heaps[row]!;
          const base = row * rows;
          for (let r = 0; r < rows; r++) {
            const slot = start + r;
            const dot = scores[base + r]!;
            const key = l2 ? this.norms[slot]! - 2 * dot : -dot;
            if (key >= heap.bound() || deleted[slot] !== 0) continue;
            if (filter !== null && !passes(filter, slot, ids)) continue;
            heap.offer(key, slot);
          }
        }
      }
    });
    this.rescore(queries, heaps, k, outIds, outDistances);
  }

  /** Exact distances for each query's candidates; the best `k` go to the output rows. */
  private rescore(
    queries: Float32Array,
    heaps: TopK[],
    k: number,
    outIds: Int32Array,
    outDistances: Float64Array,
  ): void {
    const d = this.dimension;
    const vectors = this.store.vectors;
    const keys = new Float64Array(k + RESCORE_MARGIN);
    const slots = new Int32Array(k + RESCORE_MARGIN);
    for (let row = 0; row < heaps.length; row++) {
      const candidates = heaps[row]!.drainSorted(keys, slots);
      const best = new TopK(k);
      for (let i = 0; i < candidates; i++) {
        const slot = slots[i]!;
        best.offer(
          this.kernel(queries, row * d, vectors, slot * d, d, Number.POSITIVE_INFINITY),
          slot,
        );
      }
      const found = best.drainSorted(keys, slots);
      for (let i = 0; i < found; i++) {
        outIds[row * k + i] = this.store.ids[slots[i]!]!;
        outDistances[row * k + i] = toReportedDistance(this.metric, keys[i]!);
      }
    }
  }

  memoryBytes(): number {
    return this.store.memoryBytes() + this.norms.byteLength;
  }

  save(): Uint8Array {
    return writeEnvelope(
      'flat',
      this.metric,
      this.dimension,
      (writer) => {
        writer.f64(this.nextId);
        this.store.write(writer);
      },
      this.store.count * (this.dimension * 4 + 8),
    );
  }

  /**
   * Loads an index written by `save()`.
   * @param data - the saved bytes
   * @returns the index
   * @throws TruncatedIndexError, CorruptIndexError, UnsupportedVersionError
   * @example FlatIndex.load(index.save()).size // index.size
   */
  static load(data: Uint8Array | ArrayBuffer): FlatIndex {
    const op = 'FlatIndex.load';
    const { header, reader, finish } = openEnvelope(op, data, 'flat');
    const nextId = reader.f64();
    const store = VectorStore.read(reader, op, header.dimension);
    finish();
    const index = new FlatIndex({
      dimension: header.dimension,
      metric: header.metric,
      capacity: 1,
    });
    index.store = store;
    index.nextId = nextId;
    index.norms = new Float64Array(store.capacity);
    const d = header.dimension;
    for (let slot = 0; slot < store.count; slot++) {
      let squares = 0;
      for (let i = 0; i < d; i++) squares += store.vectors[slot * d + i]! ** 2;
      index.norms[slot] = squares;
    }
    return index;
  }
}
