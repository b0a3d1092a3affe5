import { createAnalyzer, InvertedIndex } from '../src/index.js';
import { loadCorpus, loadQrels, loadQueries, scifactFolder } from './data.js';
import { evaluateRun } from './metrics.js';

const folder = scifactFolder();
const corpus = loadCorpus(folder);
const queries = loadQueries(folder);
const test = loadQrels(folder, 'test');
const train = loadQrels(folder, 'train');
function run(label: string, opts: any, analyzer?: any) {
  const index = new InvertedIndex({ fields: ['contents'], ...opts, analyzer });
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
    'train',
    b.ndcg10.toFixed(4),
    b.recall100.toFixed(4),
  );
}
const mode = process.argv[2];
if (mode === 'grid') {
  for (const k1 of [0.6, 0.9, 1.2, 1.5])
    for (const b of [0.3, 0.4, 0.6, 0.75, 0.9]) run(`k1=${k1} b=${b}`, { k1, b });
} else {
  run('default', {});
  run('no stop', {}, { stopwords: false });
  run('no possessive', {}, { possessive: false });
  run('ascii folding', {}, { asciiFolding: true });
}
