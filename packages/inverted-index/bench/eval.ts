/**
 * Ranking quality on BEIR SciFact (300 test claims, graded qrels):
 * nDCG@10, Recall@100 and MAP@100 as trec_eval computes them, for our index
 * (flat: title + text in one field; and multifield: BM25F over title and
 * text) and for the JS peers on the same data. Ends with one JSON line.
 *
 *   npm run eval -w @x/inverted-index -- [--data DIR] [--peers wink,lunr,...|none]
 */

import { InvertedIndex } from '../src/index.js';
import { loadCorpus, loadQrels, loadQueries, option, scifactFolder } from './data.js';
import { evaluateRun, type RunMetrics } from './metrics.js';
import { ADAPTERS, type Adapter, ours } from './peers.js';

const ANSERINI = { flat: 0.679, multifield: 0.6647, tokens: 838_128 };

const folder = scifactFolder();
const corpus = loadCorpus(folder);
const qrels = loadQrels(folder, 'test');
const queries = loadQueries(folder).filter((query) => qrels.has(query.id));

async function evaluate(adapter: Adapter): Promise<RunMetrics & { buildSeconds: number }> {
  const start = performance.now();
  await adapter.build(corpus);
  const buildSeconds = (performance.now() - start) / 1000;
  const run = new Map<string, string[]>();
  for (const query of queries) run.set(query.id, await adapter.search(query.text, 100));
  return { ...evaluateRun(run, qrels), buildSeconds };
}

const rows: { name: string; ndcg10: number; recall100: number; map100: number }[] = [];
const f = (x: number) => x.toFixed(4);

const flat = ours();
const flatMetrics = await evaluate(flat);
const tokenCount = flat.index.tokenCount();
rows.push({ name: '@x/inverted-index (flat, BM25 k1 0.9 b 0.4)', ...flatMetrics });

// query-language mode on the same claims: how many parse, and the quality when they do
let parsed = 0;
for (const query of queries) {
  try {
    flat.index.search(query.text, { k: 1 });
    parsed++;
  } catch {
    // a claim with unbalanced quotes or parentheses is not a valid query-language string
  }
}

const multi = new InvertedIndex({ fields: ['title', 'text'] });
for (const doc of corpus) multi.add({ id: doc.id, title: doc.title, text: doc.text });
const multiRun = new Map<string, string[]>();
for (const query of queries) {
  multiRun.set(
    query.id,
    multi.search(query.text, { k: 100, syntax: 'plain' }).map((hit) => String(hit.id)),
  );
}
const multiMetrics = evaluateRun(multiRun, qrels);
rows.push({ name: '@x/inverted-index (multifield BM25F, w 1/1)', ...multiMetrics });

const peerNames = (option('peers') ?? 'wink,lunr,minisearch,flexsearch,orama')
  .split(',')
  .filter((name) => name !== 'none' && name.length > 0);
const peers: Record<string, number> = {};
for (const name of peerNames) {
  const factory = ADAPTERS[name];
  if (!factory) throw new Error(`unknown peer ${name}; known: ${Object.keys(ADAPTERS).join(', ')}`);
  const adapter = factory();
  const metrics = await evaluate(adapter);
  rows.push({ name: adapter.name, ...metrics });
  peers[adapter.name] = Number(f(metrics.ndcg10));
}

console.log(`BEIR SciFact test: ${queries.length} queries, ${corpus.length} documents\n`);
console.log('| system | nDCG@10 | Recall@100 | MAP@100 |');
console.log('|---|---:|---:|---:|');
for (const row of rows)
  console.log(`| ${row.name} | ${f(row.ndcg10)} | ${f(row.recall100)} | ${f(row.map100)} |`);
console.log(`| Anserini BM25 flat (published) | ${ANSERINI.flat} | | |`);
console.log(`| Anserini BM25 multifield (published) | ${ANSERINI.multifield} | | |`);
console.log(
  `\nanalyzed tokens: ${tokenCount} (Anserini ${ANSERINI.tokens}, ${(((tokenCount - ANSERINI.tokens) / ANSERINI.tokens) * 100).toFixed(4)}%)`,
);
console.log(
  `claims that parse in the query language: ${parsed} of ${queries.length} (the eval searches plain text, as Anserini's bag of words)`,
);
const best = Math.max(ANSERINI.flat, ...Object.values(peers));
console.log(
  `goal nDCG@10 >= ${ANSERINI.flat} (Anserini): ${flatMetrics.ndcg10 >= ANSERINI.flat ? 'met' : 'missed'}; >= best of Anserini and peers (${best}): ${flatMetrics.ndcg10 >= best ? 'met' : 'missed'}; Recall@100 >= 0.925: ${flatMetrics.recall100 >= 0.925 ? 'met' : 'missed'}`,
);
console.log(
  JSON.stringify({
    ndcg10: Number(f(flatMetrics.ndcg10)),
    recall100: Number(f(flatMetrics.recall100)),
    map100: Number(f(flatMetrics.map100)),
    tokens: tokenCount,
    multifieldNdcg10: Number(f(multiMetrics.ndcg10)),
    peers,
  }),
);
