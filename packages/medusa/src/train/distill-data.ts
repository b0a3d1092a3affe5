/**
 * Self-distillation data for Medusa heads (Cai et al. 2024, §2.3.2): the
 * text is what the base model itself generates, so the heads learn the
 * model's own continuations rather than the corpus'. Prompts are windows of
 * a corpus (or, without one, text the model samples from a random token);
 * the model continues each (greedily by default: the continuations greedy
 * decoding will meet); one full forward pass over every sequence then gives
 * the hidden state at each position and the base model's own next token
 * there. Head k (0-based) at position t is trained to predict the base
 * model's token at position t + k + 1, i.e. the token k + 2 ahead.
 *
 * Layout: `hidden` [N, D] float32 and `targets` [N, K] int32 (-100 where
 * t + k + 1 is past the sequence), one row per position of every sequence.
 */
import { type LanguageModel, tokenLoop } from '@x/lm';
import { Generator, noGrad, tensor, tidy } from '@x/tensor';
import { MedusaValueError } from '../errors.js';

/** Targets equal to this are ignored by the loss and the accuracy. */
export const IGNORE = -100;

/** Options of `distillationData`. */
export interface DistillationOptions {
  /** Sequences to generate. @default 256 */
  sequences?: number;
  /** Prompt tokens per sequence (a corpus window). @default 32 */
  promptLength?: number;
  /** Tokens the model adds to each prompt. @default 224 (capped by the context) */
  continuationLength?: number;
  /** Temperature of the continuations (0: greedy). @default 0 */
  temperature?: number;
  /** Sequences generated at once. @default 32 */
  batchSize?: number;
  /** Seed of the prompt offsets and of the sampling. @default 0 */
  seed?: number;
  /** Called after each batch with sequences done and total. */
  onProgress?: (done: number, total: number) => void;
  /** Stops between batches (the data holds what was generated). */
  signal?: AbortSignal;
}

/** Hidden states and multi-step targets of generated text. */
export interface DistillationData {
  /** N x D hidden states (the base model's last, after the final norm). */
  readonly hidden: Float32Array;
  /** N x K targets: the base model's token k + 2 positions after each position, or IGNORE. */
  readonly targets: Int32Array;
  /** N, positions. */
  readonly positions: number;
  /** D. */
  readonly hiddenSize: number;
  /** K, the heads the targets are for. */
  readonly heads: number;
  /** 1 where the position's hidden state starts a continuation the model wrote (t >= promptLength - 1): where accuracy is measured. */
  readonly generated: Uint8Array;
  /** The generated sequences (prompt + continuation), for inspection. */
  readonly sequences: readonly (readonly number[])[];
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new MedusaValueError(
      'distillationData',
      `${name} must be a positive integer, got ${value}`,
      name,
      value,
    );
  return value;
}

/**
 * Generates self-distillation data with the base model.
 * @param model - the base model (frozen)
 * @param corpus - token ids to cut prompts from, or null to let the model write its own prompts
 * @param heads - K, the number of heads the targets are for
 * @param options - sizes, temperature, batch, seed, progress, signal
 * @returns hidden states and targets of every position
 * @throws MedusaValueError for sizes that are not positive integers, or a corpus shorter than a prompt
 * @example
 * const data = await distillationData(model, Int32Array.from(tokenizer.encode(text)), 4, { sequences: 64 });
 * data.positions // 16384
 */
export async function distillationData(
  model: LanguageModel,
  corpus: Int32Array | readonly number[] | null,
  heads: number,
  options: DistillationOptions = {},
): Promise<DistillationData> {
  const op = 'distillationData';
  const K = positive('heads', heads);
  const count = positive('sequences', options.sequences ?? 256);
  const promptLength = positive('promptLength', options.promptLength ?? 32);
  const limit =
    model.config.architecture === 'mamba' ? Number.POSITIVE_INFINITY : model.config.maxPositions;
  const continuation = Math.min(
    positive('continuationLength', options.continuationLength ?? 224),
    limit - promptLength,
  );
  if (continuation < 1)
    throw new MedusaValueError(
      op,
      `promptLength ${promptLength} leaves no room in the model's context of ${limit}`,
      'promptLength',
      promptLength,
    );
  const batchSize = positive('batchSize', options.batchSize ?? 32);
  const temperature = options.temperature ?? 0;
  const seed = options.seed ?? 0;
  if (corpus && corpus.length < promptLength + 1)
    throw new MedusaValueError(
      op,
      `the corpus has ${corpus.length} tokens, fewer than a prompt of ${promptLength} + 1`,
      'corpus',
      corpus.length,
    );
  const generator = new Generator(seed);
  const V = model.config.vocabSize;
  const sequences: number[][] = [];
  for (let start = 0; start < count && !options.signal?.aborted; start += batchSize) {
    const rows = Math.min(batchSize, count - start);
    let prompts: number[][];
    if (corpus) {
      prompts = Array.from({ length: rows }, () => {
        const offset = generator.integer(0, corpus.length - promptLength);
        return Array.from(corpus.slice(offset, offset + promptLength));
      });
    } else {
      // the model writes its own prompts from a random first token, sampled at temperature 1
      const firsts = Array.from({ length: rows }, () => [generator.integer(0, V)]);
      const written = await run(model, firsts, promptLength - 1, 1, seed + start + 1);
      prompts = firsts.map((first, i) => [...first, ...written[i]!]);
    }
    const continued = await run(model, prompts, continuation, temperature, seed + start);
    prompts.forEach((prompt, i) => sequences.push([...prompt, ...continued[i]!]));
    options.onProgress?.(Math.min(start + rows, count), count);
  }
  return withTargets(model, sequences, K, promptLength - 1);
}

async function run(
  model: LanguageModel,
  prompts: number[][],
  tokens: number,
  temperature: number,
  seed: number,
): Promise<number[][]> {
  if (tokens <= 0) return prompts.map(() => []);
  // no stop ids: every row runs to the same length
  const loop = tokenLoop(model, prompts, { maxTokens: tokens, temperature, seed, stopIds: [] });
  for (;;) {
    const step = await loop.next();
    if (step.done) return step.value.ids;
  }
}

/**
 * Hidden states and targets of given sequences (one full forward pass each, batched by length).
 * @param model - the base model
 * @param sequences - token id sequences
 * @param heads - K
 * @param generatedFrom - the first position of each sequence counted as generated
 * @returns the data
 */
export function withTargets(
  model: LanguageModel,
  sequences: readonly (readonly number[])[],
  heads: number,
  generatedFrom = 0,
): DistillationData {
  const D = model.config.hiddenSize;
  const K = heads;
  const total = sequences.reduce((n, s) => n + s.length, 0);
  const hidden = new Float32Array(total * D);
  const targets = new Int32Array(total * K).fill(IGNORE);
  const generated = new Uint8Array(total);
  let row = 0;
  const chunk = 8;
  for (let i = 0; i < sequences.length; i += chunk) {
    const group = sequences.slice(i, i + chunk);
    // equal lengths forward together; others one by one
    const sameLength = group.every((s) => s.length === group[0]!.length);
    const batches = sameLength ? [group] : group.map((s) => [s]);
    for (const batch of batches) {
      const S = batch[0]!.length;
      const { h, next } = noGrad(() =>
        tidy(() => {
          const ids = tensor(Int32Array.from(batch.flat()), {
            shape: [batch.length, S],
            dtype: 'int32',
            backend: model.embeddingWeight().backend,
          });
          const out = model.forward(ids);
          return {
            h: out.hidden.to('float32').toTypedArray() as Float32Array,
            next: out.logits.argmax(-1).toTypedArray() as Int32Array,
          };
        }),
      );
      batch.forEach((_, b) => {
        hidden.set(h.subarray(b * S * D, (b + 1) * S * D), row * D);
        generated.fill(1, row + Math.min(generatedFrom, S), row + S);
        for (let t = 0; t < S; t++)
          for (let k = 0; k < K; k++) {
            const at = t + k + 1;
            if (at < S) targets[(row + t) * K + k] = next[b * S + at]!;
          }
        row += S;
      });
    }
  }
  return { hidden, targets, positions: total, hiddenSize: D, heads: K, generated, sequences };
}
