/**
 * `npm run bench -w @x/ann`: recall@10 / QPS curves, build time and memory of
 * every @x/ann index on TEXMEX siftsmall, with hnswlib-node 3.x measured in
 * the same run, then the scale point on random 64-d vectors. Ends with one
 * JSON line of the headline figures.
 *
 * Options: --data DIR (default ../shared/data from the repository root),
 * --quick (tiny smoke run), --repeats N (best of N passes, default 7),
 * --builds N (HNSW and peer builds, fastest counts, default 3),
 * --scale N (scale-point target, default 1000000), --scale-budget S (seconds
 * of build time at most, default 180), --no-scale, --no-peer, --no-plot.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlatIndex, readBvecs, readFvecs, readIvecs } from '../src/index.js';
import { compareHnsw } from './compare-hnsw.js';
import { firstReaching, type IndexReport } from './measure.js';
import { loadHnswlib } from './peer-hnswlib.js';
import { renderPlots } from './plot.js';
import { type BenchData, runFlat, runForest, runIvfFlat, runIvfPq } from './runners.js';
import { runScale, type ScaleReport } from './scale.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1]! : fallback;
};
const quick = flag('--quick');
const dataDir = resolve(option('--data', resolve(here, '../../../../shared/data')));
const repeats = Number(option('--repeats', quick ? '1' : '7'));
const log = (line = '') => console.log(line);

function loadData(): BenchData {
  const dir = join(dataDir, 'ann/siftsmall');
  if (existsSync(join(dir, 'siftsmall_base.fvecs')) && !quick) {
    const base = readFvecs(readFileSync(join(dir, 'siftsmall_base.fvecs')));
    const queries = readFvecs(readFileSync(join(dir, 'siftsmall_query.fvecs')));
    const truth = readIvecs(readFileSync(join(dir, 'siftsmall_groundtruth.ivecs')));
    const d = base.dimension;
    return {
      name: `TEXMEX siftsmall (${base.count} x ${d}, ${queries.count} queries, published ground truth)`,
      base: base.data,
      count: base.count,
      set: {
        dimension: d,
        queries: Array.from({ length: queries.count }, (_, i) =>
          queries.data.slice(i * d, (i + 1) * d),
        ),
        truth: truth.data,
        truthStride: truth.dimension,
      },
    };
  }
  if (!quick)
    log(`note: ${dir} not found; using the 2,000-vector slice shipped in src/__fixtures__`);
  const fixtures = resolve(here, '../src/__fixtures__');
  const base = Float32Array.from(
    readBvecs(readFileSync(join(fixtures, 'siftsmall-base-2000.bvecs'))).data,
  );
  const queries = readFvecs(readFileSync(join(fixtures, 'siftsmall-query-20.fvecs')));
  const d = queries.dimension;
  const exact = new FlatIndex({ dimension: d });
  exact.addBatch(base);
  return {
    name: `siftsmall slice (2000 x ${d}, ${queries.count} queries, brute-force ground truth)`,
    base,
    count: 2000,
    set: {
      dimension: d,
      queries: Array.from({ length: queries.count }, (_, i) =>
        queries.data.slice(i * d, (i + 1) * d),
      ),
      truth: exact.searchBatch(queries.data, 10).ids,
      truthStride: 10,
    },
  };
}

function printReport(report: IndexReport): void {
  log(`\n${report.name}`);
  const cpu =
    report.buildCpuMs === undefined ? '' : ` (CPU ${(report.buildCpuMs / 1000).toFixed(2)} s)`;
  log(
    `  build ${(report.buildMs / 1000).toFixed(2)} s${cpu}, ${report.bytesPerVector.toFixed(0)} bytes/vector (${report.memoryNote})`,
  );
  log(
    `  ${'setting'.padEnd(16)} ${'recall@10'.padStart(9)} ${'QPS'.padStart(9)} ${'CPU-QPS'.padStart(9)}`,
  );
  for (const p of report.curve)
    log(
      `  ${`${p.parameter} ${p.parameter === 'exact' ? '' : p.value}`.padEnd(16)} ${p.recall.toFixed(3).padStart(9)} ${Math.round(p.qps).toString().padStart(9)} ${Math.round(p.cpuQps).toString().padStart(9)}`,
    );
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
const compactCurve = (report: IndexReport) =>
  report.curve.map((p) => [p.value, round(p.recall, 4), Math.round(p.qps), Math.round(p.cpuQps)]);

const data = loadData();
log(
  `@x/ann benchmark: ${data.name}; k = 10; single-threaded, one query at a time, best of ${repeats} passes`,
);
log(
  'figures taken on a shared 2-core machine (other jobs running): compare the ratios, not the absolute numbers',
);
const efs = quick ? [10, 40] : [10, 16, 20, 24, 32, 40, 64, 80, 120, 160, 240, 400];
const reports: IndexReport[] = [];
const builds = Number(option('--builds', quick ? '1' : '3'));
const peerModule = flag('--no-peer') ? null : loadHnswlib();
if (peerModule !== null && 'error' in peerModule)
  log(`\nhnswlib-node could not be loaded (${peerModule.error}); ratios are omitted`);
const { ours, peer } = compareHnsw(
  data,
  efs,
  repeats,
  builds,
  peerModule !== null && 'HierarchicalNSW' in peerModule ? peerModule.HierarchicalNSW : null,
);
reports.push(ours);
printReport(ours);
if (peer !== null) {
  reports.push(peer);
  printReport(peer);
}

const cells = data.count >= 10_000 ? 64 : 32;
const nprobes = quick ? [4] : [1, 2, 4, 8, 16, 32, 64].filter((n) => n <= cells);
const pq16 = runIvfPq(data, nprobes, repeats, { cells, subspaces: 16 });
const pq32rerank = runIvfPq(data, nprobes, repeats, { cells, subspaces: 32 }, 100);
const ivfFlat = runIvfFlat(data, nprobes, repeats, cells);
const forest = runForest(
  data,
  quick ? [500] : [100, 200, 500, 1000, 2000, 4000, 8000],
  repeats,
  10,
);
const flat = runFlat(data, repeats);
for (const report of [pq16, pq32rerank, ivfFlat, forest, flat]) {
  reports.push(report);
  printReport(report);
}
log(
  `  (IVF-PQ training: ${(pq16.trainMs / 1000).toFixed(2)} s and ${(pq32rerank.trainMs / 1000).toFixed(2)} s of the build; flat searchBatch of all queries: ${Math.round(flat.batchQps)} QPS)`,
);

const ratios: Record<string, number | null> = {};
if (peer !== null) {
  log('\n@x/ann HNSW vs hnswlib-node (same M, efConstruction, efSearch sweep; passes interleaved)');
  log('  QPS by wall clock (fastest pass) and by CPU time of this process (cheapest pass)');
  log(
    `  ${'efSearch'.padEnd(9)} ${'recall'.padStart(13)} ${'QPS ours'.padStart(9)} ${'QPS peer'.padStart(9)} ${'ratio'.padStart(6)} ${'CPU-QPS ours'.padStart(13)} ${'CPU-QPS peer'.padStart(13)} ${'ratio'.padStart(6)}`,
  );
  ours.curve.forEach((p, i) => {
    const q = peer.curve[i]!;
    log(
      `  ${String(p.value).padEnd(9)} ${`${p.recall.toFixed(3)}/${q.recall.toFixed(3)}`.padStart(13)} ${Math.round(p.qps).toString().padStart(9)} ${Math.round(q.qps).toString().padStart(9)} ${(p.qps / q.qps).toFixed(2).padStart(6)} ${Math.round(p.cpuQps).toString().padStart(13)} ${Math.round(q.cpuQps).toString().padStart(13)} ${(p.cpuQps / q.cpuQps).toFixed(2).padStart(6)}`,
    );
  });
  log('  at equal recall (first setting of each curve reaching the target):');
  for (const target of [0.95, 0.98, 0.99, 0.999]) {
    const a = firstReaching(ours.curve, target);
    const b = firstReaching(peer.curve, target);
    const wall = a && b ? a.qps / b.qps : null;
    const cpu = a && b ? a.cpuQps / b.cpuQps : null;
    ratios[`qpsRatioAtRecall${target}`] = wall === null ? null : round(wall, 3);
    ratios[`cpuQpsRatioAtRecall${target}`] = cpu === null ? null : round(cpu, 3);
    log(
      `  recall >= ${target}: ours ef ${a?.value ?? '-'}, peer ef ${b?.value ?? '-'}: QPS ratio ${wall === null ? 'n/a' : wall.toFixed(2)} (wall), ${cpu === null ? 'n/a' : cpu.toFixed(2)} (CPU)`,
    );
  }
  ratios.buildTimeRatio = round(ours.buildMs / peer.buildMs, 3);
  ratios.buildCpuRatio = round(ours.buildCpuMs! / peer.buildCpuMs!, 3);
  log(
    `  build (fastest of ${builds}): ours ${(ours.buildMs / 1000).toFixed(2)} s (CPU ${(ours.buildCpuMs! / 1000).toFixed(2)} s), peer ${(peer.buildMs / 1000).toFixed(2)} s (CPU ${(peer.buildCpuMs! / 1000).toFixed(2)} s): ratio ${ratios.buildTimeRatio} wall, ${ratios.buildCpuRatio} CPU`,
  );
  const wall98 = ratios['qpsRatioAtRecall0.98'];
  const cpu98 = ratios['cpuQpsRatioAtRecall0.98'];
  const best = Math.max(...ours.curve.map((p) => p.recall));
  const verdict = (ok: boolean) => (ok ? 'met' : 'missed');
  log('  goals:');
  log(
    `    recall@10 >= 0.98 at >= 0.5x peer QPS: ${verdict(cpu98 != null && cpu98 >= 0.5)} on CPU time (${cpu98}), ${verdict(wall98 != null && wall98 >= 0.5)} on wall clock (${wall98})`,
  );
  log(
    `    build time within 2x: ${verdict(ratios.buildCpuRatio <= 2)} on CPU time (${ratios.buildCpuRatio}), ${verdict(ratios.buildTimeRatio <= 2)} on wall clock (${ratios.buildTimeRatio})`,
  );
  log(`    recall@10 >= 0.999 at high efSearch: ${verdict(best >= 0.999)} (${best.toFixed(3)})`);
}

let scale: ScaleReport | null = null;
if (!flag('--no-scale')) {
  const target = Number(option('--scale', quick ? '5000' : '1000000'));
  const budget = Number(option('--scale-budget', quick ? '10' : '180'));
  log(
    `\nscale point: up to ${target.toLocaleString('en-US')} random Gaussian vectors, dim 64, build budget ${budget} s`,
  );
  scale = runScale(target, budget, peerModule, repeats, (line) => log(line));
  log(
    `  built ${scale.built.toLocaleString('en-US')} of ${target.toLocaleString('en-US')} (M ${scale.connectivity}, efC ${scale.efConstruction}) in ${(scale.buildMs / 1000).toFixed(1)} s, ${scale.bytesPerVector.toFixed(0)} bytes/vector; exact ground truth (flat, tensor matmul) ${(scale.exactMs / 1000).toFixed(1)} s for 100 queries`,
  );
  for (const p of scale.curve)
    log(
      `  efSearch ${String(p.efSearch).padEnd(4)} recall@10 ${p.recall.toFixed(3)}  ${Math.round(p.qps)} QPS (CPU ${Math.round(p.cpuQps)})`,
    );
  if (scale.peer) {
    log(
      `  hnswlib-node on the same vectors (build once): build ${(scale.peer.buildMs / 1000).toFixed(1)} s (ratio ${(scale.buildMs / scale.peer.buildMs).toFixed(2)})`,
    );
    for (const p of scale.peer.curve)
      log(
        `  peer efSearch ${String(p.efSearch).padEnd(4)} recall@10 ${p.recall.toFixed(3)}  ${Math.round(p.qps)} QPS (CPU ${Math.round(p.cpuQps)})`,
      );
  }
}

const results = {
  title: `recall@10 / QPS on ${data.name.split(' (')[0]}`,
  data: data.name,
  repeats,
  reports: reports.map(({ name, buildMs, buildCpuMs, bytesPerVector, memoryNote, curve }) => ({
    name,
    buildMs,
    buildCpuMs,
    bytesPerVector,
    memoryNote,
    curve,
  })),
  ratios,
  scale,
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', quick ? 'quick.json' : 'latest.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);
if (!quick && !flag('--no-plot')) {
  for (const [file, svg] of renderPlots(results)) writeFileSync(join(here, '../docs', file), svg);
  log('\nwrote docs/recall-qps.svg, docs/hnsw-vs-hnswlib.svg and bench/results/latest.json');
}

const headline = {
  bench: '@x/ann',
  data: data.name.split(' (')[0],
  k: 10,
  sharedMachine: true,
  indexes: Object.fromEntries(
    reports.map((r) => [
      r.name,
      {
        buildMs: Math.round(r.buildMs),
        buildCpuMs: r.buildCpuMs === undefined ? null : Math.round(r.buildCpuMs),
        bytesPerVector: Math.round(r.bytesPerVector),
        curve: compactCurve(r),
      },
    ]),
  ),
  ratios,
  scale: scale && {
    target: scale.target,
    built: scale.built,
    dimension: scale.dimension,
    buildMs: Math.round(scale.buildMs),
    buildCpuMs: Math.round(scale.buildCpuMs),
    bytesPerVector: Math.round(scale.bytesPerVector),
    curve: scale.curve.map((p) => [
      p.efSearch,
      round(p.recall, 4),
      Math.round(p.qps),
      Math.round(p.cpuQps),
    ]),
    peerCurve: scale.peer
      ? scale.peer.curve.map((p) => [
          p.efSearch,
          round(p.recall, 4),
          Math.round(p.qps),
          Math.round(p.cpuQps),
        ])
      : null,
    peerBuildMs: scale.peer ? Math.round(scale.peer.buildMs) : null,
    peerBuildCpuMs: scale.peer ? Math.round(scale.peer.buildCpuMs) : null,
  },
};
log(JSON.stringify(headline));
