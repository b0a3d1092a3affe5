/**
 * Small random checkpoints in the Hugging Face layout, for the tests: the
 * names and shapes are written out here from the transformers sources, not
 * taken from the package's modules, so loading them checks the layout.
 * Values are rounded to float32 (what the file holds), so the float64
 * references read exactly what the model loads.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DType, saveSafetensors, type Tensor, tensor } from '@x/tensor';
import type { RefWeights } from './reference/common.js';

/** A config document and its weights. */
export interface RandomCheckpoint {
  readonly config: Record<string, unknown>;
  readonly weights: RefWeights;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function filler(seed: number) {
  const next = rng(seed);
  return (shape: number[], scale: number, offset = 0) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float64Array(size);
    for (let i = 0; i < size; i++) data[i] = Math.fround(offset + scale * (2 * next() - 1));
    return { shape, data };
  };
}

/** A random GPT-2 checkpoint (`GPT2LMHeadModel` names). */
export function randomGpt2(
  overrides: Partial<{
    vocab: number;
    D: number;
    layers: number;
    heads: number;
    positions: number;
  }> = {},
  seed = 1,
): RandomCheckpoint {
  const { vocab = 37, D = 16, layers = 2, heads = 4, positions = 32 } = overrides;
  const f = filler(seed);
  const w: RefWeights = {
    'transformer.wte.weight': f([vocab, D], 0.5),
    'transformer.wpe.weight': f([positions, D], 0.2),
    'transformer.ln_f.weight': f([D], 0.2, 1),
    'transformer.ln_f.bias': f([D], 0.1),
  };
  for (let l = 0; l < layers; l++) {
    const P = `transformer.h.${l}.`;
    Object.assign(w, {
      [`${P}ln_1.weight`]: f([D], 0.2, 1),
      [`${P}ln_1.bias`]: f([D], 0.1),
      [`${P}attn.c_attn.weight`]: f([D, 3 * D], 0.4),
      [`${P}attn.c_attn.bias`]: f([3 * D], 0.1),
      [`${P}attn.c_proj.weight`]: f([D, D], 0.3),
      [`${P}attn.c_proj.bias`]: f([D], 0.1),
      [`${P}ln_2.weight`]: f([D], 0.2, 1),
      [`${P}ln_2.bias`]: f([D], 0.1),
      [`${P}mlp.c_fc.weight`]: f([D, 4 * D], 0.3),
      [`${P}mlp.c_fc.bias`]: f([4 * D], 0.1),
      [`${P}mlp.c_proj.weight`]: f([4 * D, D], 0.2),
      [`${P}mlp.c_proj.bias`]: f([D], 0.1),
    });
  }
  const config = {
    model_type: 'gpt2',
    architectures: ['GPT2LMHeadModel'],
    vocab_size: vocab,
    n_positions: positions,
    n_embd: D,
    n_layer: layers,
    n_head: heads,
    n_inner: null,
    activation_function: 'gelu_new',
    layer_norm_epsilon: 1e-5,
    bos_token_id: 0,
    eos_token_id: 0,
  };
  return { config, weights: w };
}

/** A random Llama checkpoint (`LlamaForCausalLM` names), GQA with 2 kv heads by default. */
export function randomLlama(
  overrides: Partial<{
    vocab: number;
    D: number;
    layers: number;
    heads: number;
    kvHeads: number;
    I: number;
    tied: boolean;
    theta: number;
  }> = {},
  seed = 2,
): RandomCheckpoint {
  const {
    vocab = 41,
    D = 16,
    layers = 2,
    heads = 4,
    kvHeads = 2,
    I = 24,
    tied = false,
    theta = 10000,
  } = overrides;
  const d = D / heads;
  const f = filler(seed);
  const w: RefWeights = {
    'model.embed_tokens.weight': f([vocab, D], 0.5),
    'model.norm.weight': f([D], 0.2, 1),
  };
  if (!tied) w['lm_head.weight'] = f([vocab, D], 0.4);
  for (let l = 0; l < layers; l++) {
    const P = `model.layers.${l}.`;
    Object.assign(w, {
      [`${P}input_layernorm.weight`]: f([D], 0.2, 1),
      [`${P}self_attn.q_proj.weight`]: f([heads * d, D], 0.4),
      [`${P}self_attn.k_proj.weight`]: f([kvHeads * d, D], 0.4),
      [`${P}self_attn.v_proj.weight`]: f([kvHeads * d, D], 0.4),
      [`${P}self_attn.o_proj.weight`]: f([D, heads * d], 0.3),
      [`${P}post_attention_layernorm.weight`]: f([D], 0.2, 1),
      [`${P}mlp.gate_proj.weight`]: f([I, D], 0.4),
      [`${P}mlp.up_proj.weight`]: f([I, D], 0.4),
      [`${P}mlp.down_proj.weight`]: f([D, I], 0.3),
    });
  }
  const config = {
    model_type: 'llama',
    architectures: ['LlamaForCausalLM'],
    vocab_size: vocab,
    hidden_size: D,
    intermediate_size: I,
    num_hidden_layers: layers,
    num_attention_heads: heads,
    num_key_value_heads: kvHeads,
    max_position_embeddings: 128,
    rms_norm_eps: 1e-5,
    rope_theta: theta,
    rope_scaling: null,
    hidden_act: 'silu',
    tie_word_embeddings: tied,
    bos_token_id: 1,
    eos_token_id: 2,
  };
  return { config, weights: w };
}

/** A random Mamba checkpoint (`MambaForCausalLM` names; `embedding` spelling with `stateSpaces`). */
export function randomMamba(
  overrides: Partial<{
    vocab: number;
    D: number;
    layers: number;
    N: number;
    K: number;
    R: number;
    stateSpaces: boolean;
  }> = {},
  seed = 3,
): RandomCheckpoint {
  const { vocab = 29, D = 8, layers = 2, N = 4, K = 4, R = 2, stateSpaces = false } = overrides;
  const di = 2 * D;
  const f = filler(seed);
  const w: RefWeights = {
    [stateSpaces ? 'backbone.embedding.weight' : 'backbone.embeddings.weight']: f([vocab, D], 0.5),
    'backbone.norm_f.weight': f([D], 0.2, 1),
  };
  for (let l = 0; l < layers; l++) {
    const P = `backbone.layers.${l}.`;
    const aLog = f([di, N], 0.5);
    for (let i = 0; i < aLog.data.length; i++)
      aLog.data[i] = Math.fround(Math.log(1 + (i % N)) + aLog.data[i]! * 0.2);
    Object.assign(w, {
      [`${P}norm.weight`]: f([D], 0.2, 1),
      [`${P}mixer.in_proj.weight`]: f([2 * di, D], 0.4),
      [`${P}mixer.conv1d.weight`]: f([di, 1, K], 0.4),
      [`${P}mixer.conv1d.bias`]: f([di], 0.1),
      [`${P}mixer.x_proj.weight`]: f([R + 2 * N, di], 0.4),
      [`${P}mixer.dt_proj.weight`]: f([di, R], 0.4),
      [`${P}mixer.dt_proj.bias`]: f([di], 0.5, -2),
      [`${P}mixer.A_log`]: aLog,
      [`${P}mixer.D`]: f([di], 0.3, 1),
      [`${P}mixer.out_proj.weight`]: f([D, di], 0.3),
    });
  }
  const config = stateSpaces
    ? {
        d_model: D,
        n_layer: layers,
        vocab_size: vocab,
        ssm_cfg: { d_state: N, d_conv: K, dt_rank: R },
        rms_norm: true,
        tie_embeddings: true,
      }
    : {
        model_type: 'mamba',
        architectures: ['MambaForCausalLM'],
        vocab_size: vocab,
        hidden_size: D,
        num_hidden_layers: layers,
        state_size: N,
        conv_kernel: K,
        expand: 2,
        time_step_rank: R,
        use_bias: false,
        use_conv_bias: true,
        layer_norm_epsilon: 1e-5,
        tie_word_embeddings: true,
      };
  return { config, weights: w };
}

/** The weights as tensors of `dtype` (what a safetensors file of that dtype holds). */
export function asTensors(weights: RefWeights, dtype: DType = 'float32'): Record<string, Tensor> {
  return Object.fromEntries(
    Object.entries(weights).map(([name, w]) => [
      name,
      tensor(w.data, { shape: [...w.shape], dtype: 'float64' }).to(dtype),
    ]),
  );
}

/** The weights as the file would hold them in `dtype`, read back into float64 (for references of 16-bit files). */
export function roundedTo(weights: RefWeights, dtype: DType): RefWeights {
  return Object.fromEntries(
    Object.entries(weights).map(([name, w]) => [
      name,
      {
        shape: w.shape,
        data: Float64Array.from(
          tensor(w.data, { shape: [...w.shape], dtype: 'float64' })
            .to(dtype)
            .to('float64')
            .toTypedArray() as Float64Array,
        ),
      },
    ]),
  );
}

/**
 * Writes the checkpoint to a new temporary folder as `config.json` + `model.safetensors`.
 * @returns the folder
 */
export function writeCheckpoint(checkpoint: RandomCheckpoint, dtype: DType = 'float32'): string {
  const dir = mkdtempSync(join(tmpdir(), 'x-lm-ckpt-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(checkpoint.config, null, 2));
  writeFileSync(
    join(dir, 'model.safetensors'),
    saveSafetensors(asTensors(checkpoint.weights, dtype)),
  );
  return dir;
}
