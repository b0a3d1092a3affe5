/**
 * `IvfFlatIndex`: an inverted file whose lists hold the raw float32 vectors
 * (FAISS `IndexIVFFlat`). Exact distances inside the probed cells; recall is
 * governed by `nprobe` alone.
 */
import { toReportedDistance } from '../distance.js';
import { CorruptIndexError } from '../errors.js';
import type { CompiledFilter } from '../filter.js';
import type { TopK } from '../heap.js';
import { openEnvelope, writeEnvelope } from '../io/envelope.js';
import { VectorStore } from '../vector-store.js';
import { InvertedLists } from './inverted-lists.js';
import { IvfIndex, type IvfOptions, readCoarseOptions } from './ivf-base.js';

/**
 * Inverted-file index with exact vectors in its lists.
 * @example
 * const index = new IvfFlatIndex({ dimension: 2, cells: 2, nprobe: 2 });
 * index.train([[0, 0], [0, 1], [9, 9], [9, 8]]);
 * index.addBatch([[0, 0], [9, 9]]);
 * index.search([8, 8], 1).ids // Int32Array [1]
 */
export class IvfFlatIndex extends IvfIndex<Float32Array> {
  readonly kind = 'ivf-flat' as const;
  protected store: VectorStore;
  protected lists: InvertedLists<Float32Array>;

  /**
   * @param options - dimension, metric, cells, nprobe, training options
   * @throws InvalidArgumentError for an out-of-range option
   */
  constructor(options: IvfOptions) {
    super('IvfFlatIndex', options);
    this.store = new VectorStore(this.dimension, false, 64);
    this.lists = new InvertedLists(this.cells, this.dimension, (n) => new Float32Array(n));
  }

  protected override insert(id: number, data: Float32Array, offset: number): void {
    const slot = this.store.append(id, null, offset);
    this.lists.append(this.nearestCell(data, offset), slot, data, offset);
  }

  protected override scanCell(
    query: Float32Array,
    cell: number,
    _cellDistance: number,
    heap: TopK,
    filter: CompiledFilter | null,
  ): void {
    const d = this.dimension;
    const length = this.lists.lengths[cell]!;
    const slots = this.lists.slots[cell]!;
    const vectors = this.lists.payloads[cell]!;
    const ids = this.store.ids;
    for (let i = 0; i < length; i++) {
      const slot = slots[i]!;
      const bound = heap.bound();
      const distance = this.kernel(query, 0, vectors, i * d, d, bound);
      if (distance >= bound) continue;
      if (
        filter !== null &&
        (filter.mask !== null ? filter.mask[slot] !== 1 : !filter.predicate!(ids[slot]!))
      )
        continue;
      heap.offer(distance, slot);
    }
  }

  protected override collect(
    _query: Float32Array,
    k: number,
    heap: TopK,
    outIds: Int32Array,
    outDistances: Float64Array,
    outOffset: number,
  ): number {
    const keys = new Float64Array(k);
    const slots = new Int32Array(k);
    const found = heap.drainSorted(keys, slots);
    for (let i = 0; i < found; i++) {
      outIds[outOffset + i] = this.store.ids[slots[i]!]!;
      outDistances[outOffset + i] = toReportedDistance(this.metric, keys[i]!);
    }
    return found;
  }

  memoryBytes(): number {
    return this.store.memoryBytes() + this.lists.memoryBytes() + (this.centroids?.byteLength ?? 0);
  }

  save(): Uint8Array {
    return writeEnvelope(
      'ivf-flat',
      this.metric,
      this.dimension,
      (writer) => {
        this.writeCoarse(writer);
        this.store.write(writer);
        this.lists.write(writer, (values) => writer.f32Array(values));
      },
      this.store.count * (this.dimension * 4 + 16),
    );
  }

  /**
   * Loads an index written by `save()`.
   * @throws TruncatedIndexError, CorruptIndexError, UnsupportedVersionError
   * @example IvfFlatIndex.load(index.save()).size // index.size
   */
  static load(data: Uint8Array | ArrayBuffer): IvfFlatIndex {
    const op = 'IvfFlatIndex.load';
    const { header, reader, finish } = openEnvelope(op, data, 'ivf-flat');
    const options = readCoarseOptions(reader);
    let index: IvfFlatIndex;
    try {
      index = new IvfFlatIndex({ dimension: header.dimension, metric: header.metric, ...options });
    } catch (error) {
      throw new CorruptIndexError(op, 'structure', `invalid stored parameters: ${String(error)}`);
    }
    index.readCoarseState(reader, options.nextId);
    index.store = VectorStore.read(reader, op, header.dimension);
    index.lists.read(reader, op, index.store.count, (n) => reader.f32Array(n));
    finish();
    checkListsMatchStore(op, index.store, index.lists.cellOf);
    return index;
  }
}

/** Every live slot must sit in exactly one list, and no removed slot in any. */
export function checkListsMatchStore(op: string, store: VectorStore, cellOf: Int32Array): void {
  for (let slot = 0; slot < store.count; slot++) {
    const listed = slot < cellOf.length && cellOf[slot]! >= 0;
    if (listed === (store.deleted[slot] === 1))
      throw new CorruptIndexError(
        op,
        'structure',
        `slot ${slot} is ${store.deleted[slot] ? 'removed but listed' : 'live but in no list'}`,
      );
  }
}
