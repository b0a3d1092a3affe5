/**
 * Heads as files, in memory (browser-safe; `@x/medusa/node` reads and
 * writes folders): a `config.json` in the reference's keys
 * (`medusa_num_heads`, `medusa_num_layers`, `base_model_name_or_path`) plus
 * the base model's signature, the weights as `medusa_lm_head.safetensors`
 * in the reference's tensor names, and the held-out accuracy as
 * `accuracy.json` when it was measured.
 */
import type { LanguageModel } from '@x/lm';
import { loadSafetensors, noGrad, saveSafetensors, type Tensor } from '@x/tensor';
import { HeadsFormatError } from '../errors.js';
import { type BaseModelSignature, checkBaseModel } from './base-signature.js';
import { type HeadAccuracy, MedusaHeads } from './medusa-heads.js';

/** The file names of a heads folder. */
export const HEADS_FILES = {
  config: 'config.json',
  weights: 'medusa_lm_head.safetensors',
  accuracy: 'accuracy.json',
} as const;

/** The heads' files as bytes and documents. */
export interface HeadsCheckpoint {
  /** `config.json`. */
  readonly config: Record<string, unknown>;
  /** `medusa_lm_head.safetensors`. */
  readonly weights: Uint8Array;
  /** `accuracy.json`, or null when not measured. */
  readonly accuracy: HeadAccuracy | null;
}

/**
 * The files of a set of heads.
 * @param heads - the heads
 * @returns config document, safetensors bytes (float32) and accuracy
 * @example
 * const { config, weights } = headsCheckpoint(heads);
 * config.medusa_num_heads // 4
 */
export function headsCheckpoint(heads: MedusaHeads): HeadsCheckpoint {
  const c = heads.config;
  const config = {
    medusa_num_heads: c.numHeads,
    medusa_num_layers: c.numLayers,
    base_model_name_or_path: c.baseModel,
    hidden_size: c.hiddenSize,
    vocab_size: c.vocabSize,
    share_lm_head: c.shareLmHead,
    base_model_signature: c.baseSignature,
    format: 'x-medusa/1',
  };
  const tensors = Object.fromEntries(
    heads
      .namedParameters()
      .map(([name, t]) => [name, noGrad(() => t.detach().to('float32').contiguous())]),
  );
  return {
    config,
    weights: saveSafetensors(tensors, { format: 'pt' }),
    accuracy: heads.accuracy,
  };
}

const OP = 'loadHeads';

function field<T>(
  json: Record<string, unknown>,
  key: string,
  check: (v: unknown) => boolean,
  what: string,
): T {
  const value = json[key];
  if (!check(value))
    throw new HeadsFormatError(
      OP,
      `config.json: "${key}" must be ${what}, got ${JSON.stringify(value)}`,
      HEADS_FILES.config,
    );
  return value as T;
}

const positiveInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

function signatureOf(json: Record<string, unknown>): BaseModelSignature {
  const s = json.base_model_signature as Record<string, unknown> | undefined;
  if (
    typeof s !== 'object' ||
    s === null ||
    typeof s.model_type !== 'string' ||
    !positiveInt(s.vocab_size) ||
    !positiveInt(s.hidden_size) ||
    !positiveInt(s.num_layers) ||
    !Array.isArray(s.weight_sample) ||
    s.weight_sample.some((v) => typeof v !== 'number') ||
    typeof s.fingerprint !== 'string'
  )
    throw new HeadsFormatError(
      OP,
      'config.json: "base_model_signature" is missing or malformed (heads saved by another tool name no base model this package can check; train them here)',
      HEADS_FILES.config,
    );
  return s as unknown as BaseModelSignature;
}

function checkAccuracy(accuracy: unknown, K: number): HeadAccuracy | null {
  if (accuracy === null || accuracy === undefined) return null;
  const a = accuracy as Partial<HeadAccuracy>;
  const list = (v: unknown) =>
    Array.isArray(v) && v.length === K && v.every((x) => typeof x === 'number');
  if (
    !list(a.top1) ||
    !list(a.top5) ||
    !Array.isArray(a.rank) ||
    a.rank.length !== K ||
    !a.rank.every((row) => Array.isArray(row) && row.every((x) => typeof x === 'number')) ||
    typeof a.positions !== 'number'
  )
    throw new HeadsFormatError(
      OP,
      `accuracy.json must hold top1, top5 (${K} numbers each), rank (${K} lists) and positions`,
      HEADS_FILES.accuracy,
    );
  return a as HeadAccuracy;
}

/**
 * Heads from their files, checked against the base model they are loaded onto.
 * @param configJson - the parsed `config.json`
 * @param weights - `medusa_lm_head.safetensors` bytes, or its tensors
 * @param model - the base model
 * @param accuracy - the parsed `accuracy.json`, if any
 * @returns the heads, in eval mode
 * @throws HeadsFormatError for a config without the fields, a tensor missing, unexpected or misshaped
 * @throws BaseModelMismatchError when `model` is not the base model the heads name
 * @example
 * const heads = headsFromCheckpoint(JSON.parse(configText), bytes, model);
 */
export function headsFromCheckpoint(
  configJson: unknown,
  weights: Uint8Array | Record<string, Tensor>,
  model: LanguageModel,
  accuracy: unknown = null,
): MedusaHeads {
  if (typeof configJson !== 'object' || configJson === null || Array.isArray(configJson))
    throw new HeadsFormatError(OP, 'config.json must hold a JSON object', HEADS_FILES.config);
  const json = configJson as Record<string, unknown>;
  const numHeads = field<number>(json, 'medusa_num_heads', positiveInt, 'a positive integer');
  const numLayers =
    json.medusa_num_layers === undefined
      ? 1
      : field<number>(json, 'medusa_num_layers', positiveInt, 'a positive integer');
  const baseModel = field<string>(
    json,
    'base_model_name_or_path',
    (v) => typeof v === 'string',
    'a string',
  );
  const shareLmHead =
    json.share_lm_head === undefined
      ? false
      : field<boolean>(json, 'share_lm_head', (v) => typeof v === 'boolean', 'true or false');
  checkBaseModel(OP, signatureOf(json), baseModel, model);
  const tensors =
    weights instanceof Uint8Array
      ? (() => {
          try {
            return loadSafetensors(weights).tensors;
          } catch (error) {
            throw new HeadsFormatError(
              OP,
              `${HEADS_FILES.weights}: ${(error as Error).message}`,
              HEADS_FILES.weights,
              { cause: error },
            );
          }
        })()
      : weights;
  const heads = new MedusaHeads(model, {
    heads: numHeads,
    layers: numLayers,
    shareLmHead,
    baseModel,
  });
  const expected = Object.fromEntries(heads.namedParameters());
  const missing = Object.keys(expected).filter((name) => !(name in tensors));
  if (missing.length > 0)
    throw new HeadsFormatError(
      OP,
      `${HEADS_FILES.weights} lacks ${missing.length} tensor(s) of ${numHeads} heads with ${numLayers} layer(s)${shareLmHead ? ' (shared LM head)' : ''}: ${missing.slice(0, 4).join(', ')}`,
      missing[0]!,
    );
  const unexpected = Object.keys(tensors).filter((name) => !(name in expected));
  if (unexpected.length > 0)
    throw new HeadsFormatError(
      OP,
      `${HEADS_FILES.weights} holds tensor(s) the config does not describe: ${unexpected.slice(0, 4).join(', ')} (medusa_num_heads ${numHeads}, medusa_num_layers ${numLayers}, share_lm_head ${shareLmHead})`,
      unexpected[0]!,
    );
  noGrad(() => {
    for (const [name, target] of Object.entries(expected)) {
      const source = tensors[name]!;
      if (source.shape.join() !== target.shape.join())
        throw new HeadsFormatError(
          OP,
          `tensor "${name}" has shape [${source.shape.join(', ')}], heads of this base model need [${target.shape.join(', ')}]`,
          name,
        );
      target.copy_(source.to(target.dtype));
    }
  });
  heads.accuracy = checkAccuracy(accuracy, numHeads);
  return heads.eval();
}
