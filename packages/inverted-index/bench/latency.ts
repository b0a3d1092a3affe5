/**
 * Query latency of our index on SciFact by strategy: Block-Max WAND (the
 * default) against exhaustive scoring, for k = 10 and k = 100, over all
 * 1,109 claims (best of 3 passes, after a warm-up pass). One JSON line.
 *
 *   tsx --conditions=@x/source bench/latency.ts [--data DIR]
 */

import { InvertedIndex } from '../src/index.js';
import { loadCorpus, loadQueries, scifactFolder } from './data.js';

const folder = scifactFolder();
const corpus = loadCorpus(folder);
const queries = loadQueries(folder);
const index = new InvertedIndex({ fields: ['contents'] });
for (const doc of corpus) index.add({ id: doc.id, contents: `${doc.title} ${doc.text}` });

function measure(k: number, pruning: boolean): { p50: number; p99: number; mean: number } {
  let best = { p50: Number.POSITIVE_INFINITY, p99: 0, mean: 0 };
  for (let pass = 0; pass < 4; pass++) {
    const times: number[] = [];
    for (const query of queries) {
      const start = performance.now();
      index.search(query.text, { k, syntax: 'plain', pruning });
      times.push(performance.now() - start);
    }
    if (pass === 0) continue;
    times.sort((a, b) => a - b);
    const p50 = times[Math.floor(times.length / 2)]!;
    if (p50 < best.p50) {
      best = {
        p50,
        p99: times[Math.floor(times.length * 0.99)]!,
        mean: times.reduce((a, b) => a + b, 0) / times.length,
      };
    }
  }
  return best;
}

const results: Record<string, { p50: number; p99: number; mean: number }> = {};
for (const k of [10, 100]) {
  for (const pruning of [true, false])
    results[`k${k}-${pruning ? 'bmw' : 'exhaustive'}`] = measure(k, pruning);
}
console.log('| strategy | p50 ms | p99 ms | mean ms |');
console.log('|---|---:|---:|---:|');
for (const [name, r] of Object.entries(results)) {
  console.log(`| ${name} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} | ${r.mean.toFixed(3)} |`);
}
console.log(JSON.stringify(results));
