/**
 * Float64 reference forward of GPT-2 (Hugging Face `modeling_gpt2.py`
 * semantics) over one sequence, by plain loops over the weights by name.
 */
import {
  geluTanh,
  layerNorm,
  linearInOut,
  logitsOf,
  type RefWeights,
  row,
  softmaxInPlace,
  weight,
} from './common.js';

/** The GPT-2 config fields the reference reads. */
export interface Gpt2RefConfig {
  n_embd: number;
  n_head: number;
  n_layer: number;
  layer_norm_epsilon?: number;
}

/**
 * Logits [T][V] of `ids` at positions `positions` (default 0..T-1).
 * @param weights - HF names with the `transformer.` prefix
 */
export function gpt2Reference(
  config: Gpt2RefConfig,
  weights: RefWeights,
  ids: readonly number[],
  positions: readonly number[] = ids.map((_, i) => i),
): Float64Array[] {
  const W = (name: string) => weight(weights, name);
  const D = config.n_embd;
  const H = config.n_head;
  const d = D / H;
  const eps = config.layer_norm_epsilon ?? 1e-5;
  const T = ids.length;
  let h = ids.map((id, t) => {
    const e = row(W('transformer.wte.weight'), id);
    const p = row(W('transformer.wpe.weight'), positions[t]!);
    return e.map((v, i) => v + p[i]!);
  });
  for (let l = 0; l < config.n_layer; l++) {
    const P = `transformer.h.${l}.`;
    const qkv = h.map((x) =>
      linearInOut(
        W(`${P}attn.c_attn.weight`),
        layerNorm(x, W(`${P}ln_1.weight`), W(`${P}ln_1.bias`), eps),
        W(`${P}attn.c_attn.bias`),
      ),
    );
    const attended = Array.from({ length: T }, () => new Float64Array(D));
    for (let head = 0; head < H; head++) {
      for (let i = 0; i < T; i++) {
        const scores = new Float64Array(i + 1);
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += qkv[i]![head * d + c]! * qkv[j]![D + head * d + c]!;
          scores[j] = s / Math.sqrt(d);
        }
        softmaxInPlace(scores);
        for (let j = 0; j <= i; j++)
          for (let c = 0; c < d; c++)
            attended[i]![head * d + c]! += scores[j]! * qkv[j]![2 * D + head * d + c]!;
      }
    }
    h = h.map((x, t) => {
      const a = linearInOut(W(`${P}attn.c_proj.weight`), attended[t]!, W(`${P}attn.c_proj.bias`));
      const r = x.map((v, i) => v + a[i]!);
      const m = linearInOut(
        W(`${P}mlp.c_fc.weight`),
        layerNorm(r, W(`${P}ln_2.weight`), W(`${P}ln_2.bias`), eps),
        W(`${P}mlp.c_fc.bias`),
      ).map(geluTanh);
      const out = linearInOut(W(`${P}mlp.c_proj.weight`), m, W(`${P}mlp.c_proj.bias`));
      return r.map((v, i) => v + out[i]!);
    });
  }
  const head = weights['lm_head.weight'] ?? W('transformer.wte.weight');
  return h.map((x) =>
    logitsOf(head, layerNorm(x, W('transformer.ln_f.weight'), W('transformer.ln_f.bias'), eps)),
  );
}
