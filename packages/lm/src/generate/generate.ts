/**
 * Text generation: `generate` (the whole continuation), `streamText` (an
 * async iterator of text pieces as tokens are decoded) and `generateBatch`
 * (several prompts in one batch), over any model and tokenizer of this
 * package, with greedy decoding or sampling (temperature, top-k, top-p,
 * min-p, repetition penalty), stop ids and stop strings, a token budget, a
 * seed and an `AbortSignal`.
 *
 * Streamed text never takes anything back: a piece is held until it can no
 * longer become part of a stop string, and an incomplete UTF-8 sequence at
 * the end (a byte-level token that splits a character) is held until the
 * character completes.
 */
import { InputError } from '../errors.js';
import type { LanguageModel } from '../models/language-model.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { TextTracker } from './text-tracker.js';
import {
  type FinishReason,
  type GenerationStats,
  type TokenLoopOptions,
  tokenLoop,
} from './token-loop.js';

/** Options of `generate`, `streamText` and `generateBatch`. */
export interface GenerateOptions extends TokenLoopOptions {
  /** Strings that end the continuation (not included in the text). @default none */
  stop?: readonly string[];
  /** Prepend the tokenizer's beginning-of-sequence token. @default the tokenizer's `addBosToken` (true for Llama-2 / TinyLlama), else true for llama-family models that define one */
  addBos?: boolean;
}

/** The result of a generation. */
export interface GenerateResult {
  /** The continuation (without the prompt, cut before a stop string). */
  readonly text: string;
  /** Its token ids (a stop id excluded). */
  readonly ids: readonly number[];
  /** Why it stopped: `length` (maxTokens or the context), `eos` (a stop id), `stop` (a stop string), `abort`. */
  readonly finishReason: FinishReason;
  /** Timings: prefill, time to first token, tokens per second. */
  readonly stats: GenerationStats;
}

/** A piece of streamed text. */
export interface TextChunk {
  /** New text since the previous chunk. */
  readonly text: string;
  /** The token that completed it. */
  readonly id: number;
}

/**
 * The token ids `generate` feeds for a prompt: the tokenizer's encoding,
 * with the beginning-of-sequence token prepended when the tokenizer (or a
 * llama-family model) asks for it. Decoders built on this package (Medusa)
 * use it to see exactly the prompt `generate` sees.
 * @param model - the model
 * @param tokenizer - its tokenizer
 * @param prompt - the text
 * @param options - `addBos` to force the choice
 * @returns the ids (non-empty)
 * @throws InputError for a prompt that is not a string or encodes to no tokens
 * @example
 * promptIds(model, tokenizer, 'ROMEO:') // [30, 27, 25, 17, 27, 10]
 */
export function promptIds(
  model: LanguageModel,
  tokenizer: Tokenizer,
  prompt: string,
  options: Pick<GenerateOptions, 'addBos'> = {},
): number[] {
  if (typeof prompt !== 'string')
    throw new InputError('generate', `prompt must be a string, got ${typeof prompt}`, 'prompt');
  const ids = tokenizer.encode(prompt);
  const bos = tokenizer.special.bos ?? model.config.bosTokenId ?? undefined;
  const addBos =
    options.addBos ??
    tokenizer.addBosToken ??
    (model.config.architecture === 'llama' && bos !== undefined);
  if (addBos && bos !== undefined && ids[0] !== bos) ids.unshift(bos);
  if (ids.length === 0)
    throw new InputError(
      'generate',
      'the prompt encodes to no tokens (pass text, or addBos: true)',
      'prompt',
    );
  return ids;
}

/**
 * The ids that end a continuation in `generate`: `options.stopIds`, else the
 * model's eos ids and the tokenizer's eos.
 * @param model - the model
 * @param tokenizer - its tokenizer
 * @param options - `stopIds` to override
 * @returns the stop ids
 * @example
 * stopIdsOf(gpt2, gpt2Tokenizer) // [50256]
 */
export function stopIdsOf(
  model: LanguageModel,
  tokenizer: Tokenizer,
  options: Pick<GenerateOptions, 'stopIds'> = {},
): number[] {
  if (options.stopIds) return [...options.stopIds];
  const ids = new Set(model.config.eosTokenIds);
  if (tokenizer.special.eos !== undefined) ids.add(tokenizer.special.eos);
  return [...ids];
}

/**
 * Streams the continuation of `prompt` as text pieces.
 * @param model - a language model
 * @param tokenizer - its tokenizer
 * @param prompt - the text to continue
 * @param options - sampling, maxTokens, stop strings and ids, seed, signal
 * @returns an async generator of text pieces, returning the `GenerateResult`
 * @throws InputError for a prompt that is not a string, encodes to nothing, or exceeds the context
 * @throws LmValueError for an option out of range
 * @example
 * for await (const piece of streamText(model, tokenizer, 'ROMEO:', { maxTokens: 50, temperature: 0.8, seed: 1 }))
 *   process.stdout.write(piece.text);
 */
export async function* streamText(
  model: LanguageModel,
  tokenizer: Tokenizer,
  prompt: string,
  options: GenerateOptions = {},
): AsyncGenerator<TextChunk, GenerateResult> {
  const stops = options.stop ?? [];
  const tracker = new TextTracker(tokenizer, stops);
  const loop = tokenLoop(
    model,
    [promptIds(model, tokenizer, prompt, options)],
    { ...options, stopIds: stopIdsOf(model, tokenizer, options) },
    () => tracker.stopped !== null,
  );
  const ids: number[] = [];
  for (;;) {
    const step = await loop.next();
    if (step.done) {
      const result = step.value;
      return {
        text: tracker.final(ids),
        ids,
        finishReason: result.finishReasons[0]!,
        stats: result.stats,
      };
    }
    ids.push(step.value.id);
    const text = tracker.update(ids);
    if (text !== '') yield { text, id: step.value.id };
  }
}

/**
 * Generates the continuation of `prompt`.
 * @param model - a language model
 * @param tokenizer - its tokenizer
 * @param prompt - the text to continue
 * @param options - sampling (greedy by default), maxTokens (128), stop strings and ids, seed, signal
 * @returns the text, its ids, why it stopped, and timings
 * @throws InputError for a prompt that is not a string, encodes to nothing, or exceeds the context
 * @throws LmValueError for an option out of range
 * @example
 * const { text, stats } = await generate(model, tokenizer, 'ROMEO:', { maxTokens: 40 });
 * console.log(text, stats.decodeTokensPerSecond);
 */
export async function generate(
  model: LanguageModel,
  tokenizer: Tokenizer,
  prompt: string,
  options: GenerateOptions = {},
): Promise<GenerateResult> {
  const stream = streamText(model, tokenizer, prompt, options);
  for (;;) {
    const step = await stream.next();
    if (step.done) return step.value;
  }
}

/**
 * Generates continuations of several prompts in one batch (left padding
 * with an attention mask); each row gives what its prompt alone gives with
 * the same options.
 * @param model - a language model
 * @param tokenizer - its tokenizer
 * @param prompts - the texts to continue
 * @param options - as `generate`; `seed` seeds every row alike
 * @returns one result per prompt (the stats are the batch's)
 * @throws InputError / LmValueError as `generate`
 * @example
 * const [a, b] = await generateBatch(model, tokenizer, ['ROMEO:', 'JULIET: O'], { maxTokens: 20 });
 */
export async function generateBatch(
  model: LanguageModel,
  tokenizer: Tokenizer,
  prompts: readonly string[],
  options: GenerateOptions = {},
): Promise<GenerateResult[]> {
  const stops = options.stop ?? [];
  const trackers = prompts.map(() => new TextTracker(tokenizer, stops));
  const loop = tokenLoop(
    model,
    prompts.map((p) => promptIds(model, tokenizer, p, options)),
    {
      ...options,
      stopIds: stopIdsOf(model, tokenizer, options),
      padId: options.padId ?? tokenizer.special.pad ?? 0,
    },
    (row, ids) => {
      trackers[row]!.update(ids);
      return trackers[row]!.stopped !== null;
    },
  );
  for (;;) {
    const step = await loop.next();
    if (step.done) {
      const result = step.value;
      return result.ids.map((ids, b) => ({
        text: trackers[b]!.final(ids),
        ids,
        finishReason: result.finishReasons[b]!,
        stats: result.stats,
      }));
    }
  }
}
