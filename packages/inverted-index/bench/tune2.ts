import { createRequire } from 'node:module';
import {
  cjkFilter,
  composeAnalyzer,
  ENGLISH_STOPWORDS,
  InvertedIndex,
  lowercaseFilter,
  mapTerms,
  porterStemFilter,
  possessiveFilter,
  standardTokenize,
  stopFilter,
} from '../src/index.js';
import { loadCorpus, loadQrels, loadQueries, scifactFolder } from './data.js';
import { evaluateRun } from './metrics.js';

const require = createRequire(import.meta.url);
const porter2 = require('wink-porter2-stemmer');
const winkStop: string[] = require('wink-nlp-utils/src/dictionaries/stop_words.json');
const folder = scifactFolder();
const corpus = loadCorpus(folder);
const queries = loadQueries(folder);
const test = loadQrels(folder, 'test');
const train = loadQrels(folder, 'train');
function run(label: string, analyzer: any, opts: any = {}) {
  const index = new InvertedIndex({ fields: ['contents'], analyzer, ...opts });
  for (const d of corpus) index.add({ id: d.id, contents: `${d.title} ${d.text}` });
  const r = new Map<string, string[]>();
  for (const q of queries)
    r.set(
      q.id,
      index.search(q.text, { k: 100, syntax: 'plain' }).map((h) => String(h.id)),
    );
  const a = evaluateRun(r, test),
    b = evaluateRun(r, train);
  console.log(
    label.padEnd(30),
    'test',
    a.ndcg10.toFixed(4),
    a.recall100.toFixed(4),
    a.map100.toFixed(4),
    'train',
    b.ndcg10.toFixed(4),
    b.recall100.toFixed(4),
    'tokens',
    index.tokenCount(),
  );
}
const p2 = {
  name: 'porter2',
  apply: (s: any) => mapTerms(s, (t: string, k: number) => (k === 0 ? porter2(t) : t)),
};
const chain = (stop: readonly string[], stem: any) =>
  composeAnalyzer(standardTokenize, [
    cjkFilter(),
    possessiveFilter(),
    lowercaseFilter(),
    stopFilter(stop),
    stem,
  ]);
run('lucene stop + porter', chain(ENGLISH_STOPWORDS, porterStemFilter()));
run('lucene stop + porter2', chain(ENGLISH_STOPWORDS, p2));
run('wink stop + porter', chain(winkStop, porterStemFilter()));
run('wink stop + porter2', chain(winkStop, p2));
run('wink stop + porter2 k1.2 b.75', chain(winkStop, p2), { k1: 1.2, b: 0.75 });
run('wink stop + porter k1.2 b.75', chain(winkStop, porterStemFilter()), { k1: 1.2, b: 0.75 });
