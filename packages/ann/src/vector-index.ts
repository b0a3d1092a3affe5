/**
 * The `VectorIndex` interface every index implements (flat, HNSW, IVF-PQ,
 * IVF-Flat, random-projection forest), and its result and option types.
 * Results are flat typed arrays, nearest first (usearch's JS binding returns
 * the same shape): per query at most `k` ids with their distances.
 */
import type { Metric } from './distance.js';
import type { VectorBatch, VectorLike } from './validate.js';

/** The kinds of index, as recorded in saved files. */
export type IndexKind = 'flat' | 'hnsw' | 'ivf-pq' | 'ivf-flat' | 'rp-forest';

/**
 * Restricts a search to some ids: a predicate called with each candidate id,
 * or the set (array) of allowed ids. Indexes apply it while they search (a
 * rejected vector can still guide HNSW's walk), not to a result list after.
 */
export type SearchFilter = ((id: number) => boolean) | ReadonlySet<number> | ArrayLike<number>;

/** Options every index's search accepts. */
export interface SearchOptions {
  /** Only return vectors this filter allows. */
  filter?: SearchFilter;
}

/** The neighbours of one query, nearest first. */
export interface SearchResult {
  /** Ids, at most `k` (fewer when the index or the filter holds fewer). */
  ids: Int32Array;
  /**
   * Distances, ascending: squared L2 (`l2`), `1 - dot` (`ip`) or
   * `1 - cosine similarity` (`cosine`).
   */
  distances: Float64Array;
}

/** The neighbours of a batch of queries, one row of `k` per query. */
export interface BatchSearchResult {
  /** Number of queries. */
  count: number;
  /** Row length. */
  k: number;
  /** `[count, k]` ids, row-major; rows with fewer than `k` results are padded with -1. */
  ids: Int32Array;
  /** `[count, k]` distances, padded with `Infinity`. */
  distances: Float64Array;
}

/** What every index offers. */
export interface VectorIndex {
  /** The index kind. */
  readonly kind: IndexKind;
  /** Vector length, checked at every entry point. */
  readonly dimension: number;
  /** Distance metric. */
  readonly metric: Metric;
  /** Number of live (not removed) vectors. */
  readonly size: number;
  /**
   * Adds one vector under `id`.
   * @throws DimensionError, InvalidVectorError, DuplicateIdError, InvalidArgumentError
   */
  add(id: number, vector: VectorLike): void;
  /**
   * Adds many vectors (a flat `[n * d]` array or an array of vectors).
   * @param ids - one per vector; default: consecutive ids after the largest id seen
   * @returns the ids used
   */
  addBatch(vectors: VectorBatch, ids?: ArrayLike<number> | null): Int32Array;
  /** The `k` nearest live vectors to `query`. */
  search(query: VectorLike, k: number, options?: SearchOptions): SearchResult;
  /** `search` for each query of a batch, results as `[count, k]` arrays. */
  searchBatch(queries: VectorBatch, k: number, options?: SearchOptions): BatchSearchResult;
  /** Removes `id`; returns whether it was present. Removed ids never come back in results. */
  remove(id: number): boolean;
  /** Whether `id` is live in the index. */
  has(id: number): boolean;
  /** Bytes held by the index's typed arrays. */
  memoryBytes(): number;
  /** The index as bytes in the versioned, checksummed format (see `loadIndex`). */
  save(): Uint8Array;
}
