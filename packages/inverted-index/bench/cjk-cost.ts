/**
 * What indexing CJK unigrams beside bigrams costs (the default
 * `cjk: 'bigram-unigram'` against Lucene's bigram-only `cjk: 'bigram'`), on
 * the 21,050 Song ci of zh-classics (5.8 MB): analyzed tokens, distinct
 * terms, snapshot bytes, build time, and query latency for one-, two- and
 * four-character queries drawn from the text (seeded), with how many of the
 * one-character queries find anything. Builds and query passes of the two
 * modes alternate (best of 3 each), so machine load hits both alike.
 * `--quick` uses the Analects sentences committed for the tests.
 *
 *   tsx --conditions=@x/source bench/cjk-cost.ts [--data DIR] [--quick]
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvertedIndex } from '../src/index.js';
import { seededRandom } from '../src/test/index.js';
import { dataFolder, flag } from './data.js';

type Mode = 'bigram' | 'bigram-unigram';
const MODES: Mode[] = ['bigram', 'bigram-unigram'];

async function pieces(): Promise<string[]> {
  const path = join(dataFolder(), 'text', 'zh-classics', 'songci.txt');
  if (flag('quick') || !existsSync(path)) {
    if (!flag('quick'))
      console.error(`${path} not found: running on the committed Analects sentences`);
    const { ZH_SENTENCES } = await import('../src/__fixtures__/zh-sentences.js');
    return [...ZH_SENTENCES];
  }
  return readFileSync(path, 'utf8')
    .split('\n\n')
    .map((block) => block.trim())
    .filter((block) => block.length > 0);
}

const docs = await pieces();
const random = seededRandom(19);
const han = /^\p{Script=Han}+$/u;
function sample(length: number, count: number): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const text = docs[Math.floor(random() * docs.length)]!;
    const at = Math.floor(random() * Math.max(1, text.length - length));
    const piece = text.slice(at, at + length);
    if (han.test(piece) && [...piece].length === length) out.push(piece);
  }
  return out;
}
const queries = { 1: sample(1, 300), 2: sample(2, 300), 4: sample(4, 300) };

function build(mode: Mode): { index: InvertedIndex; seconds: number } {
  const start = performance.now();
  const index = new InvertedIndex({ fields: ['text'], analyzer: { cjk: mode } });
  docs.forEach((text, id) => index.add({ id, text }));
  return { index, seconds: (performance.now() - start) / 1000 };
}

function pass(index: InvertedIndex, texts: string[]): { p50: number; found: number } {
  const times: number[] = [];
  let found = 0;
  for (const text of texts) {
    const start = performance.now();
    const hits = index.search(text, { k: 10 });
    times.push(performance.now() - start);
    if (hits.length > 0) found++;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)]!, found };
}

const best: Record<Mode, { build: number; index: InvertedIndex | null }> = {
  bigram: { build: Number.POSITIVE_INFINITY, index: null },
  'bigram-unigram': { build: Number.POSITIVE_INFINITY, index: null },
};
for (let run = 0; run < 3; run++) {
  for (const mode of run % 2 === 0 ? MODES : [...MODES].reverse()) {
    const { index, seconds } = build(mode);
    best[mode].build = Math.min(best[mode].build, seconds);
    best[mode].index = index;
  }
}
const latency: Record<string, { p50: number; found: number }> = {};
for (const length of [1, 2, 4] as const) {
  for (const mode of MODES) pass(best[mode].index!, queries[length]); // warm-up
  for (let run = 0; run < 3; run++) {
    for (const mode of MODES) {
      const result = pass(best[mode].index!, queries[length]);
      const key = `${mode}:${length}`;
      if (!latency[key] || result.p50 < latency[key]!.p50) latency[key] = result;
    }
  }
}

console.log(`${docs.length} documents, ${docs.reduce((n, d) => n + d.length, 0)} characters\n`);
console.log(
  '| cjk mode | tokens | terms | snapshot MB | build s | p50 ms 1 char (found) | p50 ms 2 chars | p50 ms 4 chars |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
const rows: Record<string, unknown> = {};
for (const mode of MODES) {
  const index = best[mode].index!;
  const bytes = index.save().length;
  const one = latency[`${mode}:1`]!;
  const row = {
    tokens: index.tokenCount(),
    terms: index.termCount,
    snapshotMB: Number((bytes / 1e6).toFixed(2)),
    buildSeconds: Number(best[mode].build.toFixed(2)),
    p50Ms1: Number(one.p50.toFixed(3)),
    found1: one.found,
    p50Ms2: Number(latency[`${mode}:2`]!.p50.toFixed(3)),
    p50Ms4: Number(latency[`${mode}:4`]!.p50.toFixed(3)),
  };
  rows[mode] = row;
  console.log(
    `| ${mode} | ${row.tokens} | ${row.terms} | ${row.snapshotMB} | ${row.buildSeconds} | ${row.p50Ms1} (${row.found1} of 300) | ${row.p50Ms2} | ${row.p50Ms4} |`,
  );
}
console.log(JSON.stringify(rows));
