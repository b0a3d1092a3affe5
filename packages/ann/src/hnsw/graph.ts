/**
 * The HNSW graph: layered proximity graphs on flat typed arrays, after
 * Malkov & Yashunin, "Efficient and robust approximate nearest neighbor search
 * using Hierarchical Navigable Small World graphs" (TPAMI 2018), with the
 * memory layout and search loop of nmslib/hnswlib `hnswalg.h`.
 *
 * Layout (n slots, M = connectivity, M0 = 2M):
 *   - `level0`: Int32Array `[n, M0 + 1]`, row = `[count, neighbour_1..M0]`;
 *   - levels >= 1: `upperStart[slot]` points into `upperPool`, which holds
 *     `levels[slot]` rows of `[count, neighbour_1..M]` (level 1 first), or -1;
 *   - vectors live in the shared `VectorStore` (`[n, d]` Float32Array).
 * Search (Algorithm 2 of the paper, hnswlib's `searchBaseLayerST`): a
 * min-heap of candidates and a max-heap of the `ef` best results; a
 * candidate is expanded while it is closer than the worst result; deleted or
 * filtered-out vertices are walked through but never enter the results.
 * Distances to neighbours are early-abandoned at the worst result.
 */
import type { DistanceKernel } from '../distance.js';
import type { DistanceKernel4 } from '../distance-four.js';
import type { CompiledFilter } from '../filter.js';
import { DistanceHeap } from '../heap.js';
import type { VectorStore } from '../vector-store.js';
import { VisitedSet } from '../visited-set.js';
import { NeighborSelector } from './select-neighbors.js';

/** The graph's shape parameters. */
export interface GraphShape {
  /** M: links per vertex on levels >= 1 (2M on level 0). */
  connectivity: number;
  /** Use the neighbour-selection heuristic (Algorithm 4) rather than the M closest. */
  heuristic: boolean;
}

/** Flat-array HNSW graph over the slots of a `VectorStore`. */
export class HnswGraph {
  readonly M: number;
  readonly M0: number;
  readonly heuristic: boolean;
  readonly stride0: number;
  readonly strideUpper: number;
  level0: Int32Array;
  levels: Uint8Array;
  upperStart: Int32Array;
  upperPool: Int32Array;
  upperUsed = 0;
  entryPoint = -1;
  maxLevel = -1;
  readonly visited = new VisitedSet(64);
  /** Best results of the last `searchLayer` (max-heap: worst on top). */
  readonly results = new DistanceHeap('max', 256);
  private readonly candidates = new DistanceHeap('min', 256);
  private scratchKeys = new Float64Array(256);
  private readonly selector: NeighborSelector;
  private readonly pending: Int32Array;
  private readonly pendingDistances: Float64Array;
  private scratchSlots = new Int32Array(256);

  constructor(
    shape: GraphShape,
    readonly store: VectorStore,
    readonly kernel: DistanceKernel,
    readonly kernel4: DistanceKernel4,
  ) {
    this.M = shape.connectivity;
    this.M0 = 2 * shape.connectivity;
    this.heuristic = shape.heuristic;
    this.stride0 = this.M0 + 1;
    this.strideUpper = this.M + 1;
    this.selector = new NeighborSelector(store, kernel, kernel4, shape.heuristic);
    this.pending = new Int32Array(this.M0 + 1);
    this.pendingDistances = new Float64Array(this.M0 + 1);
    const capacity = store.capacity;
    this.level0 = new Int32Array(capacity * this.stride0);
    this.levels = new Uint8Array(capacity);
    this.upperStart = new Int32Array(capacity).fill(-1);
    this.upperPool = new Int32Array(64 * this.strideUpper);
  }

  /** Grows the per-slot arrays to the store's capacity. */
  reserve(capacity: number): void {
    if (capacity <= this.levels.length) return;
    const level0 = new Int32Array(capacity * this.stride0);
    level0.set(this.level0);
    this.level0 = level0;
    const levels = new Uint8Array(capacity);
    levels.set(this.levels);
    this.levels = levels;
    const upperStart = new Int32Array(capacity).fill(-1);
    upperStart.set(this.upperStart);
    this.upperStart = upperStart;
  }

  /** Reallocates the per-slot arrays to `capacity` slots and the pool to its used length. */
  shrinkToFit(capacity: number): void {
    this.level0 = this.level0.slice(0, capacity * this.stride0);
    this.levels = this.levels.slice(0, capacity);
    this.upperStart = this.upperStart.slice(0, capacity);
    this.upperPool = this.upperPool.slice(0, Math.max(this.upperUsed, this.strideUpper));
  }

  /** The array and offset of `slot`'s row at `level` (`[count, neighbours...]`). */
  row(slot: number, level: number): [Int32Array, number] {
    if (level === 0) return [this.level0, slot * this.stride0];
    return [this.upperPool, this.upperStart[slot]! + (level - 1) * this.strideUpper];
  }

  /** Allocates the (empty) rows of a new slot up to `level`. */
  allocate(slot: number, level: number): void {
    this.reserve(slot + 1);
    this.levels[slot] = level;
    this.level0[slot * this.stride0] = 0;
    if (level === 0) return;
    const size = level * this.strideUpper;
    if (this.upperUsed + size > this.upperPool.length) {
      let length = this.upperPool.length * 2;
      while (length < this.upperUsed + size) length *= 2;
      const pool = new Int32Array(length);
      pool.set(this.upperPool.subarray(0, this.upperUsed));
      this.upperPool = pool;
    }
    this.upperStart[slot] = this.upperUsed;
    for (let l = 0; l < level; l++) this.upperPool[this.upperUsed + l * this.strideUpper] = 0;
    this.upperUsed += size;
  }

  /** Distance between two stored slots. */
  between(a: number, b: number, bound: number): number {
    const d = this.store.dimension;
    return this.kernel(this.store.vectors, a * d, this.store.vectors, b * d, d, bound);
  }

  /**
   * Greedy walk (ef = 1) on one level: moves to the closest neighbour while
   * that improves the distance (the upper-level descent of Algorithm 5).
   * @returns the reached slot; its distance is left in `lastDistance`
   */
  greedy(
    query: Float32Array,
    queryOffset: number,
    entry: number,
    entryDistance: number,
    level: number,
  ): number {
    const vectors = this.store.vectors;
    const d = this.store.dimension;
    const kernel = this.kernel;
    const four = this.pendingDistances;
    const links = level === 0 ? this.level0 : this.upperPool;
    let current = entry;
    let best = entryDistance;
    let changed = true;
    while (changed) {
      changed = false;
      const offset =
        level === 0
          ? current * this.stride0
          : this.upperStart[current]! + (level - 1) * this.strideUpper;
      const count = links[offset]!;
      const from = current;
      let j = 1;
      for (; j + 3 <= count; j += 4) {
        const o = offset + j;
        this.kernel4(
          query,
          queryOffset,
          vectors,
          links[o]! * d,
          links[o + 1]! * d,
          links[o + 2]! * d,
          links[o + 3]! * d,
          d,
          four,
          0,
        );
        for (let t = 0; t < 4; t++) {
          if (four[t]! < best) {
            best = four[t]!;
            current = links[o + t]!;
          }
        }
      }
      for (; j <= count; j++) {
        const candidate = links[offset + j]!;
        const distance = kernel(query, queryOffset, vectors, candidate * d, d, best);
        if (distance < best) {
          best = distance;
          current = candidate;
        }
      }
      changed = current !== from;
    }
    this.lastDistance = best;
    return current;
  }

  /** Distance of the slot returned by the last `greedy`. */
  lastDistance = 0;

  /**
   * Beam search on one level (Algorithm 2); leaves at most `ef` results in
   * `this.results`. Vertices that are deleted (when `skipDeleted`) or
   * rejected by `filter` are expanded but not returned.
   */
  searchLayer(
    query: Float32Array,
    queryOffset: number,
    entry: number,
    entryDistance: number,
    ef: number,
    level: number,
    skipDeleted: boolean,
    filter: CompiledFilter | null,
  ): void {
    const vectors = this.store.vectors;
    const deleted = this.store.deleted;
    const ids = this.store.ids;
    const d = this.store.dimension;
    const kernel = this.kernel;
    const kernel4 = this.kernel4;
    const pending = this.pending;
    const pendingDistances = this.pendingDistances;
    const results = this.results;
    const candidates = this.candidates;
    const visited = this.visited;
    visited.reset(this.store.count);
    const marks = visited.marks;
    const generation = visited.generation;
    const mask = filter !== null ? filter.mask : null;
    const predicate = filter !== null ? filter.predicate : null;
    const restricted = filter !== null || (skipDeleted && this.store.live < this.store.count);
    const onLevel0 = level === 0;
    const links = onLevel0 ? this.level0 : this.upperPool;
    const stride = onLevel0 ? this.stride0 : this.strideUpper;
    const upperStart = this.upperStart;
    results.clear();
    candidates.clear();
    let bound = Number.POSITIVE_INFINITY;
    const allowed = (slot: number): boolean =>
      !(skipDeleted && deleted[slot] !== 0) &&
      (mask !== null ? mask[slot] === 1 : predicate === null || predicate(ids[slot]!));
    if (!restricted || allowed(entry)) {
      results.push(entryDistance, entry);
      bound = entryDistance;
    }
    candidates.push(entryDistance, entry);
    marks[entry] = generation;
    while (candidates.size > 0) {
      const distance = candidates.keys[0]!;
      if (distance > bound && (results.size >= ef || !restricted)) break;
      const current = candidates.pop();
      const offset = onLevel0 ? current * stride : upperStart[current]! + (level - 1) * stride;
      const count = links[offset]!;
      let fresh = 0;
      for (let j = 1; j <= count; j++) {
        const neighbour = links[offset + j]!;
        if (marks[neighbour] === generation) continue;
        marks[neighbour] = generation;
        pending[fresh++] = neighbour;
      }
      let j = 0;
      for (; j + 4 <= fresh; j += 4)
        kernel4(
          query,
          queryOffset,
          vectors,
          pending[j]! * d,
          pending[j + 1]! * d,
          pending[j + 2]! * d,
          pending[j + 3]! * d,
          d,
          pendingDistances,
          j,
        );
      for (; j < fresh; j++)
        pendingDistances[j] = kernel(
          query,
          queryOffset,
          vectors,
          pending[j]! * d,
          d,
          results.size >= ef ? bound : Number.POSITIVE_INFINITY,
        );
      for (j = 0; j < fresh; j++) {
        const neighbour = pending[j]!;
        const dist = pendingDistances[j]!;
        const full = results.size >= ef;
        if (full && dist >= bound) continue;
        candidates.push(dist, neighbour);
        if (restricted && !allowed(neighbour)) continue;
        if (full) results.replaceTop(dist, neighbour);
        else results.push(dist, neighbour);
        bound = results.keys[0]!;
      }
    }
  }

  /**
   * Moves `this.results` into the scratch arrays, nearest first.
   * @returns the number of entries
   */
  drainResults(): number {
    const count = this.results.size;
    if (count > this.scratchKeys.length) {
      this.scratchKeys = new Float64Array(count * 2);
      this.scratchSlots = new Int32Array(count * 2);
    }
    for (let i = count - 1; i >= 0; i--) {
      this.scratchKeys[i] = this.results.topKey();
      this.scratchSlots[i] = this.results.pop();
    }
    return count;
  }

  /** Scratch distances filled by `drainResults` (valid until the next call). */
  get sortedKeys(): Float64Array {
    return this.scratchKeys;
  }

  /** Scratch slots filled by `drainResults`. */
  get sortedSlots(): Int32Array {
    return this.scratchSlots;
  }

  /**
   * Picks at most `m` of `count` candidates sorted by distance to a base
   * vertex (see `NeighborSelector.select`); writes `[count, slots...]` to
   * `out[outOffset..]`.
   */
  selectNeighbors(
    keys: Float64Array,
    slots: Int32Array,
    count: number,
    m: number,
    out: Int32Array,
    outOffset: number,
  ): void {
    this.selector.select(keys, slots, count, m, out, outOffset);
  }
}
