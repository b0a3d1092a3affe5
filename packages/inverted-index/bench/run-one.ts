/**
 * Benchmarks one library in this process (the orchestrator, index.ts, starts
 * one process per library): index build time, retained heap and peak RSS,
 * snapshot size on disk, and top-10 query latency over SciFact claims
 * (warm-up pass first). Prints one JSON line.
 *
 *   node --expose-gc --conditions=@x/source --import tsx bench/run-one.ts --lib ours [--quick] [--data DIR]
 */

import { rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchCorpus, flag, option } from './data.js';
import { ADAPTERS } from './peers.js';

const name = option('lib') ?? 'ours';
const quick = flag('quick');
const factory = ADAPTERS[name];
if (!factory) throw new Error(`unknown --lib ${name}; known: ${Object.keys(ADAPTERS).join(', ')}`);

const data = await benchCorpus(quick);
const corpus = data.corpus.slice(0, quick ? 500 : undefined);
const queries = data.queries.slice(0, quick ? 100 : undefined);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
/** JS heap plus memory outside it (typed-array backing stores). */
const usedMemory = () => {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
};

const adapter = factory();
gc();
const heapBefore = usedMemory();
const start = performance.now();
const cpu = process.cpuUsage();
await adapter.build(corpus);
const buildCpu = process.cpuUsage(cpu);
const buildSeconds = (performance.now() - start) / 1000;
gc();
const heapMB = (usedMemory() - heapBefore) / 2 ** 20;

const bytes = await adapter.serialize();
const path = join(tmpdir(), `inverted-index-bench-${name}-${process.pid}.bin`);
writeFileSync(path, bytes);
const snapshotMB = statSync(path).size / 1e6;
rmSync(path);

for (const query of queries.slice(0, 100)) await adapter.search(query.text, 10);
const latencies: number[] = [];
const total = performance.now();
for (const query of queries) {
  const t = performance.now();
  await adapter.search(query.text, 10);
  latencies.push(performance.now() - t);
}
const totalSeconds = (performance.now() - total) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;

console.log(
  JSON.stringify({
    name: adapter.name,
    docs: corpus.length,
    queries: queries.length,
    buildSeconds: Number(buildSeconds.toFixed(3)),
    buildCpuSeconds: Number(((buildCpu.user + buildCpu.system) / 1e6).toFixed(3)),
    heapMB: Number(heapMB.toFixed(1)),
    peakRssMB: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
    snapshotMB: Number(snapshotMB.toFixed(3)),
    p50ms: Number(at(0.5).toFixed(3)),
    p99ms: Number(at(0.99).toFixed(3)),
    qps: Math.round(queries.length / totalSeconds),
  }),
);
