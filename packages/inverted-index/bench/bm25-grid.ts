/**
 * BM25 parameter sensitivity on SciFact: nDCG@10 and Recall@100 of the flat
 * index for a grid of k1 and b, on the test and the train claims. It shows
 * how much of any gap to another system the parameters could close, with the
 * 0.0.x default analysis (Lucene's 33 stopwords, exact lengths). Ends with one JSON line.
 *
 *   tsx --conditions=@x/source bench/bm25-grid.ts [--data DIR]
 */

import { InvertedIndex } from '../src/index.js';
import { loadCorpus, loadQrels, loadQueries, scifactFolder } from './data.js';
import { evaluateRun } from './metrics.js';

const folder = scifactFolder();
const corpus = loadCorpus(folder);
const queries = loadQueries(folder);
const test = loadQrels(folder, 'test');
const train = loadQrels(folder, 'train');
const results: { k1: number; b: number; test: number; train: number }[] = [];
console.log('| k1 | b | test nDCG@10 | test Recall@100 | train nDCG@10 | train Recall@100 |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const k1 of [0.6, 0.9, 1.2, 1.5]) {
  for (const b of [0.3, 0.4, 0.6, 0.75, 0.9]) {
    const index = new InvertedIndex({
      fields: ['contents'],
      preset: 'anserini',
      lengthNorm: 'exact',
      k1,
      b,
    });
    for (const doc of corpus) index.add({ id: doc.id, contents: `${doc.title} ${doc.text}` });
    const run = new Map<string, string[]>();
    for (const query of queries) {
      run.set(
        query.id,
        index.search(query.text, { k: 100, syntax: 'plain' }).map((hit) => String(hit.id)),
      );
    }
    const onTest = evaluateRun(run, test);
    const onTrain = evaluateRun(run, train);
    results.push({ k1, b, test: onTest.ndcg10, train: onTrain.ndcg10 });
    const cells = [k1, b, onTest.ndcg10, onTest.recall100, onTrain.ndcg10, onTrain.recall100];
    console.log(
      `| ${cells.map((x) => (Number.isInteger(x * 100) ? x : x.toFixed(4))).join(' | ')} |`,
    );
  }
}
const bestTest = results.reduce((a, b) => (b.test > a.test ? b : a));
console.log(JSON.stringify({ bestTest, grid: results.length }));
