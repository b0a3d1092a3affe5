/**
 * Validation loss over a whole token stream: every token scored once, in
 * consecutive windows of `blockSize` (each position predicted from the
 * window's earlier tokens, as in training and in nanoGPT's `estimate_loss`,
 * which averages the same per-position losses over random windows).
 */
import { crossEntropy, noGrad, tensor, tidy } from '@x/tensor';
import { LmValueError } from '../errors.js';
import type { LanguageModel } from '../models/language-model.js';

/** Options of `evaluateLoss`. */
export interface EvaluateOptions {
  /** Tokens per window (at most the model's context). @default the model's context, at most 256 */
  blockSize?: number;
  /** Windows per forward pass. @default 16 */
  batchSize?: number;
  /** Score at most this many tokens (from the start). @default all */
  maxTokens?: number;
}

/** The result of `evaluateLoss`. */
export interface EvaluationResult {
  /** Mean cross-entropy, nats per token. */
  readonly loss: number;
  /** exp(loss). */
  readonly perplexity: number;
  /** Tokens scored. */
  readonly tokens: number;
  /** Bits per token (loss / ln 2); bits per character for a character model. */
  readonly bitsPerToken: number;
}

/**
 * Mean next-token loss of `model` over `ids`.
 * @param model - a language model
 * @param ids - token ids (at least 2)
 * @param options - window and batch sizes, a token limit
 * @returns loss, perplexity, tokens scored
 * @throws LmValueError for fewer than 2 tokens or a window past the model's context
 * @example
 * const { loss, perplexity } = evaluateLoss(model, tokenizer.encode(valText));
 */
export function evaluateLoss(
  model: LanguageModel,
  ids: Int32Array | readonly number[],
  options: EvaluateOptions = {},
): EvaluationResult {
  const context = model.config.architecture === 'mamba' ? 1024 : model.config.maxPositions;
  const T = options.blockSize ?? Math.min(256, context);
  if (!Number.isSafeInteger(T) || T < 1 || T > context)
    throw new LmValueError(
      'evaluateLoss',
      `blockSize must be an integer in [1, ${context}], got ${T}`,
      'blockSize',
      T,
    );
  const B = options.batchSize ?? 16;
  const data = Int32Array.from(ids).subarray(
    0,
    options.maxTokens === undefined ? undefined : options.maxTokens + 1,
  );
  if (data.length < 2)
    throw new LmValueError(
      'evaluateLoss',
      `need at least 2 tokens, got ${data.length}`,
      'ids',
      data.length,
    );
  const starts: number[] = [];
  for (let s = 0; s + 1 < data.length; s += T) starts.push(s);
  let total = 0;
  let count = 0;
  const backend = model.embeddingWeight().backend;
  noGrad(() => {
    for (let i = 0; i < starts.length; i += B) {
      const group = starts.slice(i, i + B);
      // windows of equal length per pass: the last, shorter window goes alone
      const lengths = group.map((s) => Math.min(T, data.length - 1 - s));
      const batches = lengths.every((n) => n === lengths[0]) ? [group] : group.map((s) => [s]);
      for (const batch of batches) {
        const n = Math.min(T, data.length - 1 - batch[0]!);
        const x = new Int32Array(batch.length * n);
        const y = new Int32Array(batch.length * n);
        batch.forEach((s, b) => {
          x.set(data.subarray(s, s + n), b * n);
          y.set(data.subarray(s + 1, s + n + 1), b * n);
        });
        total += tidy(() => {
          const { logits } = model.forward(
            tensor(x, { shape: [batch.length, n], dtype: 'int32', backend }),
          );
          const V = logits.shape[2]!;
          return (
            crossEntropy(logits.reshape([-1, V]), tensor(y, { dtype: 'int32', backend })).item() *
            batch.length *
            n
          );
        });
        count += batch.length * n;
      }
    }
  });
  const loss = total / count;
  return { loss, perplexity: Math.exp(loss), tokens: count, bitsPerToken: loss / Math.LN2 };
}
