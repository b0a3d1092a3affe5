/**
 * Choosing the next token from a logits row, in the order Hugging Face's
 * `generate` applies its processors: repetition penalty, then temperature,
 * then top-k, top-p (nucleus, Holtzman et al. 2020) and min-p (Nguyen et
 * al. 2024) filtering of the softmax, then a draw with a seeded generator.
 * Temperature 0 is greedy decoding (argmax after the penalty). Everything
 * works on the one row of V logits in place, without sorting all V: top-k
 * and top-p only sort the candidates that survive a partial selection.
 */
import { Generator } from '@x/tensor';
import { LmValueError } from '../errors.js';

/** Sampling settings. */
export interface SamplingOptions {
  /** Softmax temperature; 0 is greedy decoding. @default 0 */
  temperature?: number;
  /** Keep the k most likely tokens (0: all). @default 0 */
  topK?: number;
  /** Keep the smallest set of tokens whose probability reaches p (1: all). @default 1 */
  topP?: number;
  /** Drop tokens less likely than minP times the most likely one (0: none). @default 0 */
  minP?: number;
  /** Divide positive (multiply negative) logits of tokens already seen by this (CTRL's rule; 1: off). @default 1 */
  repetitionPenalty?: number;
  /** Seed of the draws: the same seed gives the same text. @default 0 */
  seed?: number;
}

/** Validated sampling settings. */
export type ResolvedSampling = Required<SamplingOptions>;

const OP = 'generate';

function check(name: keyof SamplingOptions, value: number, ok: boolean, range: string): number {
  if (!ok || !Number.isFinite(value))
    throw new LmValueError(OP, `${name} must be ${range}, got ${value}`, name, value);
  return value;
}

/**
 * Fills in defaults and validates.
 * @param options - sampling settings
 * @returns the settings with every default
 * @throws LmValueError for a value out of range (naming it)
 */
export function resolveSampling(options: SamplingOptions = {}): ResolvedSampling {
  const temperature = options.temperature ?? 0;
  const topK = options.topK ?? 0;
  const topP = options.topP ?? 1;
  const minP = options.minP ?? 0;
  const repetitionPenalty = options.repetitionPenalty ?? 1;
  const seed = options.seed ?? 0;
  return {
    temperature: check('temperature', temperature, temperature >= 0, '>= 0'),
    topK: check('topK', topK, Number.isSafeInteger(topK) && topK >= 0, 'an integer >= 0'),
    topP: check('topP', topP, topP > 0 && topP <= 1, 'in (0, 1]'),
    minP: check('minP', minP, minP >= 0 && minP <= 1, 'in [0, 1]'),
    repetitionPenalty: check('repetitionPenalty', repetitionPenalty, repetitionPenalty > 0, '> 0'),
    seed: check('seed', seed, Number.isSafeInteger(seed), 'an integer'),
  };
}

/**
 * CTRL's repetition penalty, in place: for every distinct token in `seen`,
 * a positive logit is divided by `penalty`, a negative one multiplied.
 * @param logits - one row of V logits
 * @param seen - tokens of the prompt and the continuation so far
 * @param penalty - > 1 discourages repeats
 */
export function applyRepetitionPenalty(
  logits: Float32Array | Float64Array,
  seen: Iterable<number>,
  penalty: number,
): void {
  if (penalty === 1) return;
  for (const id of new Set(seen)) {
    const v = logits[id]!;
    logits[id] = v > 0 ? v / penalty : v * penalty;
  }
}

/**
 * Index of the largest logit (the first one on ties; NaN never wins).
 * @param logits - one row
 */
export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  let value = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (v > value) {
      value = v;
      best = i;
    }
  }
  return best;
}

/**
 * The candidate tokens and their renormalized probabilities after
 * temperature, top-k, top-p and min-p (sorted by probability, descending;
 * ties by lower id).
 * @param logits - one row of V logits (after the repetition penalty)
 * @param settings - temperature > 0, topK, topP, minP
 * @returns ids and probabilities summing to 1
 */
export function filteredDistribution(
  logits: ArrayLike<number>,
  settings: Pick<ResolvedSampling, 'temperature' | 'topK' | 'topP' | 'minP'>,
): { ids: Int32Array; probs: Float64Array } {
  const V = logits.length;
  const inv = 1 / settings.temperature;
  let max = -Infinity;
  for (let i = 0; i < V; i++) if (logits[i]! > max) max = logits[i]!;
  // Unnormalized probabilities exp((l - max) / T): the most likely token has weight 1.
  const weights = new Float64Array(V);
  for (let i = 0; i < V; i++) weights[i] = Math.exp((logits[i]! - max) * inv);
  // Candidates by probability; HF's order: top-k, then top-p over what top-k kept, then min-p
  // (relative to the most likely token, whose weight is 1, so unaffected by the others).
  let ids: number[] = [];
  for (let i = 0; i < V; i++) if (weights[i]! > 0) ids.push(i);
  ids.sort((a, b) => weights[b]! - weights[a]! || a - b);
  if (settings.topK > 0 && ids.length > settings.topK) ids = ids.slice(0, settings.topK);
  if (settings.topP < 1) {
    let kept = 0;
    for (const id of ids) kept += weights[id]!;
    let mass = 0;
    let keep = 0;
    while (keep < ids.length) {
      mass += weights[ids[keep]!]! / kept;
      keep++;
      if (mass >= settings.topP) break;
    }
    ids = ids.slice(0, Math.max(1, keep));
  }
  if (settings.minP > 0) ids = ids.filter((id) => weights[id]! >= settings.minP);
  let sum = 0;
  for (const id of ids) sum += weights[id]!;
  return { ids: Int32Array.from(ids), probs: Float64Array.from(ids, (id) => weights[id]! / sum) };
}

/** Picks next tokens with one seeded generator. */
export class Sampler {
  readonly settings: ResolvedSampling;
  private readonly generator: Generator;

  /**
   * @param options - sampling settings
   * @throws LmValueError for a value out of range
   */
  constructor(options: SamplingOptions = {}) {
    this.settings = resolveSampling(options);
    this.generator = new Generator(this.settings.seed);
  }

  /** True for temperature 0 (argmax). */
  get greedy(): boolean {
    return this.settings.temperature === 0;
  }

  /**
   * The next token.
   * @param logits - one row of V logits; modified in place by the repetition penalty
   * @param seen - the tokens so far (prompt and continuation), for the penalty
   * @returns the token id
   */
  next(logits: Float32Array | Float64Array, seen: readonly number[]): number {
    applyRepetitionPenalty(logits, seen, this.settings.repetitionPenalty);
    if (this.greedy) return argmax(logits);
    const { ids, probs } = filteredDistribution(logits, this.settings);
    let u = this.generator.uniform();
    for (let i = 0; i < ids.length - 1; i++) {
      u -= probs[i]!;
      if (u < 0) return ids[i]!;
    }
    return ids[ids.length - 1]!;
  }
}
