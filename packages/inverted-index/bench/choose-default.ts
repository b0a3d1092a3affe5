/**
 * How the default ranking was chosen: every candidate on SciFact's 809 train
 * claims only (the 300 test claims are not read here; `npm run eval` reports
 * test once for the chosen default). Candidates cross the ideas the issue
 * names: stopwords (Lucene's 33, lunr's 119, Snowball's 174, which include
 * question words), stemmer (Porter, Porter2), BM25 parameters (Anserini's
 * k1 0.9 / b 0.4, Lucene's 1.2 / 0.75), and repeated query terms (summed,
 * as Lucene, or counted once). BM25+, BM25L and proximity are measured on
 * train by bench/ranking-variants.ts. Prints the candidates best first with a
 * paired randomization test against today's default, then the winner.
 *
 *   tsx --conditions=@x/source bench/choose-default.ts [--data DIR]
 */

import { createRequire } from 'node:module';
import {
  type Analyzer,
  type AnalyzerConfig,
  createAnalyzer,
  ENGLISH_STOPWORDS,
  InvertedIndex,
  type TokenStream,
} from '../src/index.js';
import { loadCorpus, loadQrels, loadQueries, scifactFolder } from './data.js';
import { evaluateRun, ndcgPerQuery } from './metrics.js';
import { pairedComparison } from './significance.js';
import { LUNR_STOPWORDS, SNOWBALL_STOPWORDS } from './stopword-lists.js';

const folder = scifactFolder();
const corpus = loadCorpus(folder);
const train = loadQrels(folder, 'train');
const queries = loadQueries(folder).filter((query) => train.has(query.id));

const STOPWORDS = {
  lucene33: ENGLISH_STOPWORDS,
  lunr119: LUNR_STOPWORDS,
  snowball174: SNOWBALL_STOPWORDS,
};
const porter2 = createRequire(import.meta.url)('wink-porter2-stemmer') as (word: string) => string;

function analyzerOf(
  stopwords: readonly string[],
  stemmer: 'porter' | 'porter2',
): Analyzer | AnalyzerConfig {
  const config: AnalyzerConfig = { stopwords };
  if (stemmer === 'porter') return config;
  const base = createAnalyzer({ ...config, stemmer: 'none' });
  const stem = (stream: TokenStream): TokenStream => ({
    ...stream,
    terms: stream.terms.map(porter2),
  });
  return {
    ...base,
    analyze: (text) => stem(base.analyze(text)),
    analyzeQuery: (text) => stem(base.analyzeQuery!(text)),
    config: undefined,
  };
}

interface Result {
  name: string;
  ndcg10: number;
  recall100: number;
  perQuery: number[];
}
const results: Result[] = [];
for (const [stopName, stopwords] of Object.entries(STOPWORDS)) {
  for (const stemmer of ['porter', 'porter2'] as const) {
    for (const [k1, b] of [
      [0.9, 0.4],
      [1.2, 0.75],
    ] as const) {
      const index = new InvertedIndex({
        fields: ['contents'],
        k1,
        b,
        analyzer: analyzerOf(stopwords, stemmer),
      });
      for (const doc of corpus) index.add({ id: doc.id, contents: `${doc.title} ${doc.text}` });
      for (const repeats of ['sum', 'once'] as const) {
        const run = new Map<string, string[]>();
        for (const query of queries) {
          const hits = index.search(query.text, {
            k: 100,
            syntax: 'plain',
            repeatedTerms: repeats,
          });
          run.set(
            query.id,
            hits.map((hit) => String(hit.id)),
          );
        }
        const metrics = evaluateRun(run, train);
        results.push({
          name: `${stopName}, ${stemmer}, k1 ${k1} b ${b}, repeats ${repeats}`,
          ndcg10: metrics.ndcg10,
          recall100: metrics.recall100,
          perQuery: ndcgPerQuery(run, train),
        });
      }
    }
  }
}

const today = results.find((r) => r.name === 'lucene33, porter, k1 0.9 b 0.4, repeats sum')!;
results.sort((x, y) => y.ndcg10 - x.ndcg10);
const f = (x: number) => x.toFixed(4);
console.log(
  `SciFact train: ${corpus.length} documents, ${queries.length} claims (test not read)\n`,
);
console.log('| candidate | train nDCG@10 | train Recall@100 | vs today (p) |');
console.log('|---|---:|---:|---:|');
for (const r of results) {
  const c = pairedComparison(r.perQuery, today.perQuery);
  console.log(
    `| ${r.name}${r === today ? ' (today)' : ''} | ${f(r.ndcg10)} | ${f(r.recall100)} | ${c.meanDiff >= 0 ? '+' : ''}${f(c.meanDiff)} (p ${c.p.toFixed(3)}) |`,
  );
}
const winner = results[0]!;
console.log(`\nchosen (best train nDCG@10): ${winner.name}`);
console.log(
  JSON.stringify({
    chosen: winner.name,
    trainNdcg10: Number(f(winner.ndcg10)),
    todayTrainNdcg10: Number(f(today.ndcg10)),
    rows: results.map((r) => ({
      name: r.name,
      ndcg10: Number(f(r.ndcg10)),
      recall100: Number(f(r.recall100)),
    })),
  }),
);
