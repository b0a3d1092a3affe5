import { InvertedIndex } from '../src/index.js';
import { loadCorpus, loadQrels, loadQueries, scifactFolder } from './data.js';
import { evaluateRun } from './metrics.js';

const folder = scifactFolder();
const corpus = loadCorpus(folder);
const queries = loadQueries(folder);
const qrels = loadQrels(folder);
let t = performance.now();
const index = new InvertedIndex({ fields: ['contents'] });
for (const d of corpus) index.add({ id: d.id, contents: `${d.title} ${d.text}` });
console.log(
  'build ms',
  performance.now() - t,
  'tokens',
  index.tokenCount(),
  'terms',
  index.termCount,
);
const run = new Map<string, string[]>();
const test = queries.filter((q) => qrels.has(q.id));
t = performance.now();
let mismatch = 0;
for (const q of test) {
  const hits = index.search(q.text, { k: 100, syntax: 'plain' });
  run.set(
    q.id,
    hits.map((h) => String(h.id)),
  );
  const ex = index.search(q.text, { k: 100, syntax: 'plain', pruning: false });
  if (JSON.stringify(ex) !== JSON.stringify(hits)) mismatch++;
}
console.log('query ms', performance.now() - t, 'mismatch', mismatch);
console.log(evaluateRun(run, qrels));
const bytes = index.save();
console.log('snapshot bytes', bytes.length);
t = performance.now();
const loaded = InvertedIndex.load(bytes);
console.log('load ms', performance.now() - t, loaded.size, loaded.tokenCount());
