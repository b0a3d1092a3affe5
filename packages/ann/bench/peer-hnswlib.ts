/**
 * The peer: hnswlib-node 3.x (native nmslib/hnswlib), measured in the same
 * process with the same parameters and the same one-query-at-a-time loop.
 * Its API takes `number[]`, so base vectors and queries are converted before
 * the timed regions (the conversion is not charged to the peer).
 *
 * Memory: hnswlib allocates its graph in native memory that `memoryBytes()`
 * cannot see; the figure is computed from hnswlib's layout (`hnswalg.h`):
 * per element `M0 * 4 + 4` link bytes, `4 d` vector bytes and an 8-byte label
 * on level 0; an 8-byte link-list pointer, a 4-byte level, a 40-byte
 * `std::mutex` in `link_list_locks_`, about 48 bytes in the `unordered_map`
 * label lookup, 2 bytes of visited list, and the upper-level lists
 * (`M * 4 + 4` bytes per level, expected `1 / (M - 1)` levels per element).
 */
import { createRequire } from 'node:module';
import { timeWallAndCpu } from './measure.js';

export interface HnswlibIndex {
  initIndex(maxElements: number, m?: number, efConstruction?: number, randomSeed?: number): void;
  addPoint(point: number[], label: number): void;
  setEf(ef: number): void;
  searchKnn(query: number[], k: number): { neighbors: number[]; distances: number[] };
}

export type HnswlibConstructor = new (
  space: 'l2' | 'ip' | 'cosine',
  dimension: number,
) => HnswlibIndex;

/** The peer's constructor, or the reason it could not be loaded. */
export function loadHnswlib(): { HierarchicalNSW: HnswlibConstructor } | { error: string } {
  try {
    const require = createRequire(import.meta.url);
    const module = require('hnswlib-node') as { HierarchicalNSW: HnswlibConstructor };
    return { HierarchicalNSW: module.HierarchicalNSW };
  } catch (error) {
    return { error: String(error instanceof Error ? error.message : error).split('\n')[0]! };
  }
}

/** Estimated bytes per element of an hnswlib index (see the file header). */
export function hnswlibBytesPerVector(dimension: number, connectivity: number): number {
  const level0 = connectivity * 2 * 4 + 4 + dimension * 4 + 8;
  const upper = (connectivity * 4 + 4) / (connectivity - 1);
  return level0 + 8 + 4 + 40 + 48 + 2 + upper;
}

/** Builds hnswlib on `rows` (already `number[]`, so the conversion is not timed). */
export function buildHnswlib(
  HierarchicalNSW: HnswlibConstructor,
  rows: number[][],
  dimension: number,
  connectivity: number,
  efConstruction: number,
): { index: HnswlibIndex; wallMs: number; cpuMs: number } {
  const index = new HierarchicalNSW('l2', dimension);
  const { wallMs, cpuMs } = timeWallAndCpu(() => {
    index.initIndex(rows.length, connectivity, efConstruction, 100);
    for (let i = 0; i < rows.length; i++) index.addPoint(rows[i]!, i);
  });
  return { index, wallMs, cpuMs };
}
