/**
 * `npm run bench -w @x/demo` (`-- --quick` for CI's smoke: 300 passages, few queries).
 * One run, ending with one JSON line:
 *
 * 1. search latency per list on the embedded corpus (BM25, LSA vectors, RRF hybrid,
 *    ranked), against Orama 3's full-text, vector and hybrid search over the same
 *    passages and the same LSA vectors (its documented `mode: 'hybrid'`), same queries,
 *    interleaved query by query; ratios are Orama's p50 over ours;
 * 2. `ask` in the pipeline: Medusa (heads + passage n-grams) against plain greedy
 *    decoding of the same prompts: tokens/s, tokens per step, identical text.
 *
 * Options: --quick, --queries N, --tokens N.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import { Command } from 'commander';
import { loadCorpus } from '../src/corpus/ingest.js';
import { openPipeline } from '../src/pipeline/open.js';
import type { AskEvent } from '../src/pipeline/types.js';

const options = new Command()
  .option('--quick', 'tiny sizes (CI smoke)')
  .option('--queries <n>', 'search queries', (v) => Number.parseInt(v, 10))
  .option('--tokens <n>', 'tokens per ask', (v) => Number.parseInt(v, 10))
  .parse()
  .opts<{ quick?: boolean; queries?: number; tokens?: number }>();
const quick = options.quick === true;
const queryCount = options.queries ?? (quick ? 20 : 300);
const askCount = quick ? 2 : 12;
const tokens = options.tokens ?? (quick ? 24 : 120);

const dir = mkdtempSync(join(tmpdir(), 'x-demo-bench-'));
let passages = loadCorpus().passages;
if (quick) passages = passages.slice(0, 300);
writeFileSync(
  join(dir, 'corpus.jsonl'),
  passages.map((p) => JSON.stringify({ _id: p.id, title: p.title, text: p.text })).join('\n'),
);
console.log(`corpus: ${passages.length} speeches of tinyshakespeare; indexing...`);
const pipeline = await openPipeline({
  corpus: join(dir, 'corpus.jsonl'),
  dataDir: join(dir, 'data'),
  dims: quick ? 32 : 192,
});
const lsa = pipeline.indexes.embedder!;

// queries: a line of a speech picked with a fixed stride (its words, no syntax)
const queries: string[] = [];
for (let i = 0; queries.length < queryCount; i += 7) {
  const lines = passages[(i * 13) % passages.length]!.text.split('\n');
  queries.push(lines[i % lines.length]!.replace(/[^\p{L}\p{N}' ]/gu, ' ').trim() || 'king');
}

const db = create({
  schema: { title: 'string', text: 'string', embedding: `vector[${lsa.dims}]` } as const,
});
const vectors = lsa.embedAll(
  passages.map((p) => (p.title === '' ? p.text : `${p.title}\n${p.text}`)),
);
await insertMultiple(
  db,
  passages.map((p, i) => ({
    id: p.id,
    title: p.title,
    text: p.text,
    embedding: Array.from(vectors[i]!),
  })),
);

type Timer = () => unknown;
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const p99 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]!;
async function time(run: Timer): Promise<number> {
  const t = performance.now();
  await run();
  return performance.now() - t;
}

const systems: Record<string, (q: string) => Timer> = {
  'x bm25': (q) => () => pipeline.search(q, { k: 10, mode: 'bm25' }),
  'orama fulltext': (q) => () =>
    oramaSearch(db, { term: q, properties: ['title', 'text'], limit: 10 }),
  'x vector': (q) => () => pipeline.search(q, { k: 10, mode: 'vector' }),
  'orama vector': (q) => () =>
    oramaSearch(db, {
      mode: 'vector',
      vector: { value: Array.from(lsa.embed(q)), property: 'embedding' },
      similarity: 0,
      limit: 10,
    }),
  'x hybrid (rrf)': (q) => () => pipeline.search(q, { k: 10, mode: 'hybrid' }),
  'orama hybrid': (q) => () =>
    oramaSearch(db, {
      mode: 'hybrid',
      term: q,
      properties: ['title', 'text'],
      vector: { value: Array.from(lsa.embed(q)), property: 'embedding' },
      similarity: 0,
      limit: 10,
    }),
  'x ranked': (q) => () => pipeline.search(q, { k: 10, mode: 'ranked' }),
};
const samples: Record<string, number[]> = Object.fromEntries(
  Object.keys(systems).map((s) => [s, []]),
);
for (const q of queries.slice(0, 5)) for (const make of Object.values(systems)) await make(q)(); // warm up
for (const q of queries)
  for (const [name, make] of Object.entries(systems)) samples[name]!.push(await time(make(q)));

console.log(`\nsearch latency, ${queries.length} queries, k = 10 (ms)`);
console.log(`${'system'.padEnd(18)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}`);
for (const [name, xs] of Object.entries(samples))
  console.log(
    `${name.padEnd(18)} ${p50(xs).toFixed(3).padStart(8)} ${p99(xs).toFixed(3).padStart(8)}`,
  );
const ratio = (peer: string, ours: string) =>
  Number((p50(samples[peer]!) / p50(samples[ours]!)).toFixed(2));
const ratios = {
  fulltext: ratio('orama fulltext', 'x bm25'),
  vector: ratio('orama vector', 'x vector'),
  hybrid: ratio('orama hybrid', 'x hybrid (rrf)'),
};
console.log(
  `Orama p50 / ours: full text ${ratios.fulltext}x, vector ${ratios.vector}x, hybrid ${ratios.hybrid}x`,
);

async function ask(q: string, plain: boolean): Promise<Extract<AskEvent, { type: 'done' }>> {
  for await (const event of pipeline.ask(q, { maxTokens: tokens, plain }))
    if (event.type === 'done') return event;
  throw new Error('ask ended without a done event');
}
const figures = { medusa: { tokens: 0, ms: 0, steps: 0 }, plain: { tokens: 0, ms: 0, steps: 0 } };
let identical = 0;
for (const q of queries.slice(0, askCount)) {
  const m = await ask(q, false);
  const p = await ask(q, true);
  for (const [name, done] of [
    ['medusa', m],
    ['plain', p],
  ] as const) {
    figures[name].tokens += done.stats.tokens;
    figures[name].steps += done.stats.steps;
    figures[name].ms += done.timings.decoding ?? 0;
  }
  if (m.text === p.text) identical++;
}
const rate = (f: { tokens: number; ms: number }) => (f.tokens * 1000) / f.ms;
const speedup = Number((rate(figures.medusa) / rate(figures.plain)).toFixed(2));
console.log(`\nask, ${askCount} prompts x ${tokens} tokens, greedy`);
for (const [name, f] of Object.entries(figures))
  console.log(
    `${name.padEnd(8)} ${rate(f).toFixed(1).padStart(7)} tokens/s  ${(f.tokens / Math.max(1, f.steps)).toFixed(2)} tokens/step`,
  );
console.log(`Medusa speedup in the pipeline: ${speedup}x; identical text ${identical}/${askCount}`);
console.log(
  JSON.stringify({
    bench: '@x/demo',
    quick,
    passages: passages.length,
    queries: queries.length,
    searchP50Ms: Object.fromEntries(
      Object.entries(samples).map(([k, xs]) => [k, Number(p50(xs).toFixed(3))]),
    ),
    oramaOverOurs: ratios,
    ask: {
      prompts: askCount,
      tokens,
      medusaTokensPerSecond: Number(rate(figures.medusa).toFixed(1)),
      plainTokensPerSecond: Number(rate(figures.plain).toFixed(1)),
      speedup,
      identical,
    },
  }),
);
