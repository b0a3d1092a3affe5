/**
 * Ranking quality on BEIR SciFact: nDCG@10, Recall@100 and MAP@100 as
 * trec_eval computes them, on the 300 test claims (the published split)
 * and, as a check that differences are not noise, on the 809 train claims
 * (nothing here was tuned on either). Systems: our index flat (title + text
 * in one field, the default English analysis, BM25 k1 0.9 b 0.4) and
 * multifield (BM25F over title and text), and the JS peers on the same
 * data. Ends with one JSON line of the headline (test) figures.
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
const test = loadQrels(folder, 'test');
const train = loadQrels(folder, 'train');
const queries = loadQueries(folder).filter((query) => test.has(query.id) || train.has(query.id));
const testCount = queries.filter((query) => test.has(query.id)).length;

interface Row {
  name: string;
  test: RunMetrics;
  train: RunMetrics;
}

async function evaluate(name: string, search: (text: string) => Promise<string[]>): Promise<Row> {
  const run = new Map<string, string[]>();
  for (const query of queries) run.set(query.id, await search(query.text));
  return { name, test: evaluateRun(run, test), train: evaluateRun(run, train) };
}

async function evaluateAdapter(adapter: Adapter): Promise<Row> {
  await adapter.build(corpus);
  return evaluate(adapter.name, (text) => adapter.search(text, 100));
}

const rows: Row[] = [];
const f = (x: number) => x.toFixed(4);

const flat = ours();
const flatRow = await evaluateAdapter(flat);
flatRow.name = '@x/inverted-index flat (default: BM25 k1 0.9, b 0.4)';
rows.push(flatRow);
const tokenCount = flat.index.tokenCount();

const multi = new InvertedIndex({ fields: ['title', 'text'] });
for (const doc of corpus) multi.add({ id: doc.id, title: doc.title, text: doc.text });
const multiRow = await evaluate('@x/inverted-index multifield (BM25F, weights 1/1)', async (text) =>
  multi.search(text, { k: 100, syntax: 'plain' }).map((hit) => String(hit.id)),
);
rows.push(multiRow);

const lucene = new InvertedIndex({ fields: ['contents'], k1: 1.2, b: 0.75 });
for (const doc of corpus) lucene.add({ id: doc.id, contents: `${doc.title} ${doc.text}` });
rows.push(
  await evaluate('@x/inverted-index flat, Lucene defaults k1 1.2, b 0.75', async (text) =>
    lucene.search(text, { k: 100, syntax: 'plain' }).map((hit) => String(hit.id)),
  ),
);

const luceneNorms = new InvertedIndex({ fields: ['contents'], lengthNorm: 'lucene' });
for (const doc of corpus) luceneNorms.add({ id: doc.id, contents: `${doc.title} ${doc.text}` });
rows.push(
  await evaluate(
    "@x/inverted-index flat, Lucene's lossy length norms (as Anserini)",
    async (text) =>
      luceneNorms.search(text, { k: 100, syntax: 'plain' }).map((hit) => String(hit.id)),
  ),
);

// the query language on the same claims: how many are valid query strings
let parsed = 0;
for (const query of queries) {
  try {
    flat.index.search(query.text, { k: 1 });
    parsed++;
  } catch {
    // unbalanced quotes or parentheses: not a valid query-language string
  }
}

const peerNames = (option('peers') ?? 'wink,wink-utils,lunr,minisearch,flexsearch,orama')
  .split(',')
  .filter((name) => name !== 'none' && name.length > 0);
const peers: Record<string, number> = {};
for (const name of peerNames) {
  const factory = ADAPTERS[name];
  if (!factory) throw new Error(`unknown peer ${name}; known: ${Object.keys(ADAPTERS).join(', ')}`);
  const row = await evaluateAdapter(factory());
  rows.push(row);
  peers[row.name] = Number(f(row.test.ndcg10));
}

console.log(
  `BEIR SciFact: ${corpus.length} documents; test ${testCount} claims, train ${queries.length - testCount} claims\n`,
);
console.log(
  '| system | test nDCG@10 | test Recall@100 | test MAP@100 | train nDCG@10 | train Recall@100 |',
);
console.log('|---|---:|---:|---:|---:|---:|');
for (const row of rows) {
  console.log(
    `| ${row.name} | ${f(row.test.ndcg10)} | ${f(row.test.recall100)} | ${f(row.test.map100)} | ${f(row.train.ndcg10)} | ${f(row.train.recall100)} |`,
  );
}
console.log(`| Anserini BM25 flat (published) | ${ANSERINI.flat} | | | | |`);
console.log(`| Anserini BM25 multifield (published) | ${ANSERINI.multifield} | | | | |`);
const drift = ((tokenCount - ANSERINI.tokens) / ANSERINI.tokens) * 100;
console.log(`\nanalyzed tokens: ${tokenCount} (Anserini ${ANSERINI.tokens}, ${drift.toFixed(4)}%)`);
console.log(
  `claims that are valid query-language strings: ${parsed} of ${queries.length} (the eval searches plain text, as Anserini's bag of words)`,
);
const best = Math.max(ANSERINI.flat, ...Object.values(peers));
const verdict = (ok: boolean) => (ok ? 'met' : 'missed');
console.log(
  `goals (test): nDCG@10 >= ${ANSERINI.flat}: ${verdict(flatRow.test.ndcg10 >= ANSERINI.flat)}; Recall@100 >= 0.925: ${verdict(flatRow.test.recall100 >= 0.925)}; nDCG@10 >= best of Anserini and peers (${best}): ${verdict(flatRow.test.ndcg10 >= best)}`,
);
const bestTrainPeer = Math.max(
  ...rows.filter((row) => row.name in peers).map((row) => row.train.ndcg10),
);
console.log(
  `on train, default vs best peer: ${f(flatRow.train.ndcg10)} vs ${f(bestTrainPeer)} (nDCG@10 on 300 claims has a standard error near 0.02)`,
);
console.log(
  JSON.stringify({
    ndcg10: Number(f(flatRow.test.ndcg10)),
    recall100: Number(f(flatRow.test.recall100)),
    map100: Number(f(flatRow.test.map100)),
    tokens: tokenCount,
    multifieldNdcg10: Number(f(multiRow.test.ndcg10)),
    trainNdcg10: Number(f(flatRow.train.ndcg10)),
    peers,
  }),
);
