/**
 * The scale point: up to `target` random Gaussian vectors of dimension 64
 * (the hardest case for graph indexes: no low-dimensional structure), added
 * to an HNSW index in chunks until the target or the time budget is reached,
 * so the run reports "the largest size that fits in a few minutes". Recall@10
 * is measured on 100 queries against the exact index over the same vectors.
 */
import { FlatIndex, HnswIndex } from '../src/index.js';
import { randomVectors } from '../src/test/helpers.js';
import { measurePoint, measurePoints, type QuerySet, timeMs } from './measure.js';
import { buildHnswlib, type loadHnswlib } from './peer-hnswlib.js';

/** What the scale run measured. */
export interface ScaleReport {
  target: number;
  built: number;
  dimension: number;
  connectivity: number;
  efConstruction: number;
  buildMs: number;
  /** CPU time of the build (user + system); below `buildMs` when other jobs share the cores. */
  buildCpuMs: number;
  bytesPerVector: number;
  exactMs: number;
  curve: { efSearch: number; recall: number; qps: number; cpuQps: number }[];
  peer?: {
    buildMs: number;
    buildCpuMs: number;
    curve: { efSearch: number; recall: number; qps: number; cpuQps: number }[];
  };
}

/**
 * @param target - vectors to add at most
 * @param budgetSeconds - stop adding chunks once this much build time is spent
 * @param peer - hnswlib-node, to build on the same vectors (skipped when absent)
 */
export function runScale(
  target: number,
  budgetSeconds: number,
  peer: ReturnType<typeof loadHnswlib> | null,
  repeats: number,
  log: (line: string) => void,
): ScaleReport {
  const d = 64;
  const connectivity = 16;
  const efConstruction = 100;
  const chunk = Math.max(1000, Math.min(10_000, Math.floor(target / 20)));
  const index = new HnswIndex({ dimension: d, connectivity, efConstruction, capacity: chunk });
  const data = randomVectors(target, d, 2024);
  let built = 0;
  let buildMs = 0;
  const cpuStart = process.cpuUsage();
  while (built < target && buildMs < budgetSeconds * 1000) {
    const size = Math.min(chunk, target - built);
    buildMs += timeMs(() => index.addBatch(data.subarray(built * d, (built + size) * d)));
    built += size;
    if (built % (5 * chunk) === 0 || built === target)
      log(`  scale: ${built.toLocaleString('en-US')} vectors in ${(buildMs / 1000).toFixed(1)} s`);
  }
  const cpu = process.cpuUsage(cpuStart);
  index.shrinkToFit();
  const buildCpuMs = (cpu.user + cpu.system) / 1000;
  const base = data.subarray(0, built * d);
  const queries = randomVectors(100, d, 7);
  const exact = new FlatIndex({ dimension: d, capacity: built });
  exact.addBatch(base);
  let truth: Int32Array = new Int32Array(0);
  const exactMs = timeMs(() => {
    truth = exact.searchBatch(queries, 10).ids;
  });
  const set: QuerySet = {
    dimension: d,
    queries: Array.from({ length: 100 }, (_, q) => queries.slice(q * d, (q + 1) * d)),
    truth,
    truthStride: 10,
  };
  const efs = [10, 50, 100, 200, 400];
  const report: ScaleReport = {
    target,
    built,
    dimension: d,
    connectivity,
    efConstruction,
    buildMs,
    buildCpuMs,
    bytesPerVector: index.memoryBytes() / built,
    exactMs,
    curve: [],
  };
  const ours = (efSearch: number) => (q: Float32Array) => index.search(q, 10, { efSearch }).ids;
  if (peer === null || !('HierarchicalNSW' in peer)) {
    for (const efSearch of efs)
      report.curve.push({ efSearch, ...measurePoint(set, 10, repeats, ours(efSearch)) });
    return report;
  }
  const rows = Array.from({ length: built }, (_, i) =>
    Array.from(base.subarray(i * d, (i + 1) * d)),
  );
  const built2 = buildHnswlib(peer.HierarchicalNSW, rows, d, connectivity, efConstruction);
  const peerQueries = set.queries.map((q) => Array.from(q));
  report.peer = { buildMs: built2.wallMs, buildCpuMs: built2.cpuMs, curve: [] };
  for (const efSearch of efs) {
    built2.index.setEf(efSearch);
    const [a, b] = measurePoints(set, 10, repeats, [
      ours(efSearch),
      (_, q) => built2.index.searchKnn(peerQueries[q]!, 10).neighbors,
    ]);
    report.curve.push({ efSearch, ...a! });
    report.peer.curve.push({ efSearch, ...b! });
  }
  return report;
}
