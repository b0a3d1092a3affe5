/**
 * The demo's retrieval evaluation on BEIR SciFact's 300 test claims:
 * nDCG@10, Recall@100 and MAP@100 of BM25F alone, LSA vectors alone, RRF,
 * weighted fusion and the learned ranker (data/ranker.json, trained on the
 * train claims only by scripts/train-ranker.ts) over the RRF top 100, each
 * against BM25 with a paired randomization test. Ends with one JSON line.
 *
 *   npm run eval -w @x/demo -- [--data DIR] [--dims 192] [--ranker FILE]
 *     [--cache DIR (default /tmp/x-demo-eval-cache) | --no-cache] [--queries N]
 *
 * Exits 0 with a message when SciFact is not in the data folder.
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluateSystems, formatTable, SYSTEM_LABELS } from '../src/eval/evaluate.js';
import { stageBars } from '../src/eval/progress.js';
import { buildSystems, runRetrieval } from '../src/eval/retrieval.js';
import { dataFolder, findSciFact, loadSciFact } from '../src/eval/scifact.js';
import { Ranker } from '../src/ranker/model.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    dims: { type: 'string', default: '192' },
    ranker: { type: 'string', default: join(here, '..', 'data', 'ranker.json') },
    cache: { type: 'string', default: '/tmp/x-demo-eval-cache' },
    'no-cache': { type: 'boolean', default: false },
    queries: { type: 'string' },
  },
});

const folder = findSciFact(values.data);
if (!folder) {
  console.log(
    `SciFact not found under ${join(dataFolder(values.data), 'ir', 'scifact')}: skipping the evaluation (pass --data DIR, the folder holding ir/scifact)`,
  );
  process.exit(0);
}
const data = loadSciFact(folder);
const rankerPath = resolve(values.ranker!);
const ranker = existsSync(rankerPath)
  ? Ranker.fromJSON(JSON.parse(readFileSync(rankerPath, 'utf8')))
  : null;
if (!ranker)
  console.error(`no ranker at ${rankerPath}: run scripts/train-ranker.ts; its row is left out`);

const bars = stageBars();
const systems = buildSystems(data.corpus, {
  dims: Number(values.dims),
  cacheDir: values['no-cache'] ? undefined : values.cache,
  onProgress: (stage, done, total) => bars.update(stage, done, total),
});
let testIds = [...data.qrels.test.keys()];
if (values.queries) testIds = testIds.slice(0, Number(values.queries));
const wanted = new Set(testIds);
const qrels = new Map([...data.qrels.test].filter(([id]) => wanted.has(id)));
const queries = data.queries.filter((q) => wanted.has(q.id));
let start = performance.now();
const lists = runRetrieval(systems, queries, {
  onProgress: (done, total) => bars.update('queries', done, total),
});
const retrievalMs = performance.now() - start;
bars.stop();
start = performance.now();
const results = evaluateSystems(lists, qrels, ranker);
const rankingMs = performance.now() - start;

const t = systems.timings;
console.log(
  `\nBEIR SciFact: ${data.corpus.length} documents, ${queries.length} test claims (${qrels.size} judged); ` +
    `LSA ${systems.lsa.dims} dims over ${systems.lsa.vocabularySize} terms`,
);
console.log(
  `build: BM25 ${(t.bm25 / 1000).toFixed(1)} s, LSA ${t.lsaCached ? 'loaded from cache' : 'fit'} ${(t.lsaFit / 1000).toFixed(1)} s, ` +
    `embed ${(t.embed / 1000).toFixed(1)} s, HNSW ${(t.hnsw / 1000).toFixed(1)} s; ` +
    `retrieval of all queries ${(retrievalMs / 1000).toFixed(1)} s; ranking + metrics ${(rankingMs / 1000).toFixed(1)} s\n`,
);
for (const line of formatTable(results)) console.log(line);
console.log(
  '\n(differences: system minus BM25, nDCG@10 per query; p of the paired randomization test, 20,000 rounds)',
);
const r4 = (x: number) => Number(x.toFixed(4));
console.log(
  JSON.stringify({
    collection: 'scifact-test',
    queries: qrels.size,
    systems: Object.fromEntries(
      results.map((r) => [
        r.name,
        {
          label: SYSTEM_LABELS[r.name],
          ndcg10: r4(r.metrics.ndcg10),
          recall100: r4(r.metrics.recall100),
          map100: r4(r.metrics.map100),
          ...(r.vsBm25
            ? { vsBm25: { diff: r4(r.vsBm25.meanDiff), p: Number(r.vsBm25.p.toFixed(4)) } }
            : {}),
        },
      ]),
    ),
    lsaDims: systems.lsa.dims,
    timingsMs: { ...t, retrieval: Math.round(retrievalMs) },
  }),
);
