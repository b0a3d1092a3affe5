/**
 * Our HNSW against hnswlib-node with the same M, efConstruction and efSearch
 * sweep. Builds alternate (ours, peer, ours, peer, ...) and the fastest of
 * each is kept; every efSearch setting is measured with the passes of the two
 * indexes interleaved. Both wall-clock and CPU time are recorded: on a shared
 * machine the CPU time of this process is the steadier measure of cost.
 */
import { HnswIndex } from '../src/index.js';
import {
  type CurvePoint,
  type IndexReport,
  measurePoint,
  measurePoints,
  timeWallAndCpu,
} from './measure.js';
import { buildHnswlib, type HnswlibConstructor, hnswlibBytesPerVector } from './peer-hnswlib.js';
import type { BenchData } from './runners.js';

/** The two reports (the peer's is null when hnswlib-node is unavailable). */
export interface HnswComparison {
  ours: IndexReport;
  peer: IndexReport | null;
}

/**
 * @param builds - how many times each index is built (the fastest build counts)
 */
export function compareHnsw(
  data: BenchData,
  efs: readonly number[],
  repeats: number,
  builds: number,
  peerConstructor: HnswlibConstructor | null,
  connectivity = 16,
  efConstruction = 200,
): HnswComparison {
  const d = data.set.dimension;
  const rows = peerConstructor
    ? Array.from({ length: data.count }, (_, i) =>
        Array.from(data.base.subarray(i * d, (i + 1) * d)),
      )
    : [];
  const queries = data.set.queries.map((q) => Array.from(q));
  let ours: HnswIndex | null = null;
  let peer: ReturnType<typeof buildHnswlib>['index'] | null = null;
  const best = { ours: { wall: Infinity, cpu: Infinity }, peer: { wall: Infinity, cpu: Infinity } };
  for (let b = 0; b < builds; b++) {
    const index = new HnswIndex({
      dimension: d,
      connectivity,
      efConstruction,
      capacity: data.count,
    });
    const t = timeWallAndCpu(() => index.addBatch(data.base));
    ours = index;
    best.ours = { wall: Math.min(best.ours.wall, t.wallMs), cpu: Math.min(best.ours.cpu, t.cpuMs) };
    if (peerConstructor) {
      const built = buildHnswlib(peerConstructor, rows, d, connectivity, efConstruction);
      peer = built.index;
      best.peer = {
        wall: Math.min(best.peer.wall, built.wallMs),
        cpu: Math.min(best.peer.cpu, built.cpuMs),
      };
    }
  }
  const oursCurve: CurvePoint[] = [];
  const peerCurve: CurvePoint[] = [];
  for (const efSearch of efs) {
    const searchOurs = (q: Float32Array) => ours!.search(q, 10, { efSearch }).ids;
    if (peer === null) {
      oursCurve.push({
        parameter: 'efSearch',
        value: efSearch,
        ...measurePoint(data.set, 10, repeats, searchOurs),
      });
      continue;
    }
    peer.setEf(efSearch);
    const searchPeer = (_: Float32Array, q: number) => peer!.searchKnn(queries[q]!, 10).neighbors;
    const [a, b] = measurePoints(data.set, 10, repeats, [searchOurs, searchPeer]);
    oursCurve.push({ parameter: 'efSearch', value: efSearch, ...a! });
    peerCurve.push({ parameter: 'efSearch', value: efSearch, ...b! });
  }
  const label = `(M ${connectivity}, efC ${efConstruction})`;
  return {
    ours: {
      name: `@x/ann HNSW ${label}`,
      buildMs: best.ours.wall,
      buildCpuMs: best.ours.cpu,
      bytesPerVector: ours!.memoryBytes() / data.count,
      memoryNote: 'memoryBytes()',
      curve: oursCurve,
    },
    peer:
      peer === null
        ? null
        : {
            name: `hnswlib-node 3.x ${label}`,
            buildMs: best.peer.wall,
            buildCpuMs: best.peer.cpu,
            bytesPerVector: hnswlibBytesPerVector(d, connectivity),
            memoryNote: "estimated from hnswlib's layout",
            curve: peerCurve,
          },
  };
}
