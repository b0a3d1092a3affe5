/**
 * HNSW insertion (Algorithm 1 of Malkov & Yashunin, as hnswlib's `addPoint`
 * and `mutuallyConnectNewElement`): greedy descent to the new vertex's top
 * level, then on each level below a beam search with `efConstruction`, the
 * neighbour selection, and back-links; a neighbour whose list overflows is
 * re-pruned with the same selection. Deleted vertices are walked through but
 * never chosen as neighbours.
 */
import type { HnswGraph } from './graph.js';

/** Scratch for re-pruning one overflowing neighbour list. */
export class PruneScratch {
  keys: Float64Array;
  slots: Int32Array;
  constructor(size: number) {
    this.keys = new Float64Array(size);
    this.slots = new Int32Array(size);
  }
}

/**
 * Links `slot` (already in the store) into the graph at levels `0..level`.
 * @param graph - the graph
 * @param slot - the new vertex
 * @param level - its top level (drawn by the caller)
 * @param efConstruction - beam width of the construction searches
 * @param scratch - reusable buffers of size `2M + 1`
 */
export function insertIntoGraph(
  graph: HnswGraph,
  slot: number,
  level: number,
  efConstruction: number,
  scratch: PruneScratch,
): void {
  const store = graph.store;
  const d = store.dimension;
  const vectors = store.vectors;
  const queryOffset = slot * d;
  graph.allocate(slot, level);
  if (graph.entryPoint < 0 || store.live <= 1) {
    graph.entryPoint = slot;
    graph.maxLevel = level;
    return;
  }
  let current = graph.entryPoint;
  let distance = graph.kernel(
    vectors,
    queryOffset,
    vectors,
    current * d,
    d,
    Number.POSITIVE_INFINITY,
  );
  for (let l = graph.maxLevel; l > level; l--) {
    current = graph.greedy(vectors, queryOffset, current, distance, l);
    distance = graph.lastDistance;
  }
  for (let l = Math.min(level, graph.maxLevel); l >= 0; l--) {
    graph.searchLayer(vectors, queryOffset, current, distance, efConstruction, l, true, null);
    const count = graph.drainResults();
    if (count === 0) continue;
    const keys = graph.sortedKeys;
    const slots = graph.sortedSlots;
    const [row, offset] = graph.row(slot, l);
    graph.selectNeighbors(keys, slots, count, graph.M, row, offset);
    current = slots[0]!;
    distance = keys[0]!;
    const maxLinks = l === 0 ? graph.M0 : graph.M;
    const linked = row[offset]!;
    for (let j = 1; j <= linked; j++) connect(graph, row[offset + j]!, slot, l, maxLinks, scratch);
  }
  if (level > graph.maxLevel) {
    graph.entryPoint = slot;
    graph.maxLevel = level;
  }
}

/** Adds the link `from -> to` at `level`, re-pruning `from`'s list when it is full. */
function connect(
  graph: HnswGraph,
  from: number,
  to: number,
  level: number,
  maxLinks: number,
  scratch: PruneScratch,
): void {
  const [row, offset] = graph.row(from, level);
  const count = row[offset]!;
  if (count < maxLinks) {
    row[offset + 1 + count] = to;
    row[offset] = count + 1;
    return;
  }
  const keys = scratch.keys;
  const slots = scratch.slots;
  let n = 0;
  const insertSorted = (key: number, value: number) => {
    let i = n++;
    while (i > 0 && keys[i - 1]! > key) {
      keys[i] = keys[i - 1]!;
      slots[i] = slots[i - 1]!;
      i--;
    }
    keys[i] = key;
    slots[i] = value;
  };
  insertSorted(graph.between(from, to, Number.POSITIVE_INFINITY), to);
  for (let j = 1; j <= count; j++) {
    const neighbour = row[offset + j]!;
    insertSorted(graph.between(from, neighbour, Number.POSITIVE_INFINITY), neighbour);
  }
  graph.selectNeighbors(keys, slots, n, maxLinks, row, offset);
}
