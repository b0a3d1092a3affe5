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
import { type IndexReport, timeWallAndCpu } from './measure.js';
import type { BenchData } from './runners.js';

export interface HnswlibIndex {
  initIndex(maxElements: number, m?: number, efConstruction?: number, randomSeed?: number): void;
  addPoint(point: number[], label: number): void;
  setEf(ef: number): void;
  searchKnn(query: number[], k: number): { neighbors: number[]; distances: number[] };
}

type HnswlibConstructor = new (space: 'l2' | 'ip' | 'cosine', dimension: number) => HnswlibIndex;

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

/** An hnswlib index built on the bench data, with the queries as `number[]`. */
export interface BuiltPeer {
  index: HnswlibIndex;
  buildMs: number;
  queries: number[][];
  report: IndexReport;
}

/** Builds hnswlib with M / efConstruction (the conversion to `number[]` is not timed). */
export function buildHnswlib(
  HierarchicalNSW: HnswlibConstructor,
  data: BenchData,
  connectivity = 16,
  efConstruction = 200,
): BuiltPeer {
  const d = data.set.dimension;
  const rows = Array.from({ length: data.count }, (_, i) =>
    Array.from(data.base.subarray(i * d, (i + 1) * d)),
  );
  const queries = data.set.queries.map((q) => Array.from(q));
  const index = new HierarchicalNSW('l2', d);
  const { wallMs: buildMs, cpuMs: buildCpuMs } = timeWallAndCpu(() => {
    index.initIndex(data.count, connectivity, efConstruction, 100);
    for (let i = 0; i < rows.length; i++) index.addPoint(rows[i]!, i);
  });
  return {
    index,
    buildMs,
    queries,
    report: {
      name: `hnswlib-node 3.x (M ${connectivity}, efC ${efConstruction})`,
      buildMs,
      buildCpuMs,
      bytesPerVector: hnswlibBytesPerVector(d, connectivity),
      memoryNote: "estimated from hnswlib's layout",
      curve: [],
    },
  };
}

/** The peer's search for one query of the bench set (call `setEf` first). */
export function peerSearch(peer: BuiltPeer): (query: Float32Array, index: number) => number[] {
  return (_, q) => peer.index.searchKnn(peer.queries[q]!, 10).neighbors;
}
