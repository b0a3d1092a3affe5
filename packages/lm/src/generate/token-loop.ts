/**
 * The decoding loop over token ids: prefill the prompt into a fresh cache,
 * then one token per forward pass, with timings. Batched prompts are left
 * padded and masked, each row with a sampler of its own (seeded alike), so
 * a row of a batch produces exactly what the prompt alone produces. Text,
 * stop strings and streaming are layered on top in `generate.ts`.
 */
import { dispose, keep, noGrad, type Tensor, tidy } from '@x/tensor';
import { InputError, LmValueError } from '../errors.js';
import type { ModelCache } from '../models/cache.js';
import type { LanguageModel } from '../models/language-model.js';
import { Sampler, type SamplingOptions } from './sampling.js';

/** Why a sequence stopped. */
export type FinishReason = 'length' | 'eos' | 'stop' | 'abort';

/** Options of the token loop. */
export interface TokenLoopOptions extends SamplingOptions {
  /** Most tokens to generate per sequence. @default 128 */
  maxTokens?: number;
  /** Token ids that end a sequence (not included in the output). @default the model's eos ids */
  stopIds?: readonly number[];
  /** Stops generation between tokens; the result says `abort`. */
  signal?: AbortSignal;
  /** Id used for left padding in batches (masked, so any valid id works). @default 0 */
  padId?: number;
  /**
   * What happens at the end of a transformer's context: `stop` (finish with
   * `length`), or `slide` (one sequence only: keep the last half of the
   * context, prefill it into a fresh cache and go on, as nanoGPT's sampler
   * crops to the last block; a longer prompt is cut to its end). @default 'stop'
   */
  contextOverflow?: 'stop' | 'slide';
}

/** Timings of one generation. */
export interface GenerationStats {
  /** Prompt tokens (of the longest prompt, for a batch). */
  readonly promptTokens: number;
  /** Tokens generated (all rows of a batch). */
  readonly generatedTokens: number;
  /** Milliseconds of the prompt's forward pass. */
  readonly prefillMs: number;
  /** Milliseconds from the start to the first generated token. */
  readonly timeToFirstTokenMs: number;
  /** Milliseconds of the decoding passes after the first token. */
  readonly decodeMs: number;
  /** Prompt tokens per second of prefill. */
  readonly prefillTokensPerSecond: number;
  /** Generated tokens per second after the first one. */
  readonly decodeTokensPerSecond: number;
}

/** One generated token of one row. */
export interface TokenEvent {
  readonly row: number;
  readonly id: number;
}

/** Returns control to the event loop (so an abort or a client's disconnect can land). */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void };
  if (typeof g.setImmediate === 'function')
    return new Promise((resolve) => g.setImmediate!(resolve));
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Reads the logits of the last position of each row, [B][V], as float32 copies. */
async function lastRows(logits: Tensor): Promise<Float32Array[]> {
  const [B, T, V] = logits.shape as [number, number, number];
  const t = logits as Tensor & { data?: () => Promise<ArrayLike<number>> };
  const values = (typeof t.data === 'function' ? await t.data() : logits.toTypedArray()) as
    | Float32Array
    | Float64Array;
  return Array.from({ length: B }, (_, b) => {
    const start = (b * T + T - 1) * V;
    const row = new Float32Array(V);
    row.set(values.subarray(start, start + V));
    return row;
  });
}

function checkMaxTokens(maxTokens: number): number {
  if (!Number.isSafeInteger(maxTokens) || maxTokens < 0)
    throw new LmValueError(
      'generate',
      `maxTokens must be a non-negative integer, got ${maxTokens}`,
      'maxTokens',
      maxTokens,
    );
  return maxTokens;
}

/** The running state the loop reports at its end. */
export interface TokenLoopResult {
  /** Generated ids per row (stop ids excluded). */
  readonly ids: number[][];
  /** Why each row stopped. */
  readonly finishReasons: FinishReason[];
  readonly stats: GenerationStats;
}

/**
 * Generates token ids for one or more prompts (of token ids).
 * @param model - a language model
 * @param prompts - one id list per row (each non-empty)
 * @param options - sampling, maxTokens, stopIds, signal
 * @param shouldStop - asked after each token of a row: true ends that row with `stop` (stop strings)
 * @returns an async generator of tokens, returning the ids, reasons and timings
 * @throws InputError for an empty prompt or one past the model's context
 * @throws LmValueError for invalid options
 */
export async function* tokenLoop(
  model: LanguageModel,
  promptIds: readonly (readonly number[])[],
  options: TokenLoopOptions = {},
  shouldStop: (row: number, ids: readonly number[]) => boolean = () => false,
): AsyncGenerator<TokenEvent, TokenLoopResult> {
  const maxTokens = checkMaxTokens(options.maxTokens ?? 128);
  let prompts = promptIds;
  const B = prompts.length;
  if (B === 0 || prompts.some((p) => p.length === 0))
    throw new InputError('generate', 'every prompt needs at least one token', 'prompt');
  const samplers = prompts.map(() => new Sampler(options));
  const stopIds = new Set(options.stopIds ?? model.config.eosTokenIds);
  const context =
    model.config.architecture === 'mamba' ? Number.POSITIVE_INFINITY : model.config.maxPositions;
  const slide = (options.contextOverflow ?? 'stop') === 'slide';
  if (options.contextOverflow !== undefined && !['stop', 'slide'].includes(options.contextOverflow))
    throw new LmValueError(
      'generate',
      `contextOverflow must be stop or slide, got ${options.contextOverflow}`,
      'contextOverflow',
      options.contextOverflow,
    );
  if (slide && B > 1)
    throw new LmValueError(
      'generate',
      'contextOverflow: slide works on one sequence at a time',
      'contextOverflow',
      'slide',
    );
  if (slide && prompts[0]!.length > context) prompts = [prompts[0]!.slice(-context)];
  const T = Math.max(...prompts.map((p) => p.length));
  const keepOnSlide = Math.max(1, Math.floor(context / 2));
  if (T > context)
    throw new InputError(
      'generate',
      `the prompt has ${T} tokens, the model's context is ${context}`,
      'prompt',
    );
  const pad = options.padId ?? 0;
  const ids = prompts.map(() => [] as number[]);
  const reasons: (FinishReason | null)[] = prompts.map(() => null);
  const seen = prompts.map((p) => [...p]);
  const started = performance.now();
  let prefillMs = 0;
  let firstTokenMs = 0;
  let generated = 0;
  let cache: ModelCache = model.createCache({
    batch: B,
    capacity: Math.min(
      T + maxTokens,
      context === Number.POSITIVE_INFINITY ? T + maxTokens : context,
    ),
  });
  try {
    if (maxTokens === 0) reasons.fill('length');
    const padded = prompts.map((p) => [...Array(T - p.length).fill(pad), ...p]);
    const mask = prompts.map((p) => [...Array(T - p.length).fill(0), ...p.map(() => 1)]);
    const needsMask = prompts.some((p) => p.length < T);
    let logits = noGrad(() =>
      tidy(() =>
        keep(
          model.forward(padded, {
            cache,
            lastOnly: true,
            ...(needsMask ? { attentionMask: mask } : {}),
          }).logits,
        ),
      ),
    );
    let rows = await lastRows(logits);
    dispose(logits);
    prefillMs = performance.now() - started;
    let position = T;
    while (reasons.some((r) => r === null)) {
      if (options.signal?.aborted) {
        for (let b = 0; b < B; b++) reasons[b] ??= 'abort';
        break;
      }
      const next = rows.map((row, b) =>
        reasons[b] === null ? samplers[b]!.next(row, seen[b]!) : pad,
      );
      if (generated === 0) firstTokenMs = performance.now() - started;
      for (let b = 0; b < B; b++) {
        if (reasons[b] !== null) continue;
        const id = next[b]!;
        if (stopIds.has(id)) {
          reasons[b] = 'eos';
          continue;
        }
        ids[b]!.push(id);
        seen[b]!.push(id);
        generated++;
        yield { row: b, id };
        if (shouldStop(b, ids[b]!)) reasons[b] = 'stop';
        else if (ids[b]!.length >= maxTokens || (position >= context && !slide))
          reasons[b] = 'length';
      }
      if (reasons.every((r) => r !== null)) break;
      await yieldToEventLoop();
      if (slide && position >= context) {
        // the context is full: continue from the last half of it in a fresh cache
        cache.dispose();
        cache = model.createCache({ capacity: context });
        const window = seen[0]!.slice(-keepOnSlide);
        const fresh = cache;
        logits = noGrad(() =>
          tidy(() => keep(model.forward([window], { cache: fresh, lastOnly: true }).logits)),
        );
        rows = await lastRows(logits);
        dispose(logits);
        position = window.length;
        continue;
      }
      logits = noGrad(() =>
        tidy(() =>
          keep(
            model.forward(
              next.map((id) => [id]),
              { cache },
            ).logits,
          ),
        ),
      );
      rows = await lastRows(logits);
      dispose(logits);
      position++;
    }
  } finally {
    cache.dispose();
  }
  const total = performance.now() - started;
  const decodeMs = Math.max(0, total - firstTokenMs);
  const decoded = Math.max(0, generated - B);
  return {
    ids,
    finishReasons: reasons.map((r) => r ?? 'length'),
    stats: {
      promptTokens: T,
      generatedTokens: generated,
      prefillMs,
      timeToFirstTokenMs: firstTokenMs,
      decodeMs,
      prefillTokensPerSecond: prefillMs > 0 ? (T * B) / (prefillMs / 1000) : 0,
      decodeTokensPerSecond: decodeMs > 0 ? decoded / (decodeMs / 1000) : 0,
    },
  };
}
