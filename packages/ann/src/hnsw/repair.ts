/**
 * Repairing an HNSW graph after deletions (the idea of hnswlib's
 * `repairConnectionsForUpdate` and of FAISS's `HNSW::permute_entries`-free
 * removal in `IndexHNSW` forks): each live vertex that links to a deleted one
 * re-selects its list, with the neighbour-selection heuristic, from its live
 * neighbours plus the live vertices reachable through the deleted ones
 * (walking through chains of deleted vertices). Deleted vertices are then
 * unlinked, so searches never pass through them, and the entry point moves to
 * a live vertex of the highest level.
 */
import type { HnswGraph } from './graph.js';

/**
 * @param graph - the graph to repair in place
 * @returns the number of adjacency lists rewritten
 */
export function repairGraph(graph: HnswGraph): number {
  const store = graph.store;
  const deleted = store.deleted;
  const count = store.count;
  if (store.live === count) return 0;
  let rewritten = 0;
  let keys = new Float64Array(64);
  let slots = new Int32Array(64);
  const stack: number[] = [];
  for (let slot = 0; slot < count; slot++) {
    if (deleted[slot]) continue;
    for (let level = 0; level <= graph.levels[slot]!; level++) {
      const [row, offset] = graph.row(slot, level);
      const n = row[offset]!;
      let touched = false;
      for (let j = 1; j <= n; j++) if (deleted[row[offset + j]!]) touched = true;
      if (!touched) continue;
      graph.visited.reset(count);
      const marks = graph.visited.marks;
      const generation = graph.visited.generation;
      marks[slot] = generation;
      let found = 0;
      const offer = (candidate: number) => {
        if (found === keys.length) {
          const k2 = new Float64Array(found * 2);
          k2.set(keys);
          keys = k2;
          const s2 = new Int32Array(found * 2);
          s2.set(slots);
          slots = s2;
        }
        const distance = graph.between(slot, candidate, Number.POSITIVE_INFINITY);
        let i = found++;
        while (i > 0 && keys[i - 1]! > distance) {
          keys[i] = keys[i - 1]!;
          slots[i] = slots[i - 1]!;
          i--;
        }
        keys[i] = distance;
        slots[i] = candidate;
      };
      let expanded = 0;
      for (let j = 1; j <= n; j++) {
        const neighbour = row[offset + j]!;
        if (marks[neighbour] === generation) continue;
        marks[neighbour] = generation;
        if (deleted[neighbour]) stack.push(neighbour);
        else offer(neighbour);
      }
      while (stack.length > 0 && expanded < 64) {
        const gone = stack.pop()!;
        expanded++;
        if (graph.levels[gone]! < level) continue;
        const [goneRow, goneOffset] = graph.row(gone, level);
        for (let j = 1; j <= goneRow[goneOffset]!; j++) {
          const next = goneRow[goneOffset + j]!;
          if (marks[next] === generation) continue;
          marks[next] = generation;
          if (deleted[next]) stack.push(next);
          else offer(next);
        }
      }
      stack.length = 0;
      graph.selectNeighbors(keys, slots, found, level === 0 ? graph.M0 : graph.M, row, offset);
      rewritten++;
    }
  }
  let entry = -1;
  let top = -1;
  for (let slot = 0; slot < count; slot++) {
    if (deleted[slot]) {
      for (let level = 0; level <= graph.levels[slot]!; level++) {
        const [row, offset] = graph.row(slot, level);
        row[offset] = 0;
      }
    } else if (graph.levels[slot]! > top) {
      top = graph.levels[slot]!;
      entry = slot;
    }
  }
  graph.entryPoint = entry;
  graph.maxLevel = top;
  return rewritten;
}
