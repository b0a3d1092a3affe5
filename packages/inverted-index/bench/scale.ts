/**
 * The 100k-document scale point: synthetic documents drawn from SciFact's
 * word distribution (words sampled by frequency, lengths sampled from the
 * real abstracts), indexed by our library; build time, memory, snapshot
 * size and top-10 latency over the real SciFact claims. One JSON line.
 *
 *   node --expose-gc --conditions=@x/source --import tsx bench/scale.ts [--docs 100000] [--quick]
 */

import { InvertedIndex, standardTokenize } from '../src/index.js';
import { seededRandom } from '../src/test/index.js';
import { benchCorpus, flag, option } from './data.js';

const quick = flag('quick');
const count = Number(option('docs') ?? (quick ? 10_000 : 100_000));
const data = await benchCorpus(quick);
const corpus = data.corpus;
const queries = data.queries.slice(0, quick ? 100 : undefined);

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
/** JS heap plus memory outside it (typed-array backing stores). */
const usedMemory = () => {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
};
gc();
const heapBaseline = usedMemory();

// the SciFact vocabulary with its frequencies, and the abstracts' lengths in words
let words: string[] = [];
const lengths: number[] = [];
for (const doc of corpus) {
  const terms = standardTokenize(`${doc.title} ${doc.text}`).terms;
  lengths.push(terms.length);
  for (const term of terms) words.push(term);
}
const random = seededRandom(2026);
const texts: string[] = [];
for (let i = 0; i < count; i++) {
  const length = lengths[Math.floor(random() * lengths.length)]!;
  const parts = new Array<string>(length);
  for (let w = 0; w < length; w++) parts[w] = words[Math.floor(random() * words.length)]!;
  texts.push(parts.join(' '));
}
const textMB = texts.reduce((sum, text) => sum + text.length, 0) / 1e6;
words = [];

const index = new InvertedIndex({ fields: ['contents'] });
const start = performance.now();
const cpu = process.cpuUsage();
for (let i = 0; i < count; i++) index.add({ id: i, contents: texts[i] });
const buildCpu = process.cpuUsage(cpu);
const buildSeconds = (performance.now() - start) / 1000;
texts.length = 0;
gc();
// the index alone: the generated texts are released before measuring
const heapMB = (usedMemory() - heapBaseline) / 2 ** 20;
const snapshotMB = index.save().length / 1e6;

for (const query of queries.slice(0, 100)) index.search(query.text, { k: 10, syntax: 'plain' });
const latencies: number[] = [];
for (const query of queries) {
  const t = performance.now();
  index.search(query.text, { k: 10, syntax: 'plain' });
  latencies.push(performance.now() - t);
}
const exhaustive: number[] = [];
for (const query of queries.slice(0, 300)) {
  const t = performance.now();
  index.search(query.text, { k: 10, syntax: 'plain', pruning: false });
  exhaustive.push(performance.now() - t);
}
latencies.sort((a, b) => a - b);
exhaustive.sort((a, b) => a - b);
const at = (values: number[], q: number) =>
  values[Math.min(values.length - 1, Math.floor(q * values.length))]!;
console.log(
  JSON.stringify({
    docs: count,
    textMB: Number(textMB.toFixed(1)),
    tokens: index.tokenCount(),
    buildSeconds: Number(buildSeconds.toFixed(2)),
    buildCpuSeconds: Number(((buildCpu.user + buildCpu.system) / 1e6).toFixed(2)),
    heapMB: Number(heapMB.toFixed(1)),
    peakRssMB: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
    snapshotMB: Number(snapshotMB.toFixed(2)),
    p50ms: Number(at(latencies, 0.5).toFixed(3)),
    p99ms: Number(at(latencies, 0.99).toFixed(3)),
    exhaustiveP50ms: Number(at(exhaustive, 0.5).toFixed(3)),
  }),
);
