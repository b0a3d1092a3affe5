import { createAnalyzer, standardTokenize } from '../src/index.js';
import { loadCorpus, scifactFolder } from './data.js';

const texts = loadCorpus(scifactFolder()).map((d) => `${d.title} ${d.text}`);
for (let rep = 0; rep < 4; rep++) {
  const an = createAnalyzer();
  let t = performance.now();
  let n = 0;
  for (const x of texts) n += standardTokenize(x).terms.length;
  const tok = performance.now() - t;
  t = performance.now();
  for (const x of texts) n += an.analyze(x).terms.length;
  const ana = performance.now() - t;
  t = performance.now();
  for (const x of texts) n += an.analyze(x).terms.length;
  console.log({ tok, ana, ana2: performance.now() - t });
}
