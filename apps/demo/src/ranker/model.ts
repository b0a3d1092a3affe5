/**
 * The learned ranker: standardised candidate features (`features.ts`) into a
 * linear model or a one-hidden-layer MLP (tanh) on @x/tensor, one score per
 * candidate. Trained listwise (`train.ts`); stored as JSON with the feature
 * names, the standardisation and the weights, so the model file is small,
 * readable and checked on load.
 */

import { matmul, noGrad, type Tensor, tensor, tidy } from '@x/tensor';
import { DemoError } from '../errors.js';
import {
  type Candidate,
  candidateContext,
  candidateFeatures,
  FEATURE_NAMES,
  type FeatureName,
} from './features.js';

/** Weights of the scoring network, row-major. */
export interface RankerWeights {
  /** Hidden units; 0 for a linear model. */
  hidden: number;
  /** `[features, hidden]` (or `[features, 1]` when linear). */
  w1: number[];
  b1: number[];
  /** `[hidden, 1]`; empty when linear. */
  w2: number[];
  b2: number[];
}

/** The ranker's JSON file. */
export interface RankerJson extends RankerWeights {
  format: 'x-demo-ranker';
  version: 1;
  /** The features it reads, a subset of {@link FEATURE_NAMES} in any order. */
  features: string[];
  /** Per-feature mean and standard deviation of the training candidates. */
  mean: number[];
  std: number[];
  /** How it was trained (free-form: data, loss, settings, validation figures). */
  training?: Record<string, unknown>;
}

/** Parameters as tensors, for training and scoring. */
export interface RankerTensors {
  w1: Tensor;
  b1: Tensor;
  w2: Tensor | null;
  b2: Tensor | null;
}

/**
 * The network: `tanh(x W1 + b1) W2 + b2`, or `x W1 + b1` when linear.
 * @param params - the weights
 * @param x - standardised features `[n, F]`
 * @returns scores `[n]`
 */
export function rankerForward(params: RankerTensors, x: Tensor): Tensor {
  const first = matmul(x, params.w1).add(params.b1);
  if (!params.w2 || !params.b2) return first.reshape(-1);
  return matmul(first.tanh(), params.w2).add(params.b2).reshape(-1);
}

/** The error of a ranker JSON that does not fit this build (a DemoError). */
export class RankerFormatError extends DemoError {
  override name = 'RankerFormatError';
}

function checkJson(json: unknown): RankerJson {
  const fail = (why: string): never => {
    throw new RankerFormatError(`ranker JSON: ${why}`);
  };
  if (typeof json !== 'object' || json === null) fail('not an object');
  const j = json as Partial<RankerJson>;
  if (j.format !== 'x-demo-ranker' || j.version !== 1)
    fail(`format ${String(j.format)} version ${String(j.version)}, expected x-demo-ranker 1`);
  const known = new Set<string>(FEATURE_NAMES);
  if (
    !Array.isArray(j.features) ||
    j.features.length === 0 ||
    new Set(j.features).size !== j.features.length ||
    !j.features.every((name) => known.has(name))
  )
    fail(
      `features ${String(j.features)} are not distinct names of this build's ${FEATURE_NAMES.join(', ')}`,
    );
  const f = (j.features as string[]).length;
  const h = j.hidden;
  if (!(Number.isInteger(h) && (h as number) >= 0)) fail('hidden must be an integer >= 0');
  const width = (h as number) || 1;
  const sizes: [keyof RankerJson, number][] = [
    ['mean', f],
    ['std', f],
    ['w1', f * width],
    ['b1', width],
    ['w2', h ? width : 0],
    ['b2', h ? 1 : 0],
  ];
  for (const [key, size] of sizes) {
    const value = j[key];
    if (
      !Array.isArray(value) ||
      value.length !== size ||
      !value.every((x) => typeof x === 'number' && Number.isFinite(x))
    )
      fail(`${key} must hold ${size} finite numbers`);
  }
  return j as RankerJson;
}

/** Scores a query's candidates with a small trained network. */
export class Ranker {
  /** Where each of the model's features sits in {@link candidateFeatures}'s vector. */
  private readonly columns: number[];

  private constructor(private readonly json: RankerJson) {
    this.columns = json.features.map((name) => FEATURE_NAMES.indexOf(name as FeatureName));
  }

  /**
   * @param json - a parsed ranker file (see {@link RankerJson})
   * @returns the ranker
   * @throws RankerFormatError when the format, the features or a weight array do not fit
   */
  static fromJSON(json: unknown): Ranker {
    return new Ranker(checkJson(json));
  }

  /** @returns the ranker's JSON (what {@link fromJSON} reads) */
  toJSON(): RankerJson {
    return this.json;
  }

  /**
   * The standardised feature matrix of one query's candidates.
   * @param candidates - the candidates
   * @returns `[candidates.length * F]` row-major, F the model's features in its order
   */
  featureMatrix(candidates: readonly Candidate[]): Float32Array {
    const context = candidateContext(candidates);
    const f = this.columns.length;
    const out = new Float32Array(candidates.length * f);
    candidates.forEach((c, i) => {
      const x = candidateFeatures(c, context);
      for (let j = 0; j < f; j++)
        out[i * f + j] = (x[this.columns[j]!]! - this.json.mean[j]!) / this.json.std[j]!;
    });
    return out;
  }

  /**
   * @param candidates - one query's candidates (features are taken relative to this list)
   * @returns one score per candidate, in their order (higher is better)
   * @example
   * ```ts
   * const scores = ranker.score(candidates);
   * candidates.map((c, i) => ({ id: c.id, score: scores[i] })).sort((a, b) => b.score - a.score);
   * ```
   */
  score(candidates: readonly Candidate[]): number[] {
    if (candidates.length === 0) return [];
    const x = this.featureMatrix(candidates);
    const { hidden, w1, b1, w2, b2 } = this.json;
    const width = hidden || 1;
    return noGrad(() =>
      tidy(() => {
        const params: RankerTensors = {
          w1: tensor(Float32Array.from(w1), { shape: [this.columns.length, width] }),
          b1: tensor(Float32Array.from(b1)),
          w2: hidden ? tensor(Float32Array.from(w2), { shape: [width, 1] }) : null,
          b2: hidden ? tensor(Float32Array.from(b2)) : null,
        };
        const input = tensor(x, { shape: [candidates.length, this.columns.length] });
        return [...(rankerForward(params, input).toTypedArray() as Float32Array)];
      }),
    );
  }
}
