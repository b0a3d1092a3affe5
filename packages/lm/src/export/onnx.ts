/**
 * `toOnnx`: a GPT-2 or Llama-family model of this package as an ONNX graph
 * with a KV cache, for onnxruntime (node, web, mobile) and the tools
 * around it. The inputs and outputs are the ones Hugging Face Optimum
 * gives its decoder exports (what transformers.js feeds a
 * `*ForCausalLM` graph), so one session call decodes one token:
 *
 *   input_ids        int64 [batch, sequence]
 *   attention_mask   int64 [batch, past_sequence + sequence]  (1 = real, 0 = padding)
 *   position_ids     int64 [batch, sequence]
 *   past_key_values.{i}.key / .value   float32 [batch, kv_heads, past_sequence, head_dim]
 *   -> logits        float32 [batch, sequence, vocab]
 *   -> present.{i}.key / .value        float32 [batch, kv_heads, past_sequence + sequence, head_dim]
 *
 * The first call passes empty pasts (past_sequence 0); each later call
 * passes the previous presents. Attention adds a causal mask (query t of
 * this call sees keys up to past + t) and the padding mask. The graph is
 * the model's own arithmetic in plain operators (opset 20: MatMul, Gemm,
 * LayerNormalization, Gelu with tanh, Softmax, and RMSNorm / RoPE / SiLU
 * composed from elementwise ops) with the weights as float32 initializers;
 * Linear weights are stored transposed for MatMul, the tied head is one
 * initializer read by both Gather and Gemm. Mamba is refused (its scan
 * is not a plain ONNX operator).
 */
import { noGrad, type OnnxValueInfo, onnxModel, type Tensor } from '@x/tensor';
import { ExportError } from '../errors.js';
import type { TransformerConfig } from '../models/config.js';
import type { LanguageModel } from '../models/language-model.js';
import { GraphBuilder } from './onnx-graph.js';

/** An ONNX model in memory. */
export interface OnnxFile {
  /** The serialized `ModelProto`. */
  readonly bytes: Uint8Array;
  /** Input names, in order. */
  readonly inputs: readonly string[];
  /** Output names, in order. */
  readonly outputs: readonly string[];
  /** Layers (one past / present pair each), kv heads and head size, to size the empty pasts. */
  readonly cache: { readonly layers: number; readonly kvHeads: number; readonly headDim: number };
}

const OP = 'toOnnx';

function values(t: Tensor): Float32Array {
  return noGrad(() => {
    const v = t.to('float32').contiguous().toTypedArray();
    return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
  });
}

/** `[rows, cols]` -> `[cols, rows]`. */
function transposed(t: Tensor): Float32Array {
  const [rows, cols] = t.shape as [number, number];
  const v = values(t);
  const out = new Float32Array(v.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = v[r * cols + c]!;
  return out;
}

/** The additive attention bias [B, 1, T, S]: 0 where query t may see key s, -1e9 elsewhere. */
function attentionBias(g: GraphBuilder): string {
  const scalar = (values: number[]) => g.int64(values, []);
  const T = g.one('Gather', [g.one('Shape', ['input_ids']), scalar([1])], { axis: { int: 0 } });
  const S = g.one('Gather', [g.one('Shape', ['attention_mask']), scalar([1])], {
    axis: { int: 0 },
  });
  const past = g.one('Sub', [S, T]);
  const rows = g.one('Range', [past, S, scalar([1])]); // absolute positions of the queries
  const cols = g.one('Range', [scalar([0]), S, scalar([1])]);
  const causal = g.one('LessOrEqual', [
    g.one('Unsqueeze', [cols, g.int64([0])]),
    g.one('Unsqueeze', [rows, g.int64([1])]),
  ]); // [T, S]
  const real = g.one('Unsqueeze', [
    g.one('Cast', ['attention_mask'], { to: { int: 9 } }),
    g.int64([1, 2]),
  ]); // [B, 1, 1, S]
  return g.one('Where', [g.one('And', [causal, real]), g.float([0], []), g.float([-1e9], [])]);
}

/** `[B, T, heads * d]` -> `[B, heads, T, d]`. */
function splitHeads(g: GraphBuilder, x: string, heads: number, d: number): string {
  return g.one('Transpose', [g.one('Reshape', [x, g.int64([0, 0, heads, d])])], {
    perm: { ints: [0, 2, 1, 3] },
  });
}

function pastAndPresent(i: number) {
  return {
    pastKey: `past_key_values.${i}.key`,
    pastValue: `past_key_values.${i}.value`,
    presentKey: `present.${i}.key`,
    presentValue: `present.${i}.value`,
  };
}

/** Logits [B, T, V] = hidden [B, T, D] head^T, with head [V, D] (Gemm with transB on 2-D rows). */
function logits(g: GraphBuilder, hidden: string, head: string, D: number, V: number): string {
  const rows = g.one('Reshape', [hidden, g.int64([-1, D])]);
  const out = g.one('Gemm', [rows, head], { transB: { int: 1 } });
  const shape = g.one('Concat', [g.one('Shape', ['input_ids']), g.int64([V])], {
    axis: { int: 0 },
  });
  return g.op('Reshape', [out, shape], {}, ['logits'])[0]!;
}

function gpt2(model: LanguageModel, config: TransformerConfig, g: GraphBuilder): void {
  const state = model.stateDict();
  const w = (key: string) => {
    const t = state[key]!;
    return g.weight(key, t.shape, values(t));
  };
  const { hiddenSize: D, heads: H, headDim: d, vocabSize: V } = config;
  const bias = attentionBias(g);
  const scale = g.float([1 / Math.sqrt(d)], []);
  const wte = w('transformer.wte.weight');
  let h = g.one('Add', [
    g.one('Gather', [wte, 'input_ids'], { axis: { int: 0 } }),
    g.one('Gather', [w('transformer.wpe.weight'), 'position_ids'], { axis: { int: 0 } }),
  ]);
  const norm = (x: string, prefix: string) =>
    g.one('LayerNormalization', [x, w(`${prefix}.weight`), w(`${prefix}.bias`)], {
      axis: { int: -1 },
      epsilon: { float: config.normEps },
    });
  const conv1d = (x: string, prefix: string) =>
    g.one('Add', [g.one('MatMul', [x, w(`${prefix}.weight`)]), w(`${prefix}.bias`)]);
  for (let i = 0; i < config.layers; i++) {
    const p = `transformer.h.${i}`;
    const names = pastAndPresent(i);
    const qkv = conv1d(norm(h, `${p}.ln_1`), `${p}.attn.c_attn`);
    const [q, k, v] = g.op('Split', [qkv, g.int64([D, D, D])], { axis: { int: 2 } }, 3) as [
      string,
      string,
      string,
    ];
    const key = g.op('Concat', [names.pastKey, splitHeads(g, k, H, d)], { axis: { int: 2 } }, [
      names.presentKey,
    ])[0]!;
    const value = g.op('Concat', [names.pastValue, splitHeads(g, v, H, d)], { axis: { int: 2 } }, [
      names.presentValue,
    ])[0]!;
    const scores = g.one('Add', [
      g.one('Mul', [
        g.one('MatMul', [
          splitHeads(g, q, H, d),
          g.one('Transpose', [key], { perm: { ints: [0, 1, 3, 2] } }),
        ]),
        scale,
      ]),
      bias,
    ]);
    const attended = g.one('MatMul', [g.one('Softmax', [scores], { axis: { int: -1 } }), value]);
    const merged = g.one('Reshape', [
      g.one('Transpose', [attended], { perm: { ints: [0, 2, 1, 3] } }),
      g.int64([0, 0, D]),
    ]);
    h = g.one('Add', [h, conv1d(merged, `${p}.attn.c_proj`)]);
    const up = g.one('Gelu', [conv1d(norm(h, `${p}.ln_2`), `${p}.mlp.c_fc`)], {
      approximate: { string: 'tanh' },
    });
    h = g.one('Add', [h, conv1d(up, `${p}.mlp.c_proj`)]);
  }
  const head = config.tieEmbeddings ? wte : w('lm_head.weight');
  logits(g, norm(h, 'transformer.ln_f'), head, D, V);
}

function llama(model: LanguageModel, config: TransformerConfig, g: GraphBuilder): void {
  const state = model.stateDict();
  const w = (key: string) => {
    const t = state[key]!;
    return g.weight(key, t.shape, values(t));
  };
  /** A Linear's weight [out, in] stored as [in, out] for MatMul. */
  const linear = (x: string, prefix: string) => {
    const t = state[`${prefix}.weight`]!;
    const y = g.one('MatMul', [
      x,
      g.weight(`${prefix}.weight.T`, [t.shape[1]!, t.shape[0]!], transposed(t)),
    ]);
    return state[`${prefix}.bias`] ? g.one('Add', [y, w(`${prefix}.bias`)]) : y;
  };
  const { hiddenSize: D, heads: H, kvHeads: Hkv, headDim: d, vocabSize: V } = config;
  const rms = (x: string, key: string) => {
    const meanSquare = g.one('ReduceMean', [g.one('Mul', [x, x]), g.int64([-1])], {
      keepdims: { int: 1 },
    });
    const inverse = g.one('Reciprocal', [
      g.one('Sqrt', [g.one('Add', [meanSquare, g.float([config.normEps], [])])]),
    ]);
    return g.one('Mul', [g.one('Mul', [x, inverse]), w(key)]);
  };
  // RoPE tables from position_ids: angle(t, j) = position * theta^(-2j/d), rotate-half layout
  const inverseFrequency = Array.from(
    { length: d / 2 },
    (_, j) => config.ropeTheta ** ((-2 * j) / d),
  );
  const angles = g.one('Mul', [
    g.one('Unsqueeze', [g.one('Cast', ['position_ids'], { to: { int: 1 } }), g.int64([2])]),
    g.float(inverseFrequency),
  ]);
  const full = g.one('Concat', [angles, angles], { axis: { int: -1 } });
  const cos = g.one('Unsqueeze', [g.one('Cos', [full]), g.int64([1])]); // [B, 1, T, d]
  const sin = g.one('Unsqueeze', [g.one('Sin', [full]), g.int64([1])]);
  const rope = (x: string) => {
    const [first, second] = g.op(
      'Split',
      [x, g.int64([d / 2, d / 2])],
      { axis: { int: -1 } },
      2,
    ) as [string, string];
    const rotated = g.one('Concat', [g.one('Neg', [second]), first], { axis: { int: -1 } });
    return g.one('Add', [g.one('Mul', [x, cos]), g.one('Mul', [rotated, sin])]);
  };
  const bias = g.one('Unsqueeze', [attentionBias(g), g.int64([2])]); // [B, 1, 1, T, S]
  const scale = g.float([1 / Math.sqrt(d)], []);
  const group = H / Hkv;
  const embed = w('model.embed_tokens.weight');
  let h = g.one('Gather', [embed, 'input_ids'], { axis: { int: 0 } });
  for (let i = 0; i < config.layers; i++) {
    const p = `model.layers.${i}`;
    const names = pastAndPresent(i);
    const x = rms(h, `${p}.input_layernorm.weight`);
    const q = rope(splitHeads(g, linear(x, `${p}.self_attn.q_proj`), H, d)); // [B, H, T, d]
    const k = rope(splitHeads(g, linear(x, `${p}.self_attn.k_proj`), Hkv, d));
    const v = splitHeads(g, linear(x, `${p}.self_attn.v_proj`), Hkv, d);
    const key = g.op('Concat', [names.pastKey, k], { axis: { int: 2 } }, [names.presentKey])[0]!;
    const value = g.op('Concat', [names.pastValue, v], { axis: { int: 2 } }, [
      names.presentValue,
    ])[0]!;
    // grouped-query attention by broadcasting: q [B, Hkv, group, T, d] against k, v [B, Hkv, 1, S, d]
    const q5 = g.one('Reshape', [q, g.int64([0, Hkv, group, -1, d])]);
    const k5 = g.one('Unsqueeze', [key, g.int64([2])]);
    const v5 = g.one('Unsqueeze', [value, g.int64([2])]);
    const scores = g.one('Add', [
      g.one('Mul', [
        g.one('MatMul', [q5, g.one('Transpose', [k5], { perm: { ints: [0, 1, 2, 4, 3] } })]),
        scale,
      ]),
      bias,
    ]);
    const attended = g.one('MatMul', [g.one('Softmax', [scores], { axis: { int: -1 } }), v5]);
    const merged = g.one('Reshape', [
      g.one('Transpose', [g.one('Reshape', [attended, g.int64([0, H, -1, d])])], {
        perm: { ints: [0, 2, 1, 3] },
      }),
      g.int64([0, 0, H * d]),
    ]);
    h = g.one('Add', [h, linear(merged, `${p}.self_attn.o_proj`)]);
    const y = rms(h, `${p}.post_attention_layernorm.weight`);
    const gate = linear(y, `${p}.mlp.gate_proj`);
    const silu = g.one('Mul', [gate, g.one('Sigmoid', [gate])]);
    h = g.one('Add', [
      h,
      linear(g.one('Mul', [silu, linear(y, `${p}.mlp.up_proj`)]), `${p}.mlp.down_proj`),
    ]);
  }
  const head = config.tieEmbeddings ? embed : w('lm_head.weight');
  logits(g, rms(h, 'model.norm.weight'), head, D, V);
}

/**
 * The model as an ONNX graph with a KV cache (inputs and outputs as the file comment says).
 * @param model - a GPT-2 or Llama-family model of this package
 * @returns the serialized model and its input / output names
 * @throws ExportError for a Mamba model
 * @example
 * const { bytes } = toOnnx(model);
 * const session = await ort.InferenceSession.create(bytes);
 */
export function toOnnx(model: LanguageModel): OnnxFile {
  const config = model.config;
  if (config.architecture === 'mamba')
    throw new ExportError(
      OP,
      'Mamba has no ONNX export here (its selective scan is not a plain ONNX operator); export GGUF for llama.cpp instead',
      { format: 'onnx', subject: 'architecture' },
    );
  const g = new GraphBuilder();
  if (config.architecture === 'gpt2') gpt2(model, config, g);
  else llama(model, config, g);
  const { layers, kvHeads, headDim } = config;
  const cacheShape = (length: string) => ['batch', kvHeads, length, headDim];
  const inputs: OnnxValueInfo[] = [
    { name: 'input_ids', dtype: 'int64', shape: ['batch', 'sequence'] },
    { name: 'attention_mask', dtype: 'int64', shape: ['batch', 'total_sequence'] },
    { name: 'position_ids', dtype: 'int64', shape: ['batch', 'sequence'] },
  ];
  const outputs: OnnxValueInfo[] = [
    { name: 'logits', dtype: 'float32', shape: ['batch', 'sequence', config.vocabSize] },
  ];
  for (let i = 0; i < layers; i++) {
    const n = pastAndPresent(i);
    inputs.push({ name: n.pastKey, dtype: 'float32', shape: cacheShape('past_sequence') });
    inputs.push({ name: n.pastValue, dtype: 'float32', shape: cacheShape('past_sequence') });
    outputs.push({ name: n.presentKey, dtype: 'float32', shape: cacheShape('total_sequence') });
    outputs.push({ name: n.presentValue, dtype: 'float32', shape: cacheShape('total_sequence') });
  }
  const bytes = onnxModel({
    ...g.spec(inputs, outputs),
    name: `x-lm-${config.modelType}`,
    producer: '@x/lm',
    opset: 20,
  });
  return {
    bytes,
    inputs: inputs.map((i) => i.name),
    outputs: outputs.map((o) => o.name),
    cache: { layers, kvHeads, headDim },
  };
}
