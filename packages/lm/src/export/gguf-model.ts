/**
 * A model's weights and hyper-parameters as llama.cpp names and lays them
 * out (ggml-org/llama.cpp `convert_hf_to_gguf.py` and `gguf-py` constants),
 * one table per architecture:
 *
 *   gpt2:  token_embd, position_embd, blk.N.{attn_norm, attn_qkv, attn_output,
 *          ffn_norm, ffn_up, ffn_down}.{weight,bias}, output_norm, output
 *          (Conv1D weights are stored in-by-out: transposed to llama.cpp's out-by-in)
 *   llama: token_embd, blk.N.{attn_norm, attn_q, attn_k, attn_v, attn_output,
 *          ffn_norm, ffn_gate, ffn_up, ffn_down}, output_norm, output
 *          (q / k rows permuted per head from Hugging Face's rotate-half RoPE
 *          layout, channel i with i + d/2, to llama.cpp's adjacent pairs 2j, 2j+1)
 *   qwen2: as llama with q/k/v biases and no permutation (llama.cpp's NeoX RoPE
 *          is rotate-half)
 *   mamba: token_embd, blk.N.{attn_norm, ssm_in, ssm_conv1d, ssm_x, ssm_dt,
 *          ssm_a, ssm_d, ssm_out}, output_norm, output
 *          (conv1d weight [C, 1, K] squeezed to [C, K]; ssm_a = -exp(A_log))
 *
 * A tied head writes no `output.weight` (llama.cpp reads `token_embd`
 * then). Each tensor says whether it must stay F32 in a 16-bit or Q8_0 file
 * (vectors, position embeddings, Mamba's conv / x / dt / A / D, as the
 * converter keeps them).
 */
import { noGrad, type Tensor } from '@x/tensor';
import { ExportError } from '../errors.js';
import type { MambaModelConfig, ModelConfig, TransformerConfig } from '../models/config.js';
import type { LanguageModel } from '../models/language-model.js';
import type { GgufValue } from './gguf-writer.js';

/** A weight in llama.cpp's layout, before encoding. */
export interface GgufSourceTensor {
  /** GGUF name. */
  readonly name: string;
  /** Row-major shape, outermost first (PyTorch order). */
  readonly shape: readonly number[];
  /** The values, row-major. */
  readonly values: Float32Array;
  /** Kept F32 whatever the file type. */
  readonly keepF32: boolean;
}

/** The architecture part of a GGUF file. */
export interface GgufModelParts {
  /** `general.architecture`. */
  readonly architecture: 'gpt2' | 'llama' | 'qwen2' | 'mamba';
  /** `<arch>.*` keys. */
  readonly metadata: Record<string, GgufValue>;
  /** Tensors in file order. */
  readonly tensors: GgufSourceTensor[];
}

const OP = 'toGguf';
const u32 = (value: number): GgufValue => ({ type: 'uint32', value });
const f32 = (value: number): GgufValue => ({ type: 'float32', value });

function values(t: Tensor): Float32Array {
  return noGrad(() => {
    const v = t.to('float32').contiguous().toTypedArray();
    return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
  });
}

/** `[rows, cols]` -> `[cols, rows]`. */
function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/**
 * Rows of a q or k projection (`[heads * d, cols]`, or a bias with cols = 1)
 * reordered within each head from rotate-half (row s * d/2 + j) to
 * adjacent pairs (row 2j + s): the converter's `permute`.
 */
export function permuteRope(
  data: Float32Array,
  heads: number,
  headDim: number,
  cols: number,
): Float32Array {
  const out = new Float32Array(data.length);
  const half = headDim / 2;
  for (let h = 0; h < heads; h++)
    for (let s = 0; s < 2; s++)
      for (let j = 0; j < half; j++) {
        const from = (h * headDim + s * half + j) * cols;
        const to = (h * headDim + 2 * j + s) * cols;
        out.set(data.subarray(from, from + cols), to);
      }
  return out;
}

class TensorList {
  readonly list: GgufSourceTensor[] = [];
  constructor(private readonly state: Record<string, Tensor>) {}
  source(key: string): Tensor {
    const t = this.state[key];
    if (!t)
      throw new ExportError(OP, `the model has no tensor "${key}"`, {
        format: 'gguf',
        subject: key,
      });
    return t;
  }
  has(key: string): boolean {
    return key in this.state;
  }
  /** Copies `key` as `name`, optionally transformed. */
  add(
    name: string,
    key: string,
    options: {
      keepF32?: boolean;
      transform?: (v: Float32Array, shape: readonly number[]) => Float32Array;
      shape?: (shape: readonly number[]) => readonly number[];
    } = {},
  ): void {
    const t = this.source(key);
    const v = values(t);
    const shape = options.shape ? options.shape(t.shape) : t.shape;
    this.list.push({
      name,
      shape,
      values: options.transform ? options.transform(v, t.shape) : v,
      keepF32: options.keepF32 ?? shape.length < 2,
    });
  }
}

function gpt2(model: LanguageModel, config: TransformerConfig): GgufModelParts {
  const t = new TensorList(model.stateDict());
  const conv1d = {
    transform: (v: Float32Array, s: readonly number[]) => transpose(v, s[0]!, s[1]!),
    shape: (s: readonly number[]) => [s[1]!, s[0]!],
  };
  t.add('token_embd.weight', 'transformer.wte.weight');
  t.add('position_embd.weight', 'transformer.wpe.weight', { keepF32: true });
  for (let i = 0; i < config.layers; i++) {
    const p = `transformer.h.${i}.`;
    const b = `blk.${i}.`;
    t.add(`${b}attn_norm.weight`, `${p}ln_1.weight`);
    t.add(`${b}attn_norm.bias`, `${p}ln_1.bias`);
    t.add(`${b}attn_qkv.weight`, `${p}attn.c_attn.weight`, conv1d);
    t.add(`${b}attn_qkv.bias`, `${p}attn.c_attn.bias`);
    t.add(`${b}attn_output.weight`, `${p}attn.c_proj.weight`, conv1d);
    t.add(`${b}attn_output.bias`, `${p}attn.c_proj.bias`);
    t.add(`${b}ffn_norm.weight`, `${p}ln_2.weight`);
    t.add(`${b}ffn_norm.bias`, `${p}ln_2.bias`);
    t.add(`${b}ffn_up.weight`, `${p}mlp.c_fc.weight`, conv1d);
    t.add(`${b}ffn_up.bias`, `${p}mlp.c_fc.bias`);
    t.add(`${b}ffn_down.weight`, `${p}mlp.c_proj.weight`, conv1d);
    t.add(`${b}ffn_down.bias`, `${p}mlp.c_proj.bias`);
  }
  t.add('output_norm.weight', 'transformer.ln_f.weight');
  t.add('output_norm.bias', 'transformer.ln_f.bias');
  if (!config.tieEmbeddings) t.add('output.weight', 'lm_head.weight');
  return {
    architecture: 'gpt2',
    metadata: {
      'gpt2.context_length': u32(config.maxPositions),
      'gpt2.embedding_length': u32(config.hiddenSize),
      'gpt2.feed_forward_length': u32(config.intermediateSize),
      'gpt2.block_count': u32(config.layers),
      'gpt2.attention.head_count': u32(config.heads),
      'gpt2.attention.layer_norm_epsilon': f32(config.normEps),
    },
    tensors: t.list,
  };
}

function llama(model: LanguageModel, config: TransformerConfig): GgufModelParts {
  if (config.mlpBias)
    throw new ExportError(
      OP,
      'llama.cpp has no MLP biases for the llama family ("mlp_bias": true)',
      {
        format: 'gguf',
        subject: 'mlp_bias',
      },
    );
  const qwen = config.modelType === 'qwen2';
  const arch = qwen ? 'qwen2' : 'llama';
  if (qwen && config.outputBias)
    throw new ExportError(OP, 'qwen2 in llama.cpp has no attention output bias', {
      format: 'gguf',
      subject: 'attention_bias',
    });
  const t = new TensorList(model.stateDict());
  const { heads: H, kvHeads: Hkv, headDim: d } = config;
  const rope = (heads: number) =>
    qwen
      ? {}
      : {
          transform: (v: Float32Array, s: readonly number[]) =>
            permuteRope(v, heads, d, s.length > 1 ? s[1]! : 1),
        };
  t.add('token_embd.weight', 'model.embed_tokens.weight');
  for (let i = 0; i < config.layers; i++) {
    const p = `model.layers.${i}.`;
    const b = `blk.${i}.`;
    t.add(`${b}attn_norm.weight`, `${p}input_layernorm.weight`);
    for (const [x, heads] of [
      ['q', H],
      ['k', Hkv],
      ['v', 0],
    ] as const) {
      const key = `${p}self_attn.${x}_proj`;
      const permute = heads > 0 ? rope(heads) : {};
      t.add(`${b}attn_${x}.weight`, `${key}.weight`, permute);
      if (t.has(`${key}.bias`)) t.add(`${b}attn_${x}.bias`, `${key}.bias`, permute);
    }
    t.add(`${b}attn_output.weight`, `${p}self_attn.o_proj.weight`);
    if (t.has(`${p}self_attn.o_proj.bias`))
      t.add(`${b}attn_output.bias`, `${p}self_attn.o_proj.bias`);
    t.add(`${b}ffn_norm.weight`, `${p}post_attention_layernorm.weight`);
    t.add(`${b}ffn_gate.weight`, `${p}mlp.gate_proj.weight`);
    t.add(`${b}ffn_up.weight`, `${p}mlp.up_proj.weight`);
    t.add(`${b}ffn_down.weight`, `${p}mlp.down_proj.weight`);
  }
  t.add('output_norm.weight', 'model.norm.weight');
  if (!config.tieEmbeddings) t.add('output.weight', 'lm_head.weight');
  const metadata: Record<string, GgufValue> = {
    [`${arch}.vocab_size`]: u32(config.vocabSize),
    [`${arch}.context_length`]: u32(config.maxPositions),
    [`${arch}.embedding_length`]: u32(config.hiddenSize),
    [`${arch}.block_count`]: u32(config.layers),
    [`${arch}.feed_forward_length`]: u32(config.intermediateSize),
    [`${arch}.rope.dimension_count`]: u32(d),
    [`${arch}.attention.head_count`]: u32(H),
    [`${arch}.attention.head_count_kv`]: u32(Hkv),
    [`${arch}.attention.layer_norm_rms_epsilon`]: f32(config.normEps),
    [`${arch}.rope.freq_base`]: f32(config.ropeTheta),
  };
  if (H * d !== config.hiddenSize) {
    metadata[`${arch}.attention.key_length`] = u32(d);
    metadata[`${arch}.attention.value_length`] = u32(d);
  }
  return { architecture: arch, metadata, tensors: t.list };
}

function mamba(model: LanguageModel, config: MambaModelConfig): GgufModelParts {
  if (config.useBias)
    throw new ExportError(
      OP,
      'llama.cpp has no in_proj / out_proj biases for Mamba ("use_bias": true)',
      {
        format: 'gguf',
        subject: 'use_bias',
      },
    );
  const t = new TensorList(model.stateDict());
  const f32Always = { keepF32: true };
  t.add('token_embd.weight', 'backbone.embeddings.weight');
  for (let i = 0; i < config.layers; i++) {
    const p = `backbone.layers.${i}.`;
    const b = `blk.${i}.`;
    t.add(`${b}attn_norm.weight`, `${p}norm.weight`);
    t.add(`${b}ssm_in.weight`, `${p}mixer.in_proj.weight`);
    t.add(`${b}ssm_conv1d.weight`, `${p}mixer.conv1d.weight`, {
      keepF32: true,
      shape: (s) => [s[0]!, s[2]!],
    });
    if (t.has(`${p}mixer.conv1d.bias`)) t.add(`${b}ssm_conv1d.bias`, `${p}mixer.conv1d.bias`);
    t.add(`${b}ssm_x.weight`, `${p}mixer.x_proj.weight`, f32Always);
    t.add(`${b}ssm_dt.weight`, `${p}mixer.dt_proj.weight`, f32Always);
    t.add(`${b}ssm_dt.bias`, `${p}mixer.dt_proj.bias`);
    t.add(`${b}ssm_a`, `${p}mixer.A_log`, {
      keepF32: true,
      transform: (v) => v.map((x) => -Math.exp(x)),
    });
    t.add(`${b}ssm_d`, `${p}mixer.D`);
    t.add(`${b}ssm_out.weight`, `${p}mixer.out_proj.weight`);
  }
  t.add('output_norm.weight', 'backbone.norm_f.weight');
  if (!config.tieEmbeddings) t.add('output.weight', 'lm_head.weight');
  return {
    architecture: 'mamba',
    metadata: {
      // a recurrent model has no context limit; the converter writes 2^20
      'mamba.context_length': u32(2 ** 20),
      'mamba.embedding_length': u32(config.hiddenSize),
      'mamba.feed_forward_length': u32(0),
      'mamba.attention.head_count': u32(0),
      'mamba.block_count': u32(config.layers),
      'mamba.ssm.conv_kernel': u32(config.convKernel),
      'mamba.ssm.inner_size': u32(config.expand * config.hiddenSize),
      'mamba.ssm.state_size': u32(config.stateSize),
      'mamba.ssm.time_step_rank': u32(config.timeStepRank),
      'mamba.attention.layer_norm_rms_epsilon': f32(config.normEps),
      'mamba.ssm.dt_b_c_rms': { type: 'bool', value: false },
    },
    tensors: t.list,
  };
}

/**
 * The architecture metadata and tensors of `model` in llama.cpp's names and layouts.
 * @param model - any model of this package
 * @returns the architecture name, its keys and its tensors
 * @throws ExportError for a layer llama.cpp's architecture lacks (MLP biases, Mamba projection biases)
 * @example ggufModelParts(model).tensors[0].name // 'token_embd.weight'
 */
export function ggufModelParts(model: LanguageModel): GgufModelParts {
  const config: ModelConfig = model.config;
  switch (config.architecture) {
    case 'gpt2':
      return gpt2(model, config);
    case 'llama':
      return llama(model, config);
    case 'mamba':
      return mamba(model, config);
  }
}
