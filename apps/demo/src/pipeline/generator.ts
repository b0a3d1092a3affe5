/**
 * Generation for `ask`: the loaded @x/lm model continued with @x/medusa decoding
 * (its heads plus n-gram branches from the retrieved passages), or plain decoding
 * (n-grams and heads off). A model's context is short (128 characters for the bundled
 * one), so a long continuation slides: when a window is full, the last half of the
 * text becomes the next window's prompt, as nanoGPT's sampler crops to its last block.
 */
import { type LanguageModel, type Tokenizer, UnknownCharacterError } from '@x/lm';
import {
  autoTree,
  expectedNgramRows,
  type MedusaHeads,
  type MedusaStats,
  resolveNgramOptions,
  streamMedusa,
} from '@x/medusa';
import type { DecodingStats } from './types.js';

/** Options of one generation. */
export interface GenerateOptions {
  maxTokens: number;
  temperature: number;
  seed: number;
  plain: boolean;
  signal?: AbortSignal;
  /** Texts the n-gram branches may copy from. */
  passages: readonly string[];
}

/** What a generation yields: text chunks, then (as the return value) its statistics. */
export interface GenerationEnd {
  text: string;
  stats: DecodingStats;
  prefillMs: number;
  decodeMs: number;
  aborted: boolean;
}

/** A model, its tokenizer and (optionally) Medusa heads, with a sliding-window stream. */
export class Generator {
  /**
   * @param model - the base model
   * @param tokenizer - its tokenizer
   * @param heads - its Medusa heads, or null (n-grams only unless `plain`)
   * @param name - shown in stats
   */
  constructor(
    readonly model: LanguageModel,
    readonly tokenizer: Tokenizer,
    readonly heads: MedusaHeads | null,
    readonly name: string,
  ) {}

  /**
   * Chooses the Medusa tree now (it measures the pass cost on this machine, about a
   * second for the bundled model) rather than in the first `ask`; a no-op without
   * heads or without measured accuracies.
   * @returns milliseconds spent
   */
  prepare(): number {
    const started = performance.now();
    if (this.heads?.accuracy)
      autoTree(this.model, this.heads, { extraRows: expectedNgramRows(resolveNgramOptions({})) });
    return performance.now() - started;
  }

  readonly #encodable = new Map<string, boolean>();

  /**
   * The text with the characters its tokenizer cannot encode removed (a character-level
   * vocabulary refuses what its training text lacked: `<`, emoji, CJK for the bundled
   * model), so a user's corpus can never make `ask` fail; other tokenizers pass text as is.
   * @param text - a prompt or a passage
   * @returns the encodable text
   */
  encodable(text: string): string {
    try {
      this.tokenizer.encode(text);
      return text;
    } catch (error) {
      if (!UnknownCharacterError.isInstance(error)) throw error;
    }
    let out = '';
    for (const char of text) {
      let ok = this.#encodable.get(char);
      if (ok === undefined) {
        try {
          this.tokenizer.encode(char);
          ok = true;
        } catch {
          ok = false;
        }
        this.#encodable.set(char, ok);
      }
      if (ok) out += char;
    }
    return out;
  }

  /** The model's context in tokens. */
  get context(): number {
    const config = this.model.config;
    return config.architecture === 'mamba' ? 4096 : config.maxPositions;
  }

  /**
   * Streams a continuation of `prompt`.
   * @param prompt - the text to continue
   * @param options - length, sampling, passages, abort signal
   * @returns an async generator of text chunks, returning the statistics
   */
  async *stream(prompt: string, options: GenerateOptions): AsyncGenerator<string, GenerationEnd> {
    const started = performance.now();
    let text = '';
    // a prompt of characters the model does not know (a CJK corpus for the bundled model) starts from a line break
    let window = this.encodable(prompt) || '\n';
    const passages = options.plain ? [] : options.passages.map((p) => this.encodable(p));
    let tokens = 0;
    let steps = 0;
    let prefillMs = 0;
    let promptTokens = -1;
    let aborted = false;
    while (tokens < options.maxTokens) {
      const stream = streamMedusa(
        this.model,
        options.plain ? null : this.heads,
        this.tokenizer,
        window,
        {
          maxTokens: Math.min(options.maxTokens - tokens, this.context),
          temperature: options.temperature,
          seed: options.seed + steps,
          signal: options.signal,
          ngrams: options.plain ? false : {},
          passages,
        },
      );
      let windowText = '';
      let stats: MedusaStats;
      let finish: string;
      for (;;) {
        const step = await stream.next();
        if (step.done) {
          stats = step.value.stats;
          finish = step.value.finishReason;
          windowText = step.value.text;
          break;
        }
        if (step.value.text !== '') yield step.value.text;
      }
      if (promptTokens < 0) promptTokens = stats.promptTokens;
      prefillMs += stats.prefillMs;
      tokens += stats.generatedTokens;
      steps += stats.steps;
      text += windowText;
      if (finish === 'abort') aborted = true;
      if (finish !== 'length' || stats.generatedTokens === 0) break;
      // slide: the last half of the context becomes the next prompt
      const recent = `${window}${windowText}`;
      window = recent.slice(Math.floor(recent.length - this.context / 2));
    }
    const totalMs = performance.now() - started;
    const decodeMs = Math.max(0, totalMs - prefillMs);
    return {
      text,
      prefillMs,
      decodeMs,
      aborted,
      stats: {
        tokens,
        steps,
        acceptedPerStep: steps === 0 ? tokens : tokens / steps,
        tokensPerSecond: decodeMs === 0 ? 0 : (tokens * 1000) / decodeMs,
        promptTokens: Math.max(0, promptTokens),
        decoder: options.plain ? 'plain' : 'medusa',
      },
    };
  }
}
