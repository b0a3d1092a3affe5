/**
 * Trains the demo's default ranker on BEIR SciFact's TRAIN claims only
 * (809; the 300 test claims are never read): candidates are the RRF top 100
 * of BM25F + LSA vectors over the SciFact corpus, the loss listwise
 * (src/ranker/train.ts). Models (linear, MLP-8, MLP-16) and feature sets
 * (base; + proximity; + idf share in title and first sentence; + one-field
 * BM25 with two k1 / b; all) are compared by 5-fold cross-validation on the
 * train claims (out-of-fold nDCG@10, averaged over initialisation seeds); the
 * best is retrained on all of them and written to data/ranker.json with its
 * standardisation, its feature names and the validation figures. The features are corpus-independent (ranks,
 * list-relative scores, cosines, overlaps), so the pipeline loads this file
 * as the default ranker for any corpus.
 *
 *   npx tsx --conditions=@x/source scripts/train-ranker.ts [--data DIR] [--out FILE] [--epochs 300]
 *     [--models linear,mlp-8,mlp-16] [--feature-sets base,proximity,fields,bm25,all] [--cv-seeds 3]
 */

import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluateRun } from '../src/eval/metrics.js';
import { stageBars } from '../src/eval/progress.js';
import {
  buildSystems,
  type QueryLists,
  rankCandidates,
  runRetrieval,
} from '../src/eval/retrieval.js';
import { dataFolder, findSciFact, loadSciFact, type Qrels } from '../src/eval/scifact.js';
import { BASE_FEATURES, FEATURE_NAMES, type FeatureName } from '../src/ranker/features.js';
import type { Ranker } from '../src/ranker/model.js';
import { type TrainingGroup, type TrainRankerOptions, trainRanker } from '../src/ranker/train.js';
import { gaussianStream } from '../src/vectors/svd.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string', default: join(here, '..', 'data', 'ranker.json') },
    epochs: { type: 'string', default: '300' },
    cache: { type: 'string', default: '/tmp/x-demo-eval-cache' },
    seed: { type: 'string', default: '42' },
    'feature-depth': { type: 'string', default: '100' },
    'cv-seeds': { type: 'string', default: '3' },
    models: { type: 'string', default: 'linear,mlp-8,mlp-16' },
    'feature-sets': { type: 'string', default: 'base,proximity,fields,bm25,all' },
  },
});

const folder = findSciFact(values.data);
if (!folder) {
  console.log(
    `SciFact not found under ${join(dataFolder(values.data), 'ir', 'scifact')}: nothing to train on`,
  );
  process.exit(0);
}
const data = loadSciFact(folder);
const train = data.qrels.train;
const bars = stageBars();
const systems = buildSystems(data.corpus, {
  cacheDir: values.cache,
  onProgress: (stage, done, total) => bars.update(stage, done, total),
});
const queries = data.queries.filter((q) => train.has(q.id));
const relevantOf = (id: string) =>
  new Set(
    [...(train.get(id) ?? new Map<string, number>())].filter(([, g]) => g > 0).map(([doc]) => doc),
  );
const ndcgOf = (ranker: Ranker | null, which: ReadonlyMap<string, QueryLists>, qrels: Qrels) => {
  const run = new Map<string, string[]>();
  for (const [id, l] of which) {
    if (!qrels.has(id)) continue;
    run.set(
      id,
      (ranker ? rankCandidates(ranker, l.candidates) : l.bm25).map((hit) => hit.id),
    );
  }
  return evaluateRun(run, qrels).ndcg10;
};

// seeded 5-fold split of the train claims, for the model choice
const seed = Number(values.seed);
const random = gaussianStream(seed);
const ids = [...train.keys()]
  .map((id) => ({ id, key: random() }))
  .sort((a, b) => a.key - b.key)
  .map((x) => x.id);
const FOLDS = 5;
const foldOf = new Map(ids.map((id, i) => [id, i % FOLDS]));
const epochs = Number(values.epochs);
const featureDepths = values['feature-depth']!.split(',').map(Number);
const allModels: [string, TrainRankerOptions][] = [
  ['linear', { hidden: 0, lr: 0.05, epochs }],
  ['mlp-8', { hidden: 8, lr: 0.02, epochs }],
  ['mlp-16', { hidden: 16, lr: 0.02, epochs }],
];
const modelNames = new Set(values.models!.split(','));
const models = allModels.filter(([name]) => modelNames.has(name));
// feature sets compared by the same cross-validation: the base features, plus term
// proximity (ordered bigrams, smallest window), plus field matches by idf (title,
// first sentence), plus one-field BM25 with Lucene's and Anserini's k1 / b, and all
const FEATURE_SETS: Record<string, readonly FeatureName[]> = {
  base: BASE_FEATURES,
  proximity: [
    ...BASE_FEATURES,
    'bigram.logMatches',
    'bigram.idfShare',
    'span.inverse',
    'span.logLength',
  ],
  fields: [...BASE_FEATURES, 'title.idfOverlap', 'lead.idfOverlap'],
  bm25: [...BASE_FEATURES, 'bm25Lucene.relativeScore', 'bm25Anserini.relativeScore'],
  all: FEATURE_NAMES,
};
const featureSets = values['feature-sets']!.split(',').map((name) => {
  const set = FEATURE_SETS[name];
  if (!set)
    throw new RangeError(`unknown feature set ${name}: ${Object.keys(FEATURE_SETS).join(', ')}`);
  return [name, set] as const;
});
const cvSeeds = Array.from({ length: Number(values['cv-seeds']) }, (_, i) => seed + i);
const listsByDepth = new Map<number, Map<string, QueryLists>>();
for (const featureDepth of featureDepths) {
  listsByDepth.set(
    featureDepth,
    runRetrieval(systems, queries, {
      featureDepth,
      onProgress: (done, total) => bars.update(`queries@${featureDepth}`, done, total),
    }),
  );
}
const groupsOf = (lists: Map<string, QueryLists>, keep: (id: string) => boolean): TrainingGroup[] =>
  [...lists]
    .filter(([id]) => keep(id))
    .map(([id, l]) => ({ candidates: l.candidates, relevant: relevantOf(id) }));

const report: Record<string, number> = {
  bm25: Number(ndcgOf(null, listsByDepth.get(featureDepths[0]!)!, train).toFixed(4)),
};
let best: {
  name: string;
  depth: number;
  options: TrainRankerOptions;
  score: number;
} | null = null;
for (const depth of featureDepths) {
  const lists = listsByDepth.get(depth)!;
  for (const [setName, features] of featureSets)
    for (const [modelName, modelOptions] of models) {
      const name = `${modelName}+${setName}`;
      const options = { ...modelOptions, features };
      // out-of-fold runs: every train claim ranked by a model that did not see it, averaged over
      // initialisation seeds (one MLP fit varies by about as much as the choices differ)
      let score = 0;
      for (const cvSeed of cvSeeds) {
        const run = new Map<string, string[]>();
        for (let fold = 0; fold < FOLDS; fold++) {
          const ranker = trainRanker(
            groupsOf(lists, (id) => foldOf.get(id) !== fold),
            {
              ...options,
              seed: cvSeed,
              onProgress: (done, total) =>
                bars.update(`cv ${name}@${depth}`, fold * total + done, FOLDS * total),
            },
          );
          for (const [id, l] of lists)
            if (foldOf.get(id) === fold)
              run.set(
                id,
                rankCandidates(ranker, l.candidates).map((hit) => hit.id),
              );
        }
        score += evaluateRun(run, train).ndcg10 / cvSeeds.length;
      }
      report[`${name}@${depth}`] = Number(score.toFixed(4));
      bars.log(`${name}@${depth}: out-of-fold nDCG@10 ${score.toFixed(4)}`);
      if (!best || score > best.score) best = { name, depth, options, score };
    }
}
const chosen = best!;
const ranker = trainRanker(
  groupsOf(listsByDepth.get(chosen.depth)!, () => true),
  {
    ...chosen.options,
    seed,
    onProgress: (done, total) => bars.update(`final ${chosen.name}`, done, total),
    notes: {
      data: 'BEIR SciFact train claims (809); candidates = RRF (k 60) top 100 of BM25F (title + text) and LSA 192-d HNSW, each searched to 100',
      model: chosen.name,
      featureDepth: chosen.depth,
      crossValidatedNdcg10: report,
      selection: `5-fold cross-validation on the train claims (split seed ${seed}, out-of-fold nDCG@10 averaged over ${cvSeeds.length} initialisation seeds); the chosen model retrained on all of them; test claims never read`,
    },
  },
);
const lists = listsByDepth.get(chosen.depth)!;
bars.stop();
const trainNdcg = ndcgOf(ranker, lists, train);
const out = resolve(values.out!);
writeFileSync(out, `${JSON.stringify(ranker.toJSON(), null, 1)}\n`);
console.log(
  `out-of-fold nDCG@10 on train (5 folds, mean of ${cvSeeds.length} seeds): ${JSON.stringify(report)}; chose ${chosen.name}@${chosen.depth}`,
);
console.log(
  `train nDCG@10 of the final model ${trainNdcg.toFixed(4)} (BM25 ${ndcgOf(null, lists, train).toFixed(4)}); wrote ${out}`,
);
