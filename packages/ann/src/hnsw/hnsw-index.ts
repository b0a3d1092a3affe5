/**
 * `HnswIndex`: Hierarchical Navigable Small World graphs (Malkov & Yashunin,
 * TPAMI 2018) behind the `VectorIndex` interface. Incremental inserts,
 * deletes (marked and skipped; `repair()` relinks around them, `rebuild()`
 * compacts), filtered search applied during the walk, a seeded level
 * generator, and save/load. The graph itself is in `graph.ts`.
 */
import { Generator } from '@x/tensor';
import { type DistanceKernel, type Metric, selectKernel, toReportedDistance } from '../distance.js';
import { type DistanceKernel4, selectKernel4 } from '../distance-four.js';
import { CorruptIndexError, InvalidArgumentError } from '../errors.js';
import type { CompiledFilter } from '../filter.js';
import { BaseIndex, type BaseIndexOptions } from '../index-base.js';
import { openEnvelope, writeEnvelope } from '../io/envelope.js';
import { simdL2Kernels } from '../simd/l2-simd.js';
import { WasmRows } from '../simd/wasm-rows.js';
import { checkInteger, checkNumber } from '../validate.js';
import type { SearchOptions } from '../vector-index.js';
import { VectorStore } from '../vector-store.js';
import { HnswGraph } from './graph.js';
import { readGraph, writeGraph } from './graph-io.js';
import { insertIntoGraph, PruneScratch } from './insert.js';
import { repairGraph } from './repair.js';

/** Options of `HnswIndex`. */
export interface HnswOptions extends BaseIndexOptions {
  /** Links per vertex ("M" in the HNSW paper; 2M on level 0), 2 to 1024. @default 16 */
  connectivity?: number;
  /** Beam width while inserting ("efConstruction"), >= 1. @default 200 */
  efConstruction?: number;
  /** Default beam width of searches ("ef"), >= 1; raised to `k` when smaller. @default 64 */
  efSearch?: number;
  /**
   * How neighbours are chosen: `heuristic` (Algorithm 4 of the paper, keeps
   * a candidate only if it is closer to the new vertex than to every kept
   * one) or `closest` (Algorithm 3, the M nearest). @default 'heuristic'
   */
  neighborSelection?: 'heuristic' | 'closest';
  /** Seed of the level generator. @default 100 (as hnswlib) */
  seed?: number;
  /** Slots to allocate up front. @default 1024 */
  capacity?: number;
}

/** Search options of `HnswIndex`. */
export interface HnswSearchOptions extends SearchOptions {
  /** Beam width for this search (default: the index's `efSearch`). */
  efSearch?: number;
}

/**
 * Approximate nearest-neighbour index on an HNSW graph.
 * @example
 * const index = new HnswIndex({ dimension: 2, seed: 1 });
 * index.addBatch([[0, 0], [1, 0], [5, 5]]);
 * index.search([0.9, 0], 2).ids // Int32Array [1, 0]
 */
export class HnswIndex extends BaseIndex<HnswSearchOptions> {
  readonly kind = 'hnsw' as const;
  /** M, links per vertex. */
  readonly connectivity: number;
  /** Beam width while inserting. */
  readonly efConstruction: number;
  /** Default beam width of searches. */
  efSearch: number;
  /** The seed the level generator started from. */
  readonly seed: number;
  protected store: VectorStore;
  private graph: HnswGraph;
  private readonly generator: Generator;
  private readonly levelScale: number;
  private scratch: PruneScratch;

  /**
   * @param options - dimension, metric and the graph parameters
   * @throws InvalidArgumentError for an out-of-range option
   */
  constructor(options: HnswOptions) {
    super('HnswIndex', options);
    const op = this.name;
    this.connectivity = checkInteger(op, 'connectivity', options.connectivity ?? 16, 2, 1024);
    this.efConstruction = checkInteger(
      op,
      'efConstruction',
      options.efConstruction ?? 200,
      1,
      1 << 20,
    );
    this.efSearch = checkInteger(op, 'efSearch', options.efSearch ?? 64, 1, 1 << 20);
    const selection = options.neighborSelection ?? 'heuristic';
    if (selection !== 'heuristic' && selection !== 'closest')
      throw new InvalidArgumentError(
        op,
        'neighborSelection',
        selection,
        "'heuristic' or 'closest'",
      );
    this.seed = checkNumber(op, 'seed', options.seed ?? 100, -(2 ** 53), 2 ** 53);
    const capacity = checkInteger(op, 'capacity', options.capacity ?? 1024, 1, 2 ** 31 - 1);
    this.store = newStore(this.metric, this.dimension, capacity);
    const kernels = kernelsFor(this.metric, this.store);
    this.graph = new HnswGraph(
      { connectivity: this.connectivity, heuristic: selection === 'heuristic' },
      this.store,
      kernels.kernel,
      kernels.kernel4,
    );
    this.generator = new Generator(this.seed);
    this.levelScale = 1 / Math.log(this.connectivity);
    this.scratch = new PruneScratch(2 * this.connectivity + 1);
  }

  /** Number of removed vectors still occupying slots (until `rebuild()`). */
  get deletedCount(): number {
    return this.store.count - this.store.live;
  }

  /** The top level of the graph (-1 when empty). */
  get maxLevel(): number {
    return this.graph.maxLevel;
  }

  protected override insert(id: number, data: Float32Array, offset: number): void {
    const slot = this.store.append(id, data, offset);
    this.graph.reserve(this.store.capacity);
    insertIntoGraph(this.graph, slot, this.randomLevel(), this.efConstruction, this.scratch);
  }

  /** Draws a level from the exponential distribution with scale 1 / ln M. */
  private randomLevel(): number {
    const u = 1 - this.generator.uniform();
    return Math.min(30, Math.floor(-Math.log(u) * this.levelScale));
  }

  protected override resolveOptions(op: string, options: HnswSearchOptions): HnswSearchOptions {
    super.resolveOptions(op, options);
    const efSearch = checkInteger(op, 'efSearch', options.efSearch ?? this.efSearch, 1, 1 << 20);
    return { filter: options.filter, efSearch };
  }

  protected override searchOne(
    query: Float32Array,
    k: number,
    options: HnswSearchOptions,
    filter: CompiledFilter | null,
    outIds: Int32Array,
    outDistances: Float64Array,
    outOffset: number,
  ): number {
    const graph = this.graph;
    const store = this.store;
    const ef = Math.max(options.efSearch!, k);
    if (filter !== null && filter.allowed >= 0 && filter.allowed <= 4 * ef)
      return this.searchAllowed(query, k, filter.mask!, outIds, outDistances, outOffset);
    const d = this.dimension;
    let current = graph.entryPoint;
    if (current < 0) return 0;
    query = inArena(store, query);
    let distance = graph.kernel(query, 0, store.vectors, current * d, d, Number.POSITIVE_INFINITY);
    for (let level = graph.maxLevel; level > 0; level--) {
      current = graph.greedy(query, 0, current, distance, level);
      distance = graph.lastDistance;
    }
    graph.searchLayer(query, 0, current, distance, ef, 0, true, filter);
    const results = graph.results;
    while (results.size > k) results.pop();
    const found = results.size;
    for (let i = found - 1; i >= 0; i--) {
      outDistances[outOffset + i] = toReportedDistance(this.metric, results.topKey());
      outIds[outOffset + i] = store.ids[results.pop()]!;
    }
    return found;
  }

  /** Exact search over a small allowed set (cheaper than a walk that rarely meets an allowed vertex). */
  private searchAllowed(
    query: Float32Array,
    k: number,
    mask: Uint8Array,
    outIds: Int32Array,
    outDistances: Float64Array,
    outOffset: number,
  ): number {
    const results = this.graph.results;
    const store = this.store;
    const d = this.dimension;
    const kernel = this.graph.kernel;
    query = inArena(store, query);
    results.clear();
    for (let slot = 0; slot < mask.length; slot++) {
      if (mask[slot] !== 1 || store.deleted[slot] !== 0) continue;
      const bound = results.size >= k ? results.keys[0]! : Number.POSITIVE_INFINITY;
      const distance = kernel(query, 0, store.vectors, slot * d, d, bound);
      if (results.size < k) results.push(distance, slot);
      else if (distance < bound) results.replaceTop(distance, slot);
    }
    const found = results.size;
    for (let i = found - 1; i >= 0; i--) {
      outDistances[outOffset + i] = toReportedDistance(this.metric, results.topKey());
      outIds[outOffset + i] = store.ids[results.pop()]!;
    }
    return found;
  }

  protected override removeId(id: number): boolean {
    return this.store.markDeleted(id) >= 0;
  }

  /**
   * Relinks the graph around removed vertices: every live vertex that links
   * to a removed one gets its list re-selected from its live neighbours and
   * the live neighbours of the removed ones; removed vertices are unlinked
   * and a live entry point is chosen. Their slots stay allocated until
   * `rebuild()`.
   * @returns the number of adjacency lists rewritten
   * @example
   * index.remove(3); index.remove(8);
   * index.repair(); // e.g. 57: lists that linked to 3 or 8, now relinked
   */
  repair(): number {
    this.checkNotSearching('HnswIndex.repair');
    return repairGraph(this.graph);
  }

  /**
   * Rebuilds the graph from the live vectors only (same options and seed),
   * freeing the slots of removed vectors. Costs a full build.
   * @example
   * index.rebuild();
   * index.deletedCount // 0
   */
  rebuild(): void {
    this.checkNotSearching('HnswIndex.rebuild');
    const store = this.store;
    const fresh = newStore(this.metric, this.dimension, Math.max(store.live, 16));
    const kernels = kernelsFor(this.metric, fresh);
    const graph = new HnswGraph(
      { connectivity: this.connectivity, heuristic: this.graph.heuristic },
      fresh,
      kernels.kernel,
      kernels.kernel4,
    );
    this.generator.seed(this.seed);
    for (let slot = 0; slot < store.count; slot++) {
      if (store.deleted[slot]) continue;
      const next = fresh.append(store.ids[slot]!, store.vectors, slot * this.dimension);
      graph.reserve(fresh.capacity);
      insertIntoGraph(graph, next, this.randomLevel(), this.efConstruction, this.scratch);
    }
    this.store = fresh;
    this.graph = graph;
  }

  /**
   * Releases growth slack (capacity doubling) after a bulk build, so the
   * arrays hold exactly the stored vectors; later inserts grow them again.
   * @example
   * index.addBatch(vectors);
   * index.shrinkToFit();
   * index.memoryBytes() / index.size // bytes per vector without slack
   */
  shrinkToFit(): void {
    this.checkNotSearching('HnswIndex.shrinkToFit');
    this.store.shrinkToFit();
    this.graph.shrinkToFit(this.store.capacity);
  }

  memoryBytes(): number {
    const g = this.graph;
    return (
      this.store.memoryBytes() +
      g.level0.byteLength +
      g.levels.byteLength +
      g.upperStart.byteLength +
      g.upperPool.byteLength +
      g.visited.marks.byteLength
    );
  }

  save(): Uint8Array {
    return writeEnvelope(
      'hnsw',
      this.metric,
      this.dimension,
      (writer) => {
        writer.u32(this.efConstruction);
        writer.u32(this.efSearch);
        writer.f64(this.seed);
        writer.f64(this.nextId);
        for (const value of this.generator.getState()) writer.f64(value);
        this.store.write(writer);
        writeGraph(this.graph, writer);
      },
      this.store.count * (this.dimension * 4 + this.graph.stride0 * 4 + 16),
    );
  }

  /**
   * Loads an index written by `save()`.
   * @param data - the saved bytes
   * @returns the index, answering every search exactly as the saved one did
   * @throws TruncatedIndexError, CorruptIndexError, UnsupportedVersionError
   * @example
   * const copy = HnswIndex.load(index.save());
   */
  static load(data: Uint8Array | ArrayBuffer): HnswIndex {
    const op = 'HnswIndex.load';
    const { header, reader, finish } = openEnvelope(op, data, 'hnsw');
    const efConstruction = reader.u32();
    const efSearch = reader.u32();
    const seed = reader.f64();
    const nextId = reader.f64();
    const state = [reader.f64(), reader.f64(), reader.f64(), reader.f64(), reader.f64()];
    const store = VectorStore.read(
      reader,
      op,
      header.dimension,
      newArena(header.metric, header.dimension),
    );
    const kernels = kernelsFor(header.metric, store);
    const graph = readGraph(reader, op, store, kernels.kernel, kernels.kernel4);
    finish();
    let index: HnswIndex;
    try {
      index = new HnswIndex({
        dimension: header.dimension,
        metric: header.metric,
        connectivity: graph.M,
        efConstruction,
        efSearch,
        neighborSelection: graph.heuristic ? 'heuristic' : 'closest',
        seed,
        capacity: 1,
      });
    } catch (error) {
      throw new CorruptIndexError(op, 'structure', `invalid stored parameters: ${String(error)}`);
    }
    index.store = store;
    index.graph = graph;
    index.nextId = nextId;
    index.generator.setState(state);
    return index;
  }
}

/** Rows in the core's WebAssembly memory for the L2 metrics (null for `ip` or without SIMD). */
function newArena(metric: Metric, dimension: number): WasmRows | null {
  return metric === 'ip' ? null : WasmRows.create(dimension);
}

/** A store for an HNSW index, in WebAssembly memory when the SIMD kernels apply. */
function newStore(metric: Metric, dimension: number, capacity: number): VectorStore {
  return new VectorStore(dimension, true, capacity, newArena(metric, dimension));
}

/** The kernels for a store: SIMD squared L2 on its arena, else the JS kernels. */
function kernelsFor(
  metric: Metric,
  store: VectorStore,
): { kernel: DistanceKernel; kernel4: DistanceKernel4 } {
  const kernel = selectKernel(metric, store.dimension);
  if (store.arena !== null) return simdL2Kernels(store.arena, kernel);
  return { kernel, kernel4: selectKernel4(metric) };
}

/** The query copied into the store's arena scratch row (once per search), or as is. */
function inArena(store: VectorStore, query: Float32Array): Float32Array {
  const arena = store.arena;
  if (arena === null) return query;
  const scratch = arena.query;
  scratch.set(query.length === scratch.length ? query : query.subarray(0, scratch.length));
  return scratch;
}
