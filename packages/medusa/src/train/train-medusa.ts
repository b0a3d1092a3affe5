/**
 * The whole Medusa-1 recipe in one call: split the corpus (the last
 * `heldOutFraction` gives held-out prompts), generate self-distillation data
 * with the base model on both parts, train new heads on the training part,
 * and measure their accuracy on the held-out part (saved with the heads, read
 * by `tree: 'auto'`). What `x-medusa train` and the bench run.
 */
import type { LanguageModel, ProgressEvent } from '@x/lm';
import { MedusaValueError } from '../errors.js';
import { type HeadAccuracy, MedusaHeads, type MedusaHeadsOptions } from '../heads/medusa-heads.js';
import { type DistillationOptions, distillationData } from './distill-data.js';
import { headAccuracy } from './head-accuracy.js';
import { type HeadsLossPoint, type TrainHeadsOptions, trainHeads } from './train-heads.js';

/** Options of `trainMedusa`. */
export interface TrainMedusaOptions
  extends MedusaHeadsOptions,
    Omit<DistillationOptions, 'onProgress' | 'seed' | 'batchSize'>,
    Omit<TrainHeadsOptions, 'onProgress' | 'seed'> {
  /** Share of the corpus (its end) whose windows give the held-out prompts. @default 0.1 */
  heldOutFraction?: number;
  /** Sequences generated at once (the distillation's `batchSize`; `batchSize` is the training's). @default 32 */
  generationBatch?: number;
  /** Held-out sequences generated for the accuracy. @default 32 */
  heldOutSequences?: number;
  /** Seed of everything (prompts, sampling, initial biases, batches). @default 0 */
  seed?: number;
  /** Data generation progress: sequences done of the total, per part. */
  onData?: (part: 'train' | 'held-out', done: number, total: number) => void;
  /** Training progress (`trainingProgressBar(...).onProgress` fits). */
  onProgress?: (event: ProgressEvent & { readonly headLosses: readonly number[] }) => void;
}

/** What `trainMedusa` returns. */
export interface TrainMedusaResult {
  readonly heads: MedusaHeads;
  readonly accuracy: HeadAccuracy;
  readonly history: readonly HeadsLossPoint[];
  /** Positions trained on and measured on. */
  readonly trainPositions: number;
  readonly heldOutPositions: number;
  /** Milliseconds generating data, training and measuring. */
  readonly dataMs: number;
  readonly trainMs: number;
  readonly evaluateMs: number;
}

/**
 * Trains Medusa heads for a base model by self-distillation.
 * @param model - the base model (frozen)
 * @param corpus - token ids of a corpus for the prompts, or null (the model writes its own prompts)
 * @param options - heads, data, training and held-out settings, progress callbacks
 * @returns the heads (with `accuracy` set), the loss curve and timings
 * @throws MedusaValueError for options out of range or a corpus too short to split
 * @example
 * const { heads, accuracy } = await trainMedusa(model, Int32Array.from(tokenizer.encode(text)), { heads: 4 });
 * accuracy.top1 // [0.7, 0.5, 0.38, 0.3]
 */
export async function trainMedusa(
  model: LanguageModel,
  corpus: Int32Array | readonly number[] | null,
  options: TrainMedusaOptions = {},
): Promise<TrainMedusaResult> {
  const fraction = options.heldOutFraction ?? 0.1;
  if (!(fraction > 0 && fraction < 1))
    throw new MedusaValueError(
      'trainMedusa',
      `heldOutFraction must be in (0, 1), got ${fraction}`,
      'heldOutFraction',
      fraction,
    );
  const seed = options.seed ?? 0;
  const heads = new MedusaHeads(model, { ...options, seed });
  const K = heads.config.numHeads;
  const cut = corpus ? Math.floor(corpus.length * (1 - fraction)) : 0;
  const trainPart = corpus ? corpus.slice(0, cut) : null;
  const heldPart = corpus ? corpus.slice(cut) : null;
  const distill = {
    promptLength: options.promptLength,
    continuationLength: options.continuationLength,
    temperature: options.temperature,
    batchSize: options.generationBatch,
    signal: options.signal,
  };
  const started = performance.now();
  const data = await distillationData(model, trainPart as Int32Array | null, K, {
    ...distill,
    sequences: options.sequences,
    seed,
    onProgress: (done, total) => options.onData?.('train', done, total),
  });
  const held = await distillationData(model, heldPart as Int32Array | null, K, {
    ...distill,
    sequences: options.heldOutSequences ?? 32,
    seed: seed + 1_000_003,
    onProgress: (done, total) => options.onData?.('held-out', done, total),
  });
  const trained = performance.now();
  const { history } = await trainHeads(heads, data, {
    steps: options.steps,
    batchSize: options.batchSize,
    learningRate: options.learningRate,
    warmupSteps: options.warmupSteps,
    weightDecay: options.weightDecay,
    decay: options.decay,
    seed,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  const evaluated = performance.now();
  const accuracy = headAccuracy(heads, held);
  heads.accuracy = accuracy;
  return {
    heads,
    accuracy,
    history,
    trainPositions: data.positions,
    heldOutPositions: accuracy.positions,
    dataMs: trained - started,
    trainMs: evaluated - trained,
    evaluateMs: performance.now() - evaluated,
  };
}
