/**
 * `causalConvSilu`: Mamba's causal depthwise convolution followed by SiLU
 * (the reference's `causal_conv1d_fn(x, weight, bias, activation="silu")`)
 * as one taped op on channels-last activations, so the block needs neither
 * the two transposes nor the K shifted multiply-adds that composing
 * `conv1dCausalDepthwise` records on the tape.
 *
 * Shapes: x [b, l, c], weight [c, 1, K] (PyTorch's Conv1d layout) or [c, K],
 * bias [c] -> out [b, l, c]:
 *   pre[b, t, c] = bias[c] + sum_{k<K} weight[c, k] x[b, t - (K-1) + k, c]   (x = 0 before t = 0)
 *   out = silu(pre) (or pre when `activation` is null)
 * Backward with g = dL/dout * silu'(pre):
 *   dx[b, s, c] = sum_k weight[c, k] g[b, s + (K-1) - k, c]
 *   dweight[c, k] = sum_{b,t} g[b, t, c] x[b, t - (K-1) + k, c],   dbias[c] = sum_{b,t} g[b, t, c]
 */
import { record, type Tensor, tensor } from '@x/tensor';
import { SsmShapeError } from '../errors.js';
import { checkFloat, formatShape } from '../validate.js';

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/**
 * Causal depthwise convolution over time with an optional SiLU, channels-last.
 * @param x - `[b, l, c]`
 * @param weight - `[c, 1, K]` or `[c, K]`
 * @param bias - `[c]` or null
 * @param activation - 'silu' or null. @default 'silu'
 * @returns `[b, l, c]`
 * @throws SsmShapeError when the channel counts differ; SsmDTypeError for non-float tensors
 * @example causalConvSilu(x, conv1d.weight, conv1d.bias) // equals silu(conv1dCausalDepthwise(x^T, w, b))^T
 */
export function causalConvSilu(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  activation: 'silu' | null = 'silu',
): Tensor {
  checkFloat('causalConvSilu', 'x', x);
  checkFloat('causalConvSilu', 'weight', weight);
  const [b, l, c] = x.shape as [number, number, number];
  const K = weight.shape[weight.rank - 1]!;
  const okWeight =
    (weight.rank === 3 && weight.shape[0] === c && weight.shape[1] === 1) ||
    (weight.rank === 2 && weight.shape[0] === c);
  if (x.rank !== 3 || !okWeight || (bias && (bias.rank !== 1 || bias.shape[0] !== c))) {
    throw new SsmShapeError(
      'causalConvSilu',
      `expects x [b, l, c], weight [c, 1, K] or [c, K], bias [c]; got x ${formatShape(x.shape)}, weight ${formatShape(weight.shape)}${bias ? `, bias ${formatShape(bias.shape)}` : ''}`,
      { x: x.shape, weight: weight.shape, ...(bias ? { bias: bias.shape } : {}) },
    );
  }
  const X = x.toTypedArray();
  const W = weight.toTypedArray();
  const Bv = bias ? bias.toTypedArray() : null;
  const Float = x.dtype === 'float64' ? Float64Array : Float32Array;
  const pre = new Float64Array(b * l * c);
  const out = new Float(b * l * c);
  for (let bi = 0; bi < b; bi++) {
    for (let t = 0; t < l; t++) {
      const row = (bi * l + t) * c;
      for (let ch = 0; ch < c; ch++) {
        let s = Bv ? Bv[ch]! : 0;
        for (let k = 0; k < K; k++) {
          const src = t - (K - 1) + k;
          if (src >= 0) s += W[ch * K + k]! * X[(bi * l + src) * c + ch]!;
        }
        pre[row + ch] = s;
        out[row + ch] = activation ? s * sigmoid(s) : s;
      }
    }
  }
  const y = tensor(out, { shape: [b, l, c], dtype: x.dtype, backend: x.backend });
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(
    'causalConvSilu',
    y,
    inputs,
    (grad) => {
      const G = grad.toTypedArray();
      const g = new Float64Array(b * l * c);
      for (let i = 0; i < g.length; i++) {
        const p = pre[i]!;
        const sg = sigmoid(p);
        g[i] = activation ? G[i]! * sg * (1 + p * (1 - sg)) : G[i]!;
      }
      const gx = new Float64Array(b * l * c);
      const gw = new Float64Array(c * K);
      const gb = new Float64Array(c);
      for (let bi = 0; bi < b; bi++) {
        for (let t = 0; t < l; t++) {
          const row = (bi * l + t) * c;
          for (let ch = 0; ch < c; ch++) {
            const gv = g[row + ch]!;
            gb[ch]! += gv;
            for (let k = 0; k < K; k++) {
              const src = t - (K - 1) + k;
              if (src < 0) continue;
              const xi = (bi * l + src) * c + ch;
              gw[ch * K + k]! += gv * X[xi]!;
              gx[xi]! += gv * W[ch * K + k]!;
            }
          }
        }
      }
      const grads = [
        x.requiresGrad ? tensor(gx, { shape: x.shape, dtype: x.dtype, backend: x.backend }) : null,
        weight.requiresGrad
          ? tensor(gw, { shape: weight.shape, dtype: weight.dtype, backend: weight.backend })
          : null,
      ];
      if (bias)
        grads.push(
          bias.requiresGrad
            ? tensor(gb, { shape: bias.shape, dtype: bias.dtype, backend: bias.backend })
            : null,
        );
      return grads;
    },
    inputs,
  );
}
