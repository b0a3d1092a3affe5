/**
 * End-to-end relevance on a collection that is not SciFact (issue 19): the
 * Shakespeare inverse-cloze collection shipped in test/fixtures (built by
 * bench/build-shakespeare-ict.ts: 1,507 four-line passages, 250 two-line
 * queries taken out of them, one relevant passage each). The default chosen
 * on SciFact's train claims must not rank this collection significantly
 * worse than the 0.0.x default (`preset: 'anserini'` with exact lengths):
 * a paired bootstrap interval of the nDCG@10 difference that reaches above
 * -0.01, and a randomization p-value above 0.05 for any loss. The figures are
 * printed; `npm run eval -w @x/inverted-index` prints them beside SciFact's.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { loadCorpus, loadQrels, loadQueries } from '../bench/data.js';
import { evaluateRun, ndcgPerQuery } from '../bench/metrics.js';
import { pairedComparison } from '../bench/significance.js';
import { InvertedIndex, type InvertedIndexOptions } from '../src/index.js';

const folder = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'shakespeare-ict');
const corpus = loadCorpus(folder);
const queries = loadQueries(folder);
const qrels = loadQrels(folder, 'test');

function run(options: Partial<InvertedIndexOptions>): Map<string, string[]> {
  const index = new InvertedIndex({ fields: ['contents'], ...options });
  for (const doc of corpus) index.add({ id: doc.id, contents: `${doc.title} ${doc.text}` });
  return new Map(
    queries.map((query) => [
      query.id,
      index.search(query.text, { k: 100, syntax: 'plain' }).map((hit) => String(hit.id)),
    ]),
  );
}

it('the default does not rank the Shakespeare inverse-cloze collection worse than the 0.0.x default', () => {
  expect(corpus.length).toBe(1507);
  expect(qrels.size).toBe(250);
  const current = run({});
  const old = run({ preset: 'anserini', lengthNorm: 'exact' });
  const metrics = { current: evaluateRun(current, qrels), old: evaluateRun(old, qrels) };
  const c = pairedComparison(ndcgPerQuery(current, qrels), ndcgPerQuery(old, qrels));
  console.log(
    `Shakespeare inverse cloze: nDCG@10 default ${metrics.current.ndcg10.toFixed(4)}, 0.0.x default ${metrics.old.ndcg10.toFixed(4)}; difference ${c.meanDiff.toFixed(4)} (p ${c.p.toFixed(3)}, 95% ${c.ci95[0].toFixed(4)}..${c.ci95[1].toFixed(4)}); MRR ${metrics.current.map100.toFixed(4)} vs ${metrics.old.map100.toFixed(4)}`,
  );
  expect(c.ci95[1]).toBeGreaterThan(-0.01);
  if (c.meanDiff < 0) expect(c.p).toBeGreaterThan(0.05);
  // a floor against regressions of the whole pipeline (analysis, scoring, top-k)
  expect(metrics.current.ndcg10).toBeGreaterThan(0.07);
  expect(metrics.current.recall100).toBeGreaterThan(0.25);
});
