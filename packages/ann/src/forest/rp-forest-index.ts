/**
 * `RpForestIndex`: a forest of random-projection trees searched the way
 * Annoy searches (spotify/annoy `annoylib.h`, `_get_all_nns`): one priority
 * queue over the nodes of all trees, keyed by the smallest margin met on the
 * way down, pops nodes until `searchK` candidates are collected; candidates
 * are then scored with exact distances. Trees are in `trees.ts`; unlike
 * Annoy the forest accepts inserts and removals after it is built (new
 * points descend to a leaf, full leaves are split).
 */
import { Generator } from '@x/tensor';
import { toReportedDistance } from '../distance.js';
import { CorruptIndexError } from '../errors.js';
import type { CompiledFilter } from '../filter.js';
import { DistanceHeap, TopK } from '../heap.js';
import { BaseIndex, type BaseIndexOptions } from '../index-base.js';
import { openEnvelope, writeEnvelope } from '../io/envelope.js';
import { checkInteger, checkNumber } from '../validate.js';
import type { SearchOptions } from '../vector-index.js';
import { VectorStore } from '../vector-store.js';
import { VisitedSet } from '../visited-set.js';
import { ForestTrees } from './trees.js';
import { readTrees, writeTrees } from './trees-io.js';

/** Options of `RpForestIndex`. */
export interface RpForestOptions extends BaseIndexOptions {
  /** Number of trees ("n_trees" in Annoy), 1 to 1024. @default 10 */
  trees?: number;
  /** Most slots per leaf before it is split, >= 1. @default 64 */
  leafSize?: number;
  /** Default candidates per search ("search_k"); 0 means `trees * k` as in Annoy. @default 0 */
  searchK?: number;
  /** Seed of the split choices. @default 42 */
  seed?: number;
}

/** Search options of `RpForestIndex`. */
export interface RpForestSearchOptions extends SearchOptions {
  /** Candidates to collect before scoring ("search_k"); 0 means `trees * k`. */
  searchK?: number;
}

/**
 * Annoy-style random-projection forest.
 * @example
 * const index = new RpForestIndex({ dimension: 2, trees: 4, leafSize: 2 });
 * index.addBatch([[0, 0], [1, 1], [5, 5], [6, 6]]);
 * index.search([5.2, 5.2], 2, { searchK: 4 }).ids // Int32Array [2, 3]
 */
export class RpForestIndex extends BaseIndex<RpForestSearchOptions> {
  readonly kind = 'rp-forest' as const;
  /** Number of trees. */
  readonly treeCount: number;
  /** Most slots per leaf. */
  readonly leafSize: number;
  /** Default candidates per search (0: trees * k). */
  searchK: number;
  /** The seed of the split choices. */
  readonly seed: number;
  protected store: VectorStore;
  private trees: ForestTrees;
  private readonly generator: Generator;
  private readonly queue = new DistanceHeap('max', 256);
  private readonly visited = new VisitedSet(64);
  private candidates = new Int32Array(256);

  /**
   * @param options - dimension, metric, trees, leafSize, searchK, seed
   * @throws InvalidArgumentError for an out-of-range option
   */
  constructor(options: RpForestOptions) {
    super('RpForestIndex', options);
    this.treeCount = checkInteger(this.name, 'trees', options.trees ?? 10, 1, 1024);
    this.leafSize = checkInteger(this.name, 'leafSize', options.leafSize ?? 64, 1, 1 << 20);
    this.searchK = checkInteger(this.name, 'searchK', options.searchK ?? 0, 0, 2 ** 31 - 1);
    this.seed = checkNumber(this.name, 'seed', options.seed ?? 42, -(2 ** 53), 2 ** 53);
    this.store = new VectorStore(this.dimension, true, 64);
    this.trees = new ForestTrees(
      this.dimension,
      this.treeCount,
      this.leafSize,
      this.metric !== 'l2',
    );
    this.generator = new Generator(this.seed);
  }

  protected override insert(id: number, data: Float32Array, offset: number): void {
    this.insertMany(Int32Array.of(id), data.subarray(offset, offset + this.dimension), 1);
  }

  protected override insertMany(ids: Int32Array, data: Float32Array, count: number): void {
    const d = this.dimension;
    const first = this.store.count;
    this.store.reserve(first + count);
    for (let i = 0; i < count; i++) this.store.append(ids[i]!, data, i * d);
    const vectors = this.store.vectors;
    for (let t = 0; t < this.treeCount; t++) {
      const touched = new Set<number>();
      for (let slot = first; slot < first + count; slot++) {
        const leaf = this.trees.descend(t, vectors, slot * d);
        this.trees.addToLeaf(leaf, slot);
        touched.add(leaf);
      }
      for (const leaf of touched)
        this.trees.splitIfFull(leaf, vectors, this.store.deleted, this.generator);
    }
  }

  protected override removeId(id: number): boolean {
    const slot = this.store.markDeleted(id);
    if (slot < 0) return false;
    for (let t = 0; t < this.treeCount; t++)
      this.trees.removeFromLeaf(
        this.trees.descend(t, this.store.vectors, slot * this.dimension),
        slot,
      );
    return true;
  }

  protected override resolveOptions(
    op: string,
    options: RpForestSearchOptions,
  ): RpForestSearchOptions {
    super.resolveOptions(op, options);
    return {
      filter: options.filter,
      searchK: checkInteger(op, 'searchK', options.searchK ?? this.searchK, 0, 2 ** 31 - 1),
    };
  }

  protected override searchOne(
    query: Float32Array,
    k: number,
    options: RpForestSearchOptions,
    filter: CompiledFilter | null,
    outIds: Int32Array,
    outDistances: Float64Array,
    outOffset: number,
  ): number {
    const trees = this.trees;
    const store = this.store;
    const searchK = options.searchK! > 0 ? options.searchK! : this.treeCount * k;
    const queue = this.queue;
    queue.clear();
    for (let t = 0; t < this.treeCount; t++) queue.push(Number.POSITIVE_INFINITY, trees.roots[t]!);
    this.visited.reset(store.count);
    const marks = this.visited.marks;
    const generation = this.visited.generation;
    let found = 0;
    while (queue.size > 0 && found < searchK) {
      const priority = queue.topKey();
      const node = queue.pop();
      if (trees.isLeaf(node)) {
        const leaf = -1 - trees.child0[node]!;
        const items = trees.leafItems[leaf]!;
        const length = trees.leafLengths[leaf]!;
        if (found + length > this.candidates.length) {
          const grown = new Int32Array(Math.max(this.candidates.length * 2, found + length));
          grown.set(this.candidates);
          this.candidates = grown;
        }
        for (let i = 0; i < length; i++) {
          const slot = items[i]!;
          if (marks[slot] === generation) continue;
          marks[slot] = generation;
          this.candidates[found++] = slot;
        }
      } else {
        const margin = trees.margin(node, query, 0);
        queue.push(Math.min(priority, margin), trees.child1[node]!);
        queue.push(Math.min(priority, -margin), trees.child0[node]!);
      }
    }
    const best = new TopK(k);
    const d = this.dimension;
    for (let i = 0; i < found; i++) {
      const slot = this.candidates[i]!;
      if (store.deleted[slot] !== 0) continue;
      if (
        filter !== null &&
        (filter.mask !== null ? filter.mask[slot] !== 1 : !filter.predicate!(store.ids[slot]!))
      )
        continue;
      const bound = best.bound();
      const distance = this.kernel(query, 0, store.vectors, slot * d, d, bound);
      if (distance < bound) best.offer(distance, slot);
    }
    const keys = new Float64Array(k);
    const slots = new Int32Array(k);
    const count = best.drainSorted(keys, slots);
    for (let i = 0; i < count; i++) {
      outIds[outOffset + i] = store.ids[slots[i]!]!;
      outDistances[outOffset + i] = toReportedDistance(this.metric, keys[i]!);
    }
    return count;
  }

  memoryBytes(): number {
    return this.store.memoryBytes() + this.trees.memoryBytes() + this.visited.marks.byteLength;
  }

  save(): Uint8Array {
    return writeEnvelope(
      'rp-forest',
      this.metric,
      this.dimension,
      (writer) => {
        writer.u32(this.treeCount);
        writer.u32(this.leafSize);
        writer.u32(this.searchK);
        writer.f64(this.seed);
        writer.f64(this.nextId);
        for (const value of this.generator.getState()) writer.f64(value);
        this.store.write(writer);
        writeTrees(this.trees, writer);
      },
      this.store.count * (this.dimension * 4 + this.treeCount * 8 + 16),
    );
  }

  /**
   * Loads an index written by `save()`.
   * @throws TruncatedIndexError, CorruptIndexError, UnsupportedVersionError
   * @example RpForestIndex.load(index.save()).size // index.size
   */
  static load(data: Uint8Array | ArrayBuffer): RpForestIndex {
    const op = 'RpForestIndex.load';
    const { header, reader, finish } = openEnvelope(op, data, 'rp-forest');
    const trees = reader.u32();
    const leafSize = reader.u32();
    const searchK = reader.u32();
    const seed = reader.f64();
    const nextId = reader.f64();
    const state = [reader.f64(), reader.f64(), reader.f64(), reader.f64(), reader.f64()];
    let index: RpForestIndex;
    try {
      index = new RpForestIndex({
        dimension: header.dimension,
        metric: header.metric,
        trees,
        leafSize,
        searchK,
        seed,
      });
    } catch (error) {
      throw new CorruptIndexError(op, 'structure', `invalid stored parameters: ${String(error)}`);
    }
    index.store = VectorStore.read(reader, op, header.dimension);
    index.trees = readTrees(reader, op, index.trees, index.store.count);
    finish();
    index.nextId = nextId;
    index.generator.setState(state);
    return index;
  }
}
