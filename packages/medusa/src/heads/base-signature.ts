/**
 * Which base model a set of heads belongs to. Heads read one model's hidden
 * states and, when sharing, its LM head: on any other model they predict
 * noise. The signature holds the shape of the model (type, vocabulary,
 * width, depth) and 64 weights of its output projection at fixed places;
 * loading compares them with a relative tolerance, so the same model loaded
 * as float16, bfloat16 or float32 matches while a retrained one does not.
 */
import type { LanguageModel } from '@x/lm';
import { noGrad } from '@x/tensor';
import { BaseModelMismatchError } from '../errors.js';

/** What identifies a base model (`base_model_signature` in the heads' config.json). */
export interface BaseModelSignature {
  readonly model_type: string;
  readonly vocab_size: number;
  readonly hidden_size: number;
  readonly num_layers: number;
  /** 64 values of the output projection `[V, D]`, at rows and columns spread evenly. */
  readonly weight_sample: readonly number[];
  /** A short hash of everything above (values rounded to 3 significant digits), for messages. */
  readonly fingerprint: string;
}

const SAMPLES = 64;

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * The signature of a base model.
 * @param model - the base model
 * @returns its type, sizes, a sample of its head weights and a fingerprint
 * @example
 * baseModelSignature(model).fingerprint // 'a3f01c9e'
 */
export function baseModelSignature(model: LanguageModel): BaseModelSignature {
  const { modelType, vocabSize, hiddenSize, layers } = model.config;
  const sample: number[] = [];
  noGrad(() => {
    const weight = model.headWeight();
    const [V, D] = weight.shape as [number, number];
    for (let i = 0; i < SAMPLES; i++) {
      const row = Math.floor((i * V) / SAMPLES);
      const column = (i * 7919) % D;
      const values = weight.narrow(0, row, 1).narrow(1, column, 1).to('float32').toTypedArray();
      sample.push(Number(values[0]));
    }
  });
  const fingerprint = fnv1a(
    JSON.stringify([modelType, vocabSize, hiddenSize, layers, sample.map((v) => v.toPrecision(3))]),
  );
  return {
    model_type: modelType,
    vocab_size: vocabSize,
    hidden_size: hiddenSize,
    num_layers: layers,
    weight_sample: sample,
    fingerprint,
  };
}

/**
 * Checks that `model` is the base model the heads were trained on.
 * @param op - the calling operation, for messages
 * @param expected - the signature saved with the heads
 * @param baseName - the base model's name saved with the heads
 * @param model - the model they are loaded onto
 * @throws BaseModelMismatchError naming what differs
 */
export function checkBaseModel(
  op: string,
  expected: BaseModelSignature,
  baseName: string,
  model: LanguageModel,
): void {
  const actual = baseModelSignature(model);
  const details = {
    expectedBase: baseName,
    expectedFingerprint: expected.fingerprint,
    actualFingerprint: actual.fingerprint,
  };
  const fields = ['model_type', 'vocab_size', 'hidden_size', 'num_layers'] as const;
  for (const field of fields)
    if (expected[field] !== actual[field])
      throw new BaseModelMismatchError(
        op,
        `these heads belong to base model "${baseName}" (${field} ${expected[field]}), the model given has ${field} ${actual[field]}`,
        details,
      );
  let worst = 0;
  expected.weight_sample.forEach((value, i) => {
    const other = actual.weight_sample[i] ?? Number.NaN;
    const scale = Math.max(Math.abs(value), Math.abs(other), 1e-3);
    worst = Math.max(worst, Math.abs(value - other) / scale);
  });
  if (!(worst <= 0.02) || expected.weight_sample.length !== SAMPLES)
    throw new BaseModelMismatchError(
      op,
      `these heads belong to base model "${baseName}" (fingerprint ${expected.fingerprint}), the model given has other weights (fingerprint ${actual.fingerprint}; head weights differ by up to ${(100 * worst).toFixed(0)}%)`,
      details,
    );
}
