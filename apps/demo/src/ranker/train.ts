/**
 * Trains the ranker listwise (ListNet's top-one loss, Cao et al. ICML 2007):
 * per query, the softmax of the candidates' scores against the relevance
 * distribution (the judged relevant candidates share probability 1),
 * cross-entropy averaged over queries, full batch, AdamW, on @x/tensor with
 * its autograd. Queries with no relevant candidate carry no signal and are
 * skipped. Features are standardised with the training candidates' mean and
 * standard deviation, which the model stores.
 */

import { AdamW, noGrad, type Tensor, tensor, tidy } from '@x/tensor';
import { gaussianStream } from '../vectors/svd.js';
import {
  type Candidate,
  candidateContext,
  candidateFeatures,
  FEATURE_NAMES,
  type FeatureName,
} from './features.js';
import { Ranker, type RankerJson, type RankerTensors, rankerForward } from './model.js';

/** One training query: its candidates and which of them are relevant. */
export interface TrainingGroup {
  candidates: Candidate[];
  relevant: ReadonlySet<string>;
}

/** Options of {@link trainRanker}. */
export interface TrainRankerOptions {
  /** Hidden units (0: linear). @default 16 */
  hidden?: number;
  /** Full-batch steps. @default 300 */
  epochs?: number;
  /** Learning rate. @default 0.01 */
  lr?: number;
  /** AdamW's decoupled weight decay. @default 0.001 */
  weightDecay?: number;
  /** Seed of the initial weights. @default 42 */
  seed?: number;
  /** The features the model reads. @default every one of {@link FEATURE_NAMES} */
  features?: readonly FeatureName[];
  /** Called after each step with the loss. */
  onProgress?: (done: number, total: number, loss: number) => void;
  /** Stored in the JSON's `training` field. */
  notes?: Record<string, unknown>;
}

/**
 * @param groups - training queries (at least one with a relevant candidate)
 * @param options - model size, steps, learning rate, seed, progress
 * @returns the trained ranker
 * @throws RangeError when no group has a relevant candidate
 */
export function trainRanker(
  groups: readonly TrainingGroup[],
  options: TrainRankerOptions = {},
): Ranker {
  const useful = groups.filter((g) => g.candidates.some((c) => g.relevant.has(c.id)));
  if (useful.length === 0) throw new RangeError('trainRanker: no query has a relevant candidate');
  const names = options.features ?? FEATURE_NAMES;
  const columns = names.map((name) => FEATURE_NAMES.indexOf(name));
  const f = columns.length;
  const width = Math.max(...useful.map((g) => g.candidates.length));
  const raw = useful.map((g) => {
    const context = candidateContext(g.candidates);
    return g.candidates.map((c) => {
      const all = candidateFeatures(c, context);
      return Float64Array.from(columns, (k) => all[k]!);
    });
  });
  // standardisation over every training candidate
  const mean = new Float64Array(f);
  const sq = new Float64Array(f);
  let count = 0;
  for (const rows of raw)
    for (const x of rows) {
      count++;
      for (let j = 0; j < f; j++) {
        mean[j]! += x[j]!;
        sq[j]! += x[j]! * x[j]!;
      }
    }
  const std = new Float64Array(f);
  for (let j = 0; j < f; j++) {
    mean[j]! /= count;
    std[j] = Math.sqrt(Math.max(sq[j]! / count - mean[j]! ** 2, 0)) || 1;
  }
  const g = useful.length;
  const features = new Float32Array(g * width * f);
  const target = new Float32Array(g * width);
  const padding = new Float32Array(g * width).fill(-1e4);
  useful.forEach((group, q) => {
    const relevant = group.candidates.filter((c) => group.relevant.has(c.id)).length;
    group.candidates.forEach((c, i) => {
      const x = raw[q]![i]!;
      const base = (q * width + i) * f;
      for (let j = 0; j < f; j++) features[base + j] = (x[j]! - mean[j]!) / std[j]!;
      padding[q * width + i] = 0;
      if (group.relevant.has(c.id)) target[q * width + i] = 1 / relevant;
    });
  });
  const hidden = options.hidden ?? 16;
  const units = hidden || 1;
  const random = gaussianStream(options.seed ?? 42);
  const init = (size: number, fanIn: number) =>
    Float32Array.from({ length: size }, () => random() / Math.sqrt(fanIn));
  const params: RankerTensors = {
    w1: tensor(init(f * units, f), { shape: [f, units], requiresGrad: true }),
    b1: tensor(new Float32Array(units), { requiresGrad: true }),
    w2: hidden ? tensor(init(units, units), { shape: [units, 1], requiresGrad: true }) : null,
    b2: hidden ? tensor(new Float32Array(1), { requiresGrad: true }) : null,
  };
  const trainable = [params.w1, params.b1, params.w2, params.b2].filter(
    (t): t is Tensor => t !== null,
  );
  const optimizer = new AdamW(trainable, {
    lr: options.lr ?? 0.01,
    weightDecay: options.weightDecay ?? 0.001,
  });
  const x = tensor(features, { shape: [g * width, f] });
  const y = tensor(target, { shape: [g, width] });
  const mask = tensor(padding, { shape: [g, width] });
  const epochs = options.epochs ?? 300;
  let lastLoss = Number.NaN;
  for (let epoch = 0; epoch < epochs; epoch++) {
    lastLoss = tidy(() => {
      const logits = rankerForward(params, x).reshape(g, width).add(mask);
      const loss = y.mul(logits.logSoftmax(-1)).sum().neg().div(g);
      loss.backward();
      optimizer.step();
      optimizer.zeroGrad();
      return loss.item();
    });
    options.onProgress?.(epoch + 1, epochs, lastLoss);
  }
  const read = (t: Tensor | null) =>
    t ? [...(noGrad(() => t.toTypedArray()) as Float32Array)] : [];
  const json: RankerJson = {
    format: 'x-demo-ranker',
    version: 1,
    features: [...names],
    mean: [...mean],
    std: [...std],
    hidden,
    w1: read(params.w1),
    b1: read(params.b1),
    w2: read(params.w2),
    b2: read(params.b2),
    training: {
      loss: 'listwise softmax cross-entropy (ListNet top-one)',
      queries: g,
      candidatesPerQuery: width,
      epochs,
      lr: options.lr ?? 0.01,
      weightDecay: options.weightDecay ?? 0.001,
      seed: options.seed ?? 42,
      finalLoss: Number(lastLoss.toFixed(5)),
      ...options.notes,
    },
  };
  return Ranker.fromJSON(json);
}
