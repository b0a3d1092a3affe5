import { createAnalyzer, InvertedIndex, standardTokenize } from '../src/index.js';
import { loadCorpus, scifactFolder } from './data.js';

const corpus = loadCorpus(scifactFolder());
const texts = corpus.map((d) => `${d.title} ${d.text}`);
for (let rep = 0; rep < 3; rep++) {
  let t = performance.now();
  let n = 0;
  for (const x of texts) n += standardTokenize(x).terms.length;
  const tok = performance.now() - t;
  const an = createAnalyzer();
  t = performance.now();
  for (const x of texts) n += an.analyze(x).terms.length;
  const ana = performance.now() - t;
  t = performance.now();
  const index = new InvertedIndex({ fields: ['contents'] });
  for (let i = 0; i < texts.length; i++) index.add({ id: corpus[i]!.id, contents: texts[i] });
  const build = performance.now() - t;
  console.log({ tok, ana, build });
}
