/**
 * Float64 reference forward of a Llama-family model (Hugging Face
 * `modeling_llama.py` semantics: RMSNorm, rotate_half RoPE, grouped-query
 * attention, SwiGLU) over one sequence, by plain loops.
 */
import {
  linearOutIn,
  logitsOf,
  type RefWeights,
  rmsNorm,
  row,
  silu,
  softmaxInPlace,
  weight,
} from './common.js';

/** The Llama config fields the reference reads. */
export interface LlamaRefConfig {
  hidden_size: number;
  num_attention_heads: number;
  num_key_value_heads?: number;
  num_hidden_layers: number;
  rms_norm_eps?: number;
  rope_theta?: number;
  head_dim?: number;
}

function rotate(x: Float64Array, offset: number, d: number, position: number, theta: number): void {
  const half = d / 2;
  for (let i = 0; i < half; i++) {
    const angle = position * theta ** (-(2 * i) / d);
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const a = x[offset + i]!;
    const b = x[offset + i + half]!;
    x[offset + i] = a * c - b * s;
    x[offset + i + half] = b * c + a * s;
  }
}

/** Logits [T][V] of `ids` at positions `positions` (default 0..T-1). */
export function llamaReference(
  config: LlamaRefConfig,
  weights: RefWeights,
  ids: readonly number[],
  positions: readonly number[] = ids.map((_, i) => i),
): Float64Array[] {
  const W = (name: string) => weight(weights, name);
  const B = (name: string) => weights[name];
  const H = config.num_attention_heads;
  const Hkv = config.num_key_value_heads ?? H;
  const d = config.head_dim ?? config.hidden_size / H;
  const eps = config.rms_norm_eps ?? 1e-6;
  const theta = config.rope_theta ?? 10000;
  const T = ids.length;
  let h = ids.map((id) => row(W('model.embed_tokens.weight'), id));
  for (let l = 0; l < config.num_hidden_layers; l++) {
    const P = `model.layers.${l}.`;
    const xs = h.map((x) => rmsNorm(x, W(`${P}input_layernorm.weight`), eps));
    const q = xs.map((x, t) => {
      const v = linearOutIn(W(`${P}self_attn.q_proj.weight`), x, B(`${P}self_attn.q_proj.bias`));
      for (let head = 0; head < H; head++) rotate(v, head * d, d, positions[t]!, theta);
      return v;
    });
    const k = xs.map((x, t) => {
      const v = linearOutIn(W(`${P}self_attn.k_proj.weight`), x, B(`${P}self_attn.k_proj.bias`));
      for (let head = 0; head < Hkv; head++) rotate(v, head * d, d, positions[t]!, theta);
      return v;
    });
    const v = xs.map((x) =>
      linearOutIn(W(`${P}self_attn.v_proj.weight`), x, B(`${P}self_attn.v_proj.bias`)),
    );
    const attended = Array.from({ length: T }, () => new Float64Array(H * d));
    for (let head = 0; head < H; head++) {
      const kvHead = Math.floor(head / (H / Hkv));
      for (let i = 0; i < T; i++) {
        const scores = new Float64Array(i + 1);
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += q[i]![head * d + c]! * k[j]![kvHead * d + c]!;
          scores[j] = s / Math.sqrt(d);
        }
        softmaxInPlace(scores);
        for (let j = 0; j <= i; j++)
          for (let c = 0; c < d; c++)
            attended[i]![head * d + c]! += scores[j]! * v[j]![kvHead * d + c]!;
      }
    }
    h = h.map((x, t) => {
      const a = linearOutIn(
        W(`${P}self_attn.o_proj.weight`),
        attended[t]!,
        B(`${P}self_attn.o_proj.bias`),
      );
      const r = x.map((value, i) => value + a[i]!);
      const n = rmsNorm(r, W(`${P}post_attention_layernorm.weight`), eps);
      const gate = linearOutIn(W(`${P}mlp.gate_proj.weight`), n).map(silu);
      const up = linearOutIn(W(`${P}mlp.up_proj.weight`), n);
      const m = linearOutIn(
        W(`${P}mlp.down_proj.weight`),
        gate.map((g, i) => g * up[i]!),
      );
      return r.map((value, i) => value + m[i]!);
    });
  }
  const head = weights['lm_head.weight'] ?? W('model.embed_tokens.weight');
  return h.map((x) => logitsOf(head, rmsNorm(x, W('model.norm.weight'), eps)));
}
