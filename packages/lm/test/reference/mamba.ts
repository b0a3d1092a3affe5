/**
 * Float64 reference forward of a Mamba language model (Hugging Face
 * `modeling_mamba.py` slow path / the state-spaces reference's step), token
 * by token with an explicit recurrent state, by plain loops.
 */
import {
  linearOutIn,
  logitsOf,
  type RefWeights,
  rmsNorm,
  row,
  silu,
  softplus,
  weight,
} from './common.js';

/** The Mamba config fields the reference reads. */
export interface MambaRefConfig {
  hidden_size: number;
  num_hidden_layers: number;
  state_size: number;
  conv_kernel: number;
  expand: number;
  time_step_rank: number;
  layer_norm_epsilon?: number;
}

/** Logits [T][V] of `ids`, from a zero state. */
export function mambaReference(
  config: MambaRefConfig,
  weights: RefWeights,
  ids: readonly number[],
): Float64Array[] {
  const W = (name: string) => weight(weights, name);
  const D = config.hidden_size;
  const di = config.expand * D;
  const N = config.state_size;
  const K = config.conv_kernel;
  const R = config.time_step_rank;
  const eps = config.layer_norm_epsilon ?? 1e-5;
  const L = config.num_hidden_layers;
  const convWindows = Array.from({ length: L }, () =>
    Array.from({ length: K }, () => new Float64Array(di)),
  );
  const ssm = Array.from({ length: L }, () => new Float64Array(di * N));
  const embed = weights['backbone.embeddings.weight'] ?? W('backbone.embedding.weight');
  return ids.map((id) => {
    let h = row(embed, id);
    for (let l = 0; l < L; l++) {
      const P = `backbone.layers.${l}.mixer.`;
      const xz = linearOutIn(
        W(`${P}in_proj.weight`),
        rmsNorm(h, W(`backbone.layers.${l}.norm.weight`), eps),
        weights[`${P}in_proj.bias`],
      );
      const xs = xz.slice(0, di);
      const z = xz.slice(di);
      const window = convWindows[l]!;
      window.shift();
      window.push(xs);
      const conv = W(`${P}conv1d.weight`); // [di, 1, K]
      const convBias = weights[`${P}conv1d.bias`];
      const xc = new Float64Array(di);
      for (let c = 0; c < di; c++) {
        let s = convBias ? convBias.data[c]! : 0;
        for (let j = 0; j < K; j++) s += conv.data[c * K + j]! * window[j]![c]!;
        xc[c] = silu(s);
      }
      const xdbl = linearOutIn(W(`${P}x_proj.weight`), xc);
      const dt = linearOutIn(W(`${P}dt_proj.weight`), xdbl.slice(0, R), W(`${P}dt_proj.bias`)).map(
        softplus,
      );
      const Bv = xdbl.slice(R, R + N);
      const Cv = xdbl.slice(R + N, R + 2 * N);
      const aLog = W(`${P}A_log`);
      const Dskip = W(`${P}D`);
      const state = ssm[l]!;
      const y = new Float64Array(di);
      for (let c = 0; c < di; c++) {
        let s = 0;
        for (let n = 0; n < N; n++) {
          const a = -Math.exp(aLog.data[c * N + n]!);
          state[c * N + n] = Math.exp(dt[c]! * a) * state[c * N + n]! + dt[c]! * Bv[n]! * xc[c]!;
          s += state[c * N + n]! * Cv[n]!;
        }
        y[c] = (s + Dskip.data[c]! * xc[c]!) * silu(z[c]!);
      }
      const out = linearOutIn(W(`${P}out_proj.weight`), y, weights[`${P}out_proj.bias`]);
      h = h.map((v, i) => v + out[i]!);
    }
    return logitsOf(
      weights['lm_head.weight'] ?? embed,
      rmsNorm(h, W('backbone.norm_f.weight'), eps),
    );
  });
}
