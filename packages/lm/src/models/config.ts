/**
 * Model configurations: Hugging Face `config.json` documents read into one
 * normalized shape per architecture family, and written back.
 *
 * - `gpt2`: GPT-2 (`n_embd`, `n_layer`, `n_head`, `n_positions`, learned
 *   positions, LayerNorm, GELU (tanh form), Conv1D weights, tied head).
 * - `llama`: the Llama family (`llama`, `mistral`, `qwen2` model types:
 *   RMSNorm, RoPE with `rope_theta`, grouped-query attention, SwiGLU MLP,
 *   tied or untied `lm_head`; qwen2 adds q/k/v biases).
 * - `mamba`: Mamba (`hidden_size`, `state_size`, `conv_kernel`, `expand`,
 *   `time_step_rank`), and the reference repository's own config keys
 *   (`d_model`, `n_layer`, `ssm_cfg`).
 */
import { ConfigError } from '../errors.js';

/** Architecture families this package implements. */
export const ARCHITECTURES = ['gpt2', 'llama', 'mamba'] as const;
/** One of `ARCHITECTURES`. */
export type Architecture = (typeof ARCHITECTURES)[number];

/** Fields every architecture has. */
interface BaseConfig {
  /** The Hugging Face `model_type` read (`gpt2`, `llama`, `mistral`, `qwen2`, `mamba`). */
  readonly modelType: string;
  /** Vocabulary size (embedding rows). */
  readonly vocabSize: number;
  /** Model width. */
  readonly hiddenSize: number;
  /** Number of blocks. */
  readonly layers: number;
  /** Normalization epsilon. */
  readonly normEps: number;
  /** Whether the output head shares the token embedding. */
  readonly tieEmbeddings: boolean;
  /** Beginning-of-sequence id, or null. */
  readonly bosTokenId: number | null;
  /** End-of-sequence ids (generation stops at any of them). */
  readonly eosTokenIds: readonly number[];
}

/** A decoder-only transformer (GPT-2 or the Llama family). */
export interface TransformerConfig extends BaseConfig {
  readonly architecture: 'gpt2' | 'llama';
  /** Query heads. */
  readonly heads: number;
  /** Key / value heads (grouped-query attention when fewer than `heads`). */
  readonly kvHeads: number;
  /** Size of one head. */
  readonly headDim: number;
  /** Width of the MLP's hidden layer. */
  readonly intermediateSize: number;
  /** Longest context the position encoding supports. */
  readonly maxPositions: number;
  /** RoPE frequency base (llama family; 0 for learned positions). */
  readonly ropeTheta: number;
  /** Biases on q, k, v (GPT-2 and qwen2: true). */
  readonly attentionBias: boolean;
  /** Bias on the attention output projection. */
  readonly outputBias: boolean;
  /** Biases in the MLP. */
  readonly mlpBias: boolean;
}

/** A Mamba language model. */
export interface MambaModelConfig extends BaseConfig {
  readonly architecture: 'mamba';
  /** SSM state size N (`state_size`, `d_state`). */
  readonly stateSize: number;
  /** Width of the causal depthwise conv (`conv_kernel`, `d_conv`). */
  readonly convKernel: number;
  /** Inner width factor (`expand`). */
  readonly expand: number;
  /** Rank of the delta projection (`time_step_rank`, `dt_rank`; "auto" = ceil(hidden / 16)). */
  readonly timeStepRank: number;
  /** Biases on in_proj / out_proj. */
  readonly useBias: boolean;
  /** Bias on the conv. */
  readonly useConvBias: boolean;
}

/** A normalized model configuration. */
export type ModelConfig = TransformerConfig | MambaModelConfig;

type Json = Record<string, unknown>;
const OP = 'parseModelConfig';

function positiveInt(json: Json, keys: readonly string[], fallback?: number): number {
  for (const key of keys) {
    const value = json[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
      throw new ConfigError(
        OP,
        `"${key}" must be a positive integer, got ${JSON.stringify(value)}`,
        key,
      );
    return value;
  }
  if (fallback !== undefined) return fallback;
  throw new ConfigError(OP, `"${keys[0]}" is missing`, keys[0]!);
}

function positiveNumber(json: Json, key: string, fallback: number): number {
  const value = json[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
    throw new ConfigError(
      OP,
      `"${key}" must be a positive number, got ${JSON.stringify(value)}`,
      key,
    );
  return value;
}

function bool(json: Json, key: string, fallback: boolean): boolean {
  const value = json[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean')
    throw new ConfigError(OP, `"${key}" must be true or false, got ${JSON.stringify(value)}`, key);
  return value;
}

function tokenIds(json: Json, key: string): number[] {
  const value = json[key];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const id of list)
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0)
      throw new ConfigError(
        OP,
        `"${key}" must be a token id or a list of them, got ${JSON.stringify(value)}`,
        key,
      );
  return list as number[];
}

function base(json: Json, modelType: string, tieDefault: boolean) {
  const bos = tokenIds(json, 'bos_token_id');
  return {
    modelType,
    tieEmbeddings: bool(json, 'tie_word_embeddings', tieDefault),
    bosTokenId: bos[0] ?? null,
    eosTokenIds: tokenIds(json, 'eos_token_id'),
  };
}

function gpt2(json: Json): TransformerConfig {
  const hiddenSize = positiveInt(json, ['n_embd', 'hidden_size']);
  const heads = positiveInt(json, ['n_head', 'num_attention_heads']);
  if (hiddenSize % heads !== 0)
    throw new ConfigError(
      OP,
      `"n_embd" (${hiddenSize}) must be a multiple of "n_head" (${heads})`,
      'n_head',
    );
  const activation = json.activation_function ?? 'gelu_new';
  if (activation !== 'gelu_new' && activation !== 'gelu_pytorch_tanh')
    throw new ConfigError(
      OP,
      `"activation_function" ${JSON.stringify(activation)} is not supported (GPT-2 uses "gelu_new")`,
      'activation_function',
    );
  for (const key of ['scale_attn_by_inverse_layer_idx', 'reorder_and_upcast_attn'] as const)
    if (json[key] === true) throw new ConfigError(OP, `"${key}": true is not supported`, key);
  return {
    architecture: 'gpt2',
    ...base(json, 'gpt2', true),
    vocabSize: positiveInt(json, ['vocab_size']),
    hiddenSize,
    layers: positiveInt(json, ['n_layer', 'num_hidden_layers']),
    heads,
    kvHeads: heads,
    headDim: hiddenSize / heads,
    intermediateSize: positiveInt(json, ['n_inner'], 4 * hiddenSize),
    maxPositions: positiveInt(json, ['n_positions', 'n_ctx', 'max_position_embeddings']),
    normEps: positiveNumber(json, 'layer_norm_epsilon', 1e-5),
    ropeTheta: 0,
    attentionBias: true,
    outputBias: true,
    mlpBias: true,
  };
}

function llama(json: Json, modelType: string): TransformerConfig {
  const hiddenSize = positiveInt(json, ['hidden_size']);
  const heads = positiveInt(json, ['num_attention_heads']);
  const kvHeads = positiveInt(json, ['num_key_value_heads'], heads);
  if (heads % kvHeads !== 0)
    throw new ConfigError(
      OP,
      `"num_key_value_heads" (${kvHeads}) must divide "num_attention_heads" (${heads})`,
      'num_key_value_heads',
    );
  const headDim = positiveInt(json, ['head_dim'], Math.floor(hiddenSize / heads));
  if (headDim % 2 !== 0)
    throw new ConfigError(OP, `head size ${headDim} must be even for RoPE`, 'head_dim');
  const scaling = json.rope_scaling;
  if (scaling !== undefined && scaling !== null)
    throw new ConfigError(
      OP,
      `"rope_scaling" ${JSON.stringify(scaling)} is not supported (plain RoPE only)`,
      'rope_scaling',
    );
  const activation = json.hidden_act ?? 'silu';
  if (activation !== 'silu')
    throw new ConfigError(
      OP,
      `"hidden_act" ${JSON.stringify(activation)} is not supported (silu only)`,
      'hidden_act',
    );
  const qwen = modelType === 'qwen2';
  return {
    architecture: 'llama',
    ...base(json, modelType, false),
    vocabSize: positiveInt(json, ['vocab_size']),
    hiddenSize,
    layers: positiveInt(json, ['num_hidden_layers']),
    heads,
    kvHeads,
    headDim,
    intermediateSize: positiveInt(json, ['intermediate_size']),
    maxPositions: positiveInt(json, ['max_position_embeddings'], 2048),
    normEps: positiveNumber(json, 'rms_norm_eps', 1e-6),
    ropeTheta: positiveNumber(json, 'rope_theta', 10000),
    attentionBias: bool(json, 'attention_bias', qwen),
    outputBias: qwen ? false : bool(json, 'attention_bias', false),
    mlpBias: bool(json, 'mlp_bias', false),
  };
}

function mamba(json: Json): MambaModelConfig {
  // Hugging Face MambaConfig keys first, then the state-spaces repository's own.
  const ssm = (
    typeof json.ssm_cfg === 'object' && json.ssm_cfg !== null ? json.ssm_cfg : {}
  ) as Json;
  const merged: Json = { ...ssm, ...json };
  const hiddenSize = positiveInt(merged, ['hidden_size', 'd_model']);
  const rank = merged.time_step_rank ?? merged.dt_rank ?? 'auto';
  const timeStepRank =
    rank === 'auto'
      ? Math.ceil(hiddenSize / 16)
      : positiveInt({ time_step_rank: rank }, ['time_step_rank']);
  if (merged.rms_norm === false)
    throw new ConfigError(OP, '"rms_norm": false (LayerNorm blocks) is not supported', 'rms_norm');
  return {
    architecture: 'mamba',
    ...base(json, 'mamba', true),
    tieEmbeddings: bool(merged, 'tie_word_embeddings', bool(merged, 'tie_embeddings', true)),
    vocabSize: positiveInt(merged, ['vocab_size']),
    hiddenSize,
    layers: positiveInt(merged, ['num_hidden_layers', 'n_layer']),
    stateSize: positiveInt(merged, ['state_size', 'd_state'], 16),
    convKernel: positiveInt(merged, ['conv_kernel', 'd_conv'], 4),
    expand: positiveInt(merged, ['expand'], 2),
    timeStepRank,
    useBias: bool(merged, 'use_bias', bool(merged, 'bias', false)),
    useConvBias: bool(merged, 'use_conv_bias', bool(merged, 'conv_bias', true)),
    normEps: positiveNumber(
      merged,
      'layer_norm_epsilon',
      positiveNumber(merged, 'norm_epsilon', 1e-5),
    ),
  };
}

/**
 * Reads a Hugging Face `config.json` document into a normalized config.
 * A config without `model_type` (the state-spaces Mamba repository's) is
 * taken as Mamba when it has `d_model` and `ssm_cfg`.
 * @param json - the parsed `config.json`
 * @returns the normalized config
 * @throws ConfigError for an unknown `model_type` or a missing / invalid field (naming it)
 * @example
 * parseModelConfig({ model_type: 'gpt2', vocab_size: 65, n_positions: 256, n_embd: 128, n_layer: 4, n_head: 4 }).headDim // 32
 */
export function parseModelConfig(json: unknown): ModelConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ConfigError(
      OP,
      `config must be a JSON object, got ${Array.isArray(json) ? 'an array' : typeof json}`,
    );
  const doc = json as Json;
  const type = doc.model_type ?? ('d_model' in doc && 'ssm_cfg' in doc ? 'mamba' : undefined);
  switch (type) {
    case 'gpt2':
      return gpt2(doc);
    case 'llama':
    case 'mistral':
    case 'qwen2':
      return llama(doc, type as string);
    case 'mamba':
      return mamba(doc);
    default:
      throw new ConfigError(
        OP,
        `unknown model_type ${JSON.stringify(type)} (supported: gpt2, llama, mistral, qwen2, mamba)`,
        'model_type',
      );
  }
}

/**
 * Writes a normalized config back as a Hugging Face `config.json` document
 * (the keys `transformers` reads for that model type).
 * @param config - a normalized config
 * @returns the JSON document
 * @example
 * toHfConfig(model.config).model_type // 'gpt2'
 */
export function toHfConfig(config: ModelConfig): Record<string, unknown> {
  const eos = config.eosTokenIds.length === 1 ? config.eosTokenIds[0] : [...config.eosTokenIds];
  const ids = {
    ...(config.bosTokenId !== null ? { bos_token_id: config.bosTokenId } : {}),
    ...(config.eosTokenIds.length > 0 ? { eos_token_id: eos } : {}),
  };
  if (config.architecture === 'mamba')
    return {
      model_type: 'mamba',
      architectures: ['MambaForCausalLM'],
      vocab_size: config.vocabSize,
      hidden_size: config.hiddenSize,
      num_hidden_layers: config.layers,
      state_size: config.stateSize,
      conv_kernel: config.convKernel,
      expand: config.expand,
      time_step_rank: config.timeStepRank,
      use_bias: config.useBias,
      use_conv_bias: config.useConvBias,
      layer_norm_epsilon: config.normEps,
      tie_word_embeddings: config.tieEmbeddings,
      ...ids,
    };
  if (config.architecture === 'gpt2')
    return {
      model_type: 'gpt2',
      architectures: ['GPT2LMHeadModel'],
      vocab_size: config.vocabSize,
      n_positions: config.maxPositions,
      n_embd: config.hiddenSize,
      n_layer: config.layers,
      n_head: config.heads,
      n_inner: config.intermediateSize,
      activation_function: 'gelu_new',
      layer_norm_epsilon: config.normEps,
      tie_word_embeddings: config.tieEmbeddings,
      ...ids,
    };
  return {
    model_type: config.modelType,
    architectures: [
      config.modelType === 'qwen2'
        ? 'Qwen2ForCausalLM'
        : config.modelType === 'mistral'
          ? 'MistralForCausalLM'
          : 'LlamaForCausalLM',
    ],
    vocab_size: config.vocabSize,
    hidden_size: config.hiddenSize,
    intermediate_size: config.intermediateSize,
    num_hidden_layers: config.layers,
    num_attention_heads: config.heads,
    num_key_value_heads: config.kvHeads,
    head_dim: config.headDim,
    max_position_embeddings: config.maxPositions,
    rms_norm_eps: config.normEps,
    rope_theta: config.ropeTheta,
    hidden_act: 'silu',
    attention_bias: config.attentionBias,
    mlp_bias: config.mlpBias,
    tie_word_embeddings: config.tieEmbeddings,
    ...ids,
  };
}
