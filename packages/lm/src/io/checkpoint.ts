/**
 * Checkpoints in the Hugging Face layout, in memory (browser-safe; the
 * `@x/lm/node` entry reads and writes folders): a `config.json` document plus
 * tensors by name, as `model.safetensors` holds them.
 *
 * Loading maps the spellings in use to this package's module tree (GPT-2
 * files saved from `GPT2Model` lack the `transformer.` prefix; the
 * state-spaces Mamba repository says `backbone.embedding`), drops the
 * buffers some exports carry (`attn.bias`, `attn.masked_bias`,
 * `rotary_emb.inv_freq`), and a tied head's duplicate `lm_head.weight`, then
 * requires every parameter to be present with its exact shape. Loaded
 * tensors become the parameters (no second copy), converted to the
 * requested dtype.
 */
import {
  type DType,
  keep,
  loadSafetensors,
  nn,
  noGrad,
  parameter,
  saveSafetensors,
  type Tensor,
} from '@x/tensor';
import { CheckpointError, ConfigError } from '../errors.js';
import { createModel } from '../models/build.js';
import { type ModelConfig, parseModelConfig, toHfConfig } from '../models/config.js';
import type { LanguageModel } from '../models/language-model.js';

/** Options of `modelFromCheckpoint`. */
export interface LoadModelOptions {
  /**
   * dtype of the weights in memory: `float32` (16-bit checkpoints are
   * widened), or `float16` / `bfloat16` to keep 16-bit weights 16-bit
   * (activations are computed in float32 either way). `float64` for
   * reference checks. @default 'float32'
   */
  dtype?: DType;
}

const DROPPED = [/\.attn\.bias$/, /\.attn\.masked_bias$/, /\.rotary_emb\.inv_freq$/];

function canonicalName(config: ModelConfig, name: string): string {
  if (
    config.architecture === 'gpt2' &&
    !name.startsWith('transformer.') &&
    !name.startsWith('lm_head.')
  )
    return `transformer.${name}`;
  if (config.architecture === 'mamba' && name.startsWith('backbone.embedding.'))
    return name.replace('backbone.embedding.', 'backbone.embeddings.');
  return name;
}

/** Sets `module.path.to.prop = parameter(value)` along a dotted state-dict key. */
function assign(model: LanguageModel, key: string, value: Tensor): void {
  const parts = key.split('.');
  let owner = model as unknown as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) owner = owner[part] as Record<string, unknown>;
  const prop = parts[parts.length - 1]!;
  const old = owner[prop] as Tensor;
  owner[prop] = nn.isParameter(old) ? parameter(value) : keep(value);
}

/**
 * A model from a config document and its tensors (Hugging Face names and layouts).
 * @param configJson - the parsed `config.json`
 * @param tensors - tensors by name (from `loadSafetensors`, or several shards merged)
 * @param options - dtype in memory
 * @returns the model, in eval mode
 * @throws ConfigError for an unknown model type or an invalid config
 * @throws CheckpointError for a missing, unexpected or misshaped tensor (naming it and both shapes)
 * @example
 * const model = modelFromCheckpoint(JSON.parse(configText), loadSafetensors(bytes).tensors);
 */
export function modelFromCheckpoint(
  configJson: unknown,
  tensors: Record<string, Tensor>,
  options: LoadModelOptions = {},
): LanguageModel {
  const op = 'loadModel';
  const config = parseModelConfig(configJson);
  const dtype = options.dtype ?? 'float32';
  const model = createModel(config, { dtype });
  const expected = model.stateDict();
  const given = new Map<string, Tensor>();
  for (const [name, t] of Object.entries(tensors)) {
    if (DROPPED.some((pattern) => pattern.test(name))) continue;
    given.set(canonicalName(config, name), t);
  }
  if (config.tieEmbeddings) given.delete('lm_head.weight');
  const missing = Object.keys(expected).filter((k) => !given.has(k));
  if (missing.length > 0) {
    const hint =
      !config.tieEmbeddings && missing.includes('lm_head.weight')
        ? ' (the config says tie_word_embeddings: false)'
        : '';
    throw new CheckpointError(
      op,
      `the checkpoint lacks ${missing.length} tensor(s) the ${config.modelType} model needs: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}${hint}`,
      { tensor: missing[0] },
    );
  }
  const unexpected = [...given.keys()].filter((k) => !(k in expected));
  if (unexpected.length > 0)
    throw new CheckpointError(
      op,
      `the checkpoint holds ${unexpected.length} tensor(s) a ${config.modelType} model with this config does not have: ${unexpected.slice(0, 5).join(', ')}${unexpected.length > 5 ? ', ...' : ''} (is num_hidden_layers / n_layer right?)`,
      { tensor: unexpected[0] },
    );
  noGrad(() => {
    for (const [key, target] of Object.entries(expected)) {
      const source = given.get(key)!;
      if (
        source.shape.length !== target.shape.length ||
        source.shape.some((n, i) => n !== target.shape[i])
      )
        throw new CheckpointError(
          op,
          `tensor "${key}" has shape [${source.shape.join(', ')}] in the checkpoint, the config implies [${target.shape.join(', ')}]`,
          { tensor: key, expected: target.shape, actual: source.shape },
        );
      if (source.dtype === 'int32' || source.dtype === 'bool')
        throw new CheckpointError(
          op,
          `tensor "${key}" is ${source.dtype}, a weight must be floating point`,
          { tensor: key },
        );
      const want = target.dtype;
      const value =
        source.dtype === want && source.backend === target.backend
          ? source
          : source.toBackend(target.backend).to(want);
      assign(model, key, value.contiguous());
    }
  });
  return model.eval();
}

/**
 * A model from the bytes of `config.json` and `model.safetensors` (browser-safe).
 * @param configText - the text of `config.json`
 * @param weights - the bytes of `model.safetensors` (or several shards)
 * @param options - dtype in memory
 * @returns the model
 * @throws ConfigError when config.json is not JSON
 * @throws CheckpointError as `modelFromCheckpoint`, or for a corrupt safetensors file
 */
export function modelFromBytes(
  configText: string,
  weights: Uint8Array | readonly Uint8Array[],
  options: LoadModelOptions = {},
): LanguageModel {
  let json: unknown;
  try {
    json = JSON.parse(configText);
  } catch (error) {
    throw new ConfigError(
      'loadModel',
      `config.json is not valid JSON: ${(error as Error).message}`,
    );
  }
  const tensors: Record<string, Tensor> = {};
  const shards = weights instanceof Uint8Array ? [weights] : weights;
  shards.forEach((bytes, i) => {
    try {
      Object.assign(tensors, loadSafetensors(bytes).tensors);
    } catch (error) {
      throw new CheckpointError(
        'loadModel',
        `safetensors shard ${i}: ${(error as Error).message}`,
        {},
        { cause: error },
      );
    }
  });
  return modelFromCheckpoint(json, tensors, options);
}

/** Options of `checkpointOf`. */
export interface SaveModelOptions {
  /** dtype written: the weights' own, or converted. @default the weights' own */
  dtype?: 'float32' | 'float16' | 'bfloat16';
  /** String metadata for the safetensors header. @default { format: 'pt' } */
  metadata?: Record<string, string>;
}

/**
 * A model as a Hugging Face checkpoint in memory: the `config.json`
 * document and the `model.safetensors` bytes (a tied head is not written
 * twice, as transformers does).
 * @param model - any model of this package
 * @param options - dtype written, metadata
 * @returns the config document and the safetensors bytes
 * @example
 * const { config, weights } = checkpointOf(model, { dtype: 'float16' });
 */
export function checkpointOf(
  model: LanguageModel,
  options: SaveModelOptions = {},
): { config: Record<string, unknown>; weights: Uint8Array } {
  const state = model.stateDict();
  const tensors: Record<string, Tensor> = {};
  noGrad(() => {
    for (const [name, t] of Object.entries(state))
      tensors[name] = options.dtype && t.dtype !== options.dtype ? t.to(options.dtype) : t;
  });
  return {
    config: toHfConfig(model.config),
    weights: saveSafetensors(tensors, options.metadata ?? { format: 'pt' }),
  };
}
