/**
 * Ranking quality on BEIR SciFact: nDCG@10, Recall@100 and MAP@100 as
 * trec_eval computes them, on the 300 test claims (the published split)
 * and, as a check that differences are not noise, on the 809 train claims
 * (nothing here was tuned on either). Systems: our index flat (title + text
 * in one field, the default English analysis, BM25 k1 0.9 b 0.4) and
 * multifield (BM25F over title and text), and the JS peers on the same
 * data. For our default against each peer it prints a paired significance
 * test (randomization p-value, bootstrap 95% interval of the nDCG@10
 * difference) on test, on train and on all judged claims. Ends with one
 * JSON line of the headline (test) figures.
 *
 *   npm run eval -w @x/inverted-index -- [--data DIR] [--peers wink,lunr,...|none]
 */

import { createRequire } from 'node:module';
import { InvertedIndex } from '../src/index.js';
import { loadCorpus, loadQrels, loadQueries, option, scifactFolder } from './data.js';
import { evaluateRun, ndcgPerQuery, type RunMetrics } from './metrics.js';
import { ADAPTERS, type Adapter, ours } from './peers.js';
import { type PairedComparison, pairedComparison } from './significance.js';

// Anserini's BEIR (v1.0.0) SciFact regressions (the issue quotes the flat figure rounded, 0.679)
const ANSERINI = { flat: 0.6789, flatRecall100: 0.9253, multifield: 0.6647, tokens: 838_128 };

const folder = scifactFolder();
const corpus = loadCorpus(folder);
const test = loadQrels(folder, 'test');
const train = loadQrels(folder, 'train');
const queries = loadQueries(folder).filter((query) => test.has(query.id) || train.has(query.id));
const testCount = queries.filter((query) => test.has(query.id)).length;
const judgedSets = { test, train, all: new Map([...test, ...train]) };

interface Row {
  name: string;
  test: RunMetrics;
  train: RunMetrics;
  run: Map<string, string[]>;
}

async function evaluate(name: string, search: (text: string) => Promise<string[]>): Promise<Row> {
  const run = new Map<string, string[]>();
  for (const query of queries) run.set(query.id, await search(query.text));
  return { name, test: evaluateRun(run, test), train: evaluateRun(run, train), run };
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

// lunr's ranking settings in this index: Lucene's older BM25 defaults and lunr's
// stopwords (the corpus words its stopword filter drops), to show where its lead comes from
const require = createRequire(import.meta.url);
const lunr = require('lunr') as {
  Token: new (text: string) => unknown;
  stopWordFilter(token: unknown): unknown;
};
const words = new Set(
  corpus.flatMap((doc) => `${doc.title} ${doc.text}`.toLowerCase().split(/[^a-z']+/)),
);
const lunrStopwords = [...words].filter(
  (word) => word.length > 0 && lunr.stopWordFilter(new lunr.Token(word)) === undefined,
);
const lunrLike = new InvertedIndex({
  fields: ['contents'],
  k1: 1.2,
  b: 0.75,
  analyzer: { stopwords: lunrStopwords },
});
for (const doc of corpus) lunrLike.add({ id: doc.id, contents: `${doc.title} ${doc.text}` });
rows.push(
  await evaluate(
    `@x/inverted-index flat, lunr's settings (k1 1.2, b 0.75, its ${lunrStopwords.length} stopwords)`,
    async (text) => lunrLike.search(text, { k: 100, syntax: 'plain' }).map((hit) => String(hit.id)),
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

const peerNames = (
  option('peers') ?? 'wink,wink-utils,lunr,lunr-search,minisearch,flexsearch,orama'
)
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
console.log(
  `| Anserini BM25 flat (published) | ${ANSERINI.flat} | ${ANSERINI.flatRecall100} | | | |`,
);
console.log(`| Anserini BM25 multifield (published) | ${ANSERINI.multifield} | | | | |`);
const drift = ((tokenCount - ANSERINI.tokens) / ANSERINI.tokens) * 100;
console.log(`\nanalyzed tokens: ${tokenCount} (Anserini ${ANSERINI.tokens}, ${drift.toFixed(4)}%)`);
console.log(
  `claims that are valid query-language strings: ${parsed} of ${queries.length} (the eval searches plain text, as Anserini's bag of words)`,
);

// paired tests: our default against each peer, query by query
const peerRows = rows.filter((row) => row.name in peers);
const comparisons: Record<string, Record<keyof typeof judgedSets, PairedComparison>> = {};
if (peerRows.length > 0) {
  console.log(
    '\nour default minus each peer, nDCG@10 per claim (randomization test p, bootstrap 95% interval):\n',
  );
  console.log('| peer | test | train | all judged claims |');
  console.log('|---|---:|---:|---:|');
}
const cell = (c: PairedComparison) =>
  `${c.meanDiff >= 0 ? '+' : ''}${f(c.meanDiff)} (p ${c.p.toFixed(3)}, ${f(c.ci95[0])}..${f(c.ci95[1])})`;
for (const row of peerRows) {
  const compare = (qrels: (typeof judgedSets)[keyof typeof judgedSets]) =>
    pairedComparison(ndcgPerQuery(flatRow.run, qrels), ndcgPerQuery(row.run, qrels));
  const c = { test: compare(test), train: compare(train), all: compare(judgedSets.all) };
  comparisons[row.name] = c;
  console.log(`| ${row.name} | ${cell(c.test)} | ${cell(c.train)} | ${cell(c.all)} |`);
}

const best = Math.max(ANSERINI.flat, ...Object.values(peers));
const verdict = (ok: boolean) => (ok ? 'met' : 'missed');
console.log(
  `goals (test): nDCG@10 >= Anserini's ${ANSERINI.flat}: ${verdict(flatRow.test.ndcg10 >= ANSERINI.flat)}; Recall@100 >= 0.925: ${verdict(flatRow.test.recall100 >= 0.925)}; nDCG@10 >= best of Anserini and peers (${best}): ${verdict(flatRow.test.ndcg10 >= best)}`,
);
if (peerRows.length > 0) {
  const bestTrainPeer = Math.max(...peerRows.map((row) => row.train.ndcg10));
  console.log(
    `on train, default vs best peer: ${f(flatRow.train.ndcg10)} vs ${f(bestTrainPeer)} (see the paired tests above for which differences are more than noise)`,
  );
}
console.log(
  JSON.stringify({
    ndcg10: Number(f(flatRow.test.ndcg10)),
    recall100: Number(f(flatRow.test.recall100)),
    map100: Number(f(flatRow.test.map100)),
    tokens: tokenCount,
    multifieldNdcg10: Number(f(multiRow.test.ndcg10)),
    trainNdcg10: Number(f(flatRow.train.ndcg10)),
    peers,
    vsPeers: Object.fromEntries(
      Object.entries(comparisons).map(([name, c]) => [
        name,
        {
          test: { diff: Number(f(c.test.meanDiff)), p: Number(c.test.p.toFixed(3)) },
          all: { diff: Number(f(c.all.meanDiff)), p: Number(c.all.p.toFixed(3)) },
        },
      ]),
    ),
  }),
);
