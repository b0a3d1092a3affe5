/**
 * `linear`: y = x W^T + b as one taped op on the `dotRows` kernel — the same
 * result as `nn.Linear.forward` (matmul + add), computed 3-4x faster on the
 * js backend (the core's matmul is an i-k-j axpy loop at ~0.8 GFLOP/s, and
 * its weight gradient for a batched input materializes one [in, out] product
 * per batch row before reducing). Shapes: x [..., K], W [N, K] (PyTorch's
 * layout), b [N] -> y [..., N]. Backward, with X = x flattened to [M, K]:
 *   dX = dY W        = dotRows(dY [M, N], W^T [K, N])
 *   dW = dY^T X      = dotRows(dY^T [N, M], X^T [K, M])
 *   db = sum_m dY[m]
 * On the other backends (wasm SIMD, gpu) float32 inputs take the core's
 * matmul instead, which is several times faster there than this kernel; the
 * op then is x.reshape([M, K]) @ W^T + b, differentiated by the core.
 */
import { type Linear, record, type Tensor, tensor } from '@x/tensor';
import { SsmShapeError } from '../errors.js';
import { checkFloat, formatShape } from '../validate.js';
import { dotRows, transposeArray } from './dot-rows.js';

type FloatArray = Float32Array | Float64Array;

function floats(t: Tensor): FloatArray {
  const values = t.toTypedArray();
  return values instanceof Float64Array || values instanceof Float32Array
    ? values
    : Float64Array.from(values as ArrayLike<number>);
}

function alloc(dtype: string, size: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/**
 * y = x W^T + b over the last axis.
 * @param x - `[..., K]`
 * @param weight - `[N, K]`
 * @param bias - `[N]` or null
 * @returns `[..., N]`
 * @throws SsmShapeError when the sizes do not fit; SsmDTypeError for non-float tensors
 * @example linear(tensor([[1, 2]]), tensor([[1, 1], [0, 1]]), tensor([0, 10])).toArray() // [[3, 12]]
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkFloat('linear', 'x', x);
  checkFloat('linear', 'weight', weight);
  const K = x.shape[x.rank - 1]!;
  const N = weight.shape[0]!;
  if (
    x.rank < 1 ||
    weight.rank !== 2 ||
    weight.shape[1] !== K ||
    (bias && (bias.rank !== 1 || bias.shape[0] !== N))
  ) {
    throw new SsmShapeError(
      'linear',
      `expects x [..., K], weight [N, K], bias [N]; got x ${formatShape(x.shape)}, weight ${formatShape(weight.shape)}${bias ? `, bias ${formatShape(bias.shape)}` : ''}`,
      { x: x.shape, weight: weight.shape, ...(bias ? { bias: bias.shape } : {}) },
    );
  }
  const M = x.size / Math.max(K, 1);
  if (x.backend !== 'js' && x.dtype === 'float32' && weight.dtype === 'float32') {
    const flat = x.reshape([M, K]).matmul(weight.transpose(0, 1));
    return (bias ? flat.add(bias) : flat).reshape([...x.shape.slice(0, -1), N]);
  }
  const X = floats(x);
  const W = floats(weight);
  const out = alloc(x.dtype, M * N);
  dotRows(X, W, M, N, K, out);
  if (bias) {
    const b = floats(bias);
    for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) out[m * N + n]! += b[n]!;
  }
  const y = tensor(out, {
    shape: [...x.shape.slice(0, -1), N],
    dtype: x.dtype,
    backend: x.backend,
  });
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(
    'linear',
    y,
    inputs,
    (grad) => {
      const G = floats(grad);
      const grads: (Tensor | null)[] = [null, null, null];
      if (x.requiresGrad) {
        const gx = alloc(x.dtype, M * K);
        dotRows(G, transposeArray(W, N, K), M, K, N, gx);
        grads[0] = tensor(gx, { shape: x.shape, dtype: x.dtype, backend: x.backend });
      }
      if (weight.requiresGrad || bias?.requiresGrad) {
        const GT = transposeArray(G, M, N); // [N, M]
        if (weight.requiresGrad) {
          const gw = alloc(weight.dtype, N * K);
          dotRows(GT, transposeArray(X, M, K), N, K, M, gw);
          grads[1] = tensor(gw, {
            shape: weight.shape,
            dtype: weight.dtype,
            backend: weight.backend,
          });
        }
        if (bias?.requiresGrad) {
          const gb = new Float64Array(N);
          for (let n = 0; n < N; n++) {
            let s = 0;
            for (let m = 0; m < M; m++) s += GT[n * M + m]!;
            gb[n] = s;
          }
          grads[2] = tensor(gb, { shape: bias.shape, dtype: bias.dtype, backend: bias.backend });
        }
      }
      return grads.slice(0, inputs.length);
    },
    inputs,
  );
}

/**
 * Applies an `nn.Linear` module through `linear` (same parameters, same result).
 * @param module - the layer
 * @param x - `[..., in]`
 * @returns `[..., out]`
 */
export function applyLinear(module: Linear, x: Tensor): Tensor {
  return linear(x, module.weight, module.bias);
}
