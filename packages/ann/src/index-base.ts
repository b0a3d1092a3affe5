/**
 * The part of `VectorIndex` every index shares: validation at the entry
 * points (ids, dimensions, finite values, `k`, options), cosine
 * normalization, automatic ids, and the batch loop that writes flat
 * `[count, k]` results. Each index supplies `insert`, `searchOne`, `removeId`.
 */
import { checkMetric, type DistanceKernel, type Metric, selectKernel } from './distance.js';
import { DuplicateIdError, InvalidArgumentError, ReentrancyError } from './errors.js';
import { type CompiledFilter, compileFilter } from './filter.js';
import {
  checkId,
  checkInteger,
  checkK,
  prepareBatch,
  prepareIds,
  prepareVector,
  type VectorBatch,
  type VectorLike,
} from './validate.js';
import type {
  BatchSearchResult,
  IndexKind,
  SearchOptions,
  SearchResult,
  VectorIndex,
} from './vector-index.js';
import type { VectorStore } from './vector-store.js';

/** Options every index constructor accepts. */
export interface BaseIndexOptions {
  /** Vector length (1 to 65536). */
  dimension: number;
  /** Distance metric. @default 'l2' */
  metric?: Metric;
}

/** Shared implementation of `VectorIndex`; subclasses add the search structure. */
export abstract class BaseIndex<O extends SearchOptions = SearchOptions> implements VectorIndex {
  abstract readonly kind: IndexKind;
  readonly dimension: number;
  readonly metric: Metric;
  /** The kernel chosen for this metric and dimension. */
  protected readonly kernel: DistanceKernel;
  /** Slots, ids and (for most indexes) vectors. */
  protected abstract store: VectorStore;
  /** Next automatic id: one more than the largest id ever added. */
  protected nextId = 0;
  /** The search running now (`HnswIndex.search`), or null: searches are not re-entrant. */
  private running: string | null = null;

  /**
   * @param name - class name used in error messages
   * @param options - dimension and metric
   * @throws InvalidArgumentError for a bad dimension or metric
   */
  constructor(
    protected readonly name: string,
    options: BaseIndexOptions,
  ) {
    if (options === null || typeof options !== 'object')
      throw new InvalidArgumentError(name, 'options', options, 'an object with a dimension');
    this.dimension = checkInteger(name, 'dimension', options.dimension, 1, 65536);
    this.metric = checkMetric(name, options.metric ?? 'l2');
    this.kernel = selectKernel(this.metric, this.dimension);
  }

  /** Number of live vectors. */
  get size(): number {
    return this.store.live;
  }

  has(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && this.store.slotOf(id) >= 0;
  }

  /**
   * Throws when called from inside a search of this index (a filter
   * predicate calling back into it).
   * @param op - the method being called
   * @throws ReentrancyError while a search runs
   */
  protected checkNotSearching(op: string): void {
    if (this.running !== null) throw new ReentrancyError(op, this.running);
  }

  /** Runs a search with the re-entrancy flag set. */
  private searching<T>(op: string, run: () => T): T {
    this.checkNotSearching(op);
    this.running = op;
    try {
      return run();
    } finally {
      this.running = null;
    }
  }

  add(id: number, vector: VectorLike): void {
    const op = `${this.name}.add`;
    this.checkNotSearching(op);
    checkId(op, id);
    if (this.store.slotOf(id) >= 0) throw new DuplicateIdError(op, id);
    const data = prepareVector(op, vector, this.dimension, this.metric);
    this.beforeInsert(op, 1);
    this.insert(id, data, 0);
    if (id >= this.nextId) this.nextId = id + 1;
  }

  addBatch(vectors: VectorBatch, ids?: ArrayLike<number> | null): Int32Array {
    const op = `${this.name}.addBatch`;
    this.checkNotSearching(op);
    const { data, count } = prepareBatch(op, vectors, this.dimension, this.metric);
    const assigned = prepareIds(op, ids, count, this.nextId);
    for (let i = 0; i < count; i++)
      if (this.store.slotOf(assigned[i]!) >= 0) throw new DuplicateIdError(op, assigned[i]!);
    this.beforeInsert(op, count);
    this.insertMany(assigned, data, count);
    for (let i = 0; i < count; i++) if (assigned[i]! >= this.nextId) this.nextId = assigned[i]! + 1;
    return assigned;
  }

  search(query: VectorLike, k: number, options: O = {} as O): SearchResult {
    const op = `${this.name}.search`;
    checkK(op, k);
    const q = prepareVector(op, query, this.dimension, this.metric);
    const resolved = this.resolveOptions(op, options ?? ({} as O));
    const filter = compileFilter(op, resolved.filter, this.store);
    const ids = new Int32Array(k);
    const distances = new Float64Array(k);
    const found =
      this.size === 0 || k === 0
        ? 0
        : this.searching(op, () => this.searchOne(q, k, resolved, filter, ids, distances, 0));
    return { ids: ids.slice(0, found), distances: distances.slice(0, found) };
  }

  searchBatch(queries: VectorBatch, k: number, options: O = {} as O): BatchSearchResult {
    const op = `${this.name}.searchBatch`;
    checkK(op, k);
    const { data, count } = prepareBatch(op, queries, this.dimension, this.metric);
    const resolved = this.resolveOptions(op, options ?? ({} as O));
    const filter = compileFilter(op, resolved.filter, this.store);
    const ids = new Int32Array(count * k).fill(-1);
    const distances = new Float64Array(count * k).fill(Number.POSITIVE_INFINITY);
    if (this.size > 0 && k > 0)
      this.searching(op, () => this.searchMany(data, count, k, resolved, filter, ids, distances));
    return { count, k, ids, distances };
  }

  remove(id: number): boolean {
    this.checkNotSearching(`${this.name}.remove`);
    checkId(`${this.name}.remove`, id);
    return this.removeId(id);
  }

  abstract memoryBytes(): number;
  abstract save(): Uint8Array;

  /** Validates and fills in the search options (defaults from the index). */
  protected resolveOptions(op: string, options: O): O {
    if (typeof options !== 'object')
      throw new InvalidArgumentError(op, 'options', options, 'an object');
    return options;
  }

  /** Called before inserting `count` vectors (training checks, capacity). */
  protected beforeInsert(_op: string, _count: number): void {}

  /** Inserts a validated batch (override to build in bulk); ids are new and unique. */
  protected insertMany(ids: Int32Array, data: Float32Array, count: number): void {
    for (let i = 0; i < count; i++) this.insert(ids[i]!, data, i * this.dimension);
  }

  /** Inserts the validated vector `data[offset..+d]` under `id` (not present). */
  protected abstract insert(id: number, data: Float32Array, offset: number): void;

  /**
   * Searches one validated query; writes at most `k` ids and reported
   * distances from `outOffset`, nearest first.
   * @returns the number written
   */
  protected abstract searchOne(
    query: Float32Array,
    k: number,
    options: O,
    filter: CompiledFilter | null,
    outIds: Int32Array,
    outDistances: Float64Array,
    outOffset: number,
  ): number;

  /** Searches each row of a validated `[count, d]` batch (override for batched kernels). */
  protected searchMany(
    queries: Float32Array,
    count: number,
    k: number,
    options: O,
    filter: CompiledFilter | null,
    outIds: Int32Array,
    outDistances: Float64Array,
  ): void {
    const q = new Float32Array(this.dimension);
    for (let row = 0; row < count; row++) {
      q.set(queries.subarray(row * this.dimension, (row + 1) * this.dimension));
      this.searchOne(q, k, options, filter, outIds, outDistances, row * k);
    }
  }

  /** Removes a live `id`; returns false when absent. */
  protected abstract removeId(id: number): boolean;
}
