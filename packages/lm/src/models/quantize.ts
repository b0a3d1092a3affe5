/**
 * `quantize(model, { weights })`: weight-only quantization of a loaded
 * model's linear layers and head (int8 symmetric per group of 32 / 64 along
 * the input axis with float32 scales, or float16 / bfloat16), applied to
 * every product the model runs without gradients (decoding, evaluation),
 * through @x/tensor's packed weights (`decode-weights.ts`). The float32
 * parameters stay (training keeps them); `model.decodeWeights = { format:
 * 'f32' }` undoes it.
 *
 * It reports what the quantization costs: the largest absolute logit
 * difference on a probe sequence, and, given validation tokens, the
 * validation loss before and after (`evaluateLoss`).
 */
import { noGrad, type PackedFormat, tensor, tidy } from '@x/tensor';
import { LmValueError } from '../errors.js';
import { type EvaluateOptions, evaluateLoss } from '../train/evaluate.js';
import type { DecodeWeights } from './decode-weights.js';
import type { LanguageModel } from './language-model.js';

/** Options of {@link quantize}. */
export interface QuantizeOptions {
  /** The weight format. */
  weights: 'int8' | 'fp16' | 'bf16';
  /** k values per int8 scale. @default 32 */
  groupSize?: 32 | 64;
  /** Validation token ids: the report then has the loss before and after. */
  validation?: Int32Array | readonly number[];
  /** Windows of the validation loss. @default { blockSize: the model's context, at most 256 } */
  evaluate?: EvaluateOptions;
  /** The probe sequence of the logit error. @default 64 ids (at most the context) spread over the vocabulary */
  probe?: readonly number[];
}

/** What {@link quantize} measured. */
export interface QuantizeReport {
  readonly weights: 'int8' | 'fp16' | 'bf16';
  readonly groupSize: number;
  /** max |logit(quantized) - logit(float32)| over the probe's positions and the vocabulary. */
  readonly maxLogitError: number;
  /** Validation loss (nats per token) before, or null without validation tokens. */
  readonly baselineLoss: number | null;
  /** Validation loss after, or null. */
  readonly quantizedLoss: number | null;
  /** (after - before) / before, or null. */
  readonly relativeLossChange: number | null;
}

const FORMATS: Record<QuantizeOptions['weights'], PackedFormat> = {
  int8: 'int8',
  fp16: 'f16',
  bf16: 'bf16',
};

function logitsOf(model: LanguageModel, probe: readonly number[]): Float32Array {
  return noGrad(() =>
    tidy(
      () =>
        model
          .forward(
            tensor(Int32Array.from(probe), {
              shape: [1, probe.length],
              dtype: 'int32',
              backend: model.embeddingWeight().backend,
            }),
          )
          .logits.toTypedArray() as Float32Array,
    ),
  );
}

/**
 * Quantizes the weights of `model`'s linear layers and head for every
 * gradient-free product (see the file header) and reports the cost.
 * @param model - a loaded model (float32 activations)
 * @param options - the format, the int8 group size, validation tokens
 * @returns the logit error and, with validation tokens, the loss change
 * @throws LmValueError for an unknown format or group size, or a float64 model
 * @example
 * ```ts
 * const report = quantize(model, { weights: 'int8', validation: tokenizer.encode(valText) });
 * report.relativeLossChange // 0.0012 (0.12 % more loss)
 * ```
 */
export function quantize(model: LanguageModel, options: QuantizeOptions): QuantizeReport {
  const op = 'quantize';
  const format = FORMATS[options.weights];
  if (format === undefined)
    throw new LmValueError(
      op,
      `weights must be 'int8', 'fp16' or 'bf16', got ${String(options.weights)}`,
      'weights',
      options.weights,
    );
  const groupSize = options.groupSize ?? 32;
  if (groupSize !== 32 && groupSize !== 64)
    throw new LmValueError(
      op,
      `groupSize must be 32 or 64, got ${groupSize}`,
      'groupSize',
      groupSize,
    );
  if (model.computeDType !== 'float32')
    throw new LmValueError(op, 'quantize needs a float32 model', 'model', model.computeDType);
  const context = model.config.architecture === 'mamba' ? 1024 : model.config.maxPositions;
  const V = model.config.vocabSize;
  const probe =
    options.probe ?? Array.from({ length: Math.min(64, context) }, (_, i) => (i * 7919 + 13) % V);
  // the reference: float32 weights on every path
  const original = model.decodeWeights;
  model.decodeWeights = { format: 'off' };
  const quantized: DecodeWeights = { format, groupSize };
  let baseline: Float32Array;
  let baselineLoss: number | null = null;
  try {
    baseline = logitsOf(model, probe);
    if (options.validation)
      baselineLoss = evaluateLoss(model, options.validation, options.evaluate).loss;
  } finally {
    model.decodeWeights = original;
  }
  model.decodeWeights = quantized;
  const after = logitsOf(model, probe);
  let maxLogitError = 0;
  for (let i = 0; i < after.length; i++)
    maxLogitError = Math.max(maxLogitError, Math.abs(after[i]! - baseline[i]!));
  const quantizedLoss = options.validation
    ? evaluateLoss(model, options.validation, options.evaluate).loss
    : null;
  return {
    weights: options.weights,
    groupSize,
    maxLogitError,
    baselineLoss,
    quantizedLoss,
    relativeLossChange:
      baselineLoss === null || quantizedLoss === null
        ? null
        : (quantizedLoss - baselineLoss) / baselineLoss,
  };
}
