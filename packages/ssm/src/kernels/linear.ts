/**
 * `linear`: y = x W^T + b over the last axis, with PyTorch's weight layout:
 * x [..., K], W [N, K], b [N] -> y [..., N]. The input is flattened to
 * [M, K] first, so the product is one 2-D matmul of the core (the js
 * backend's blocked `gemm`, the wasm backend's SIMD kernel) reading W^T as a
 * transposed view, and the core's autograd gives dX = dY W, dW = dY^T X and
 * db = sum_m dY as single products too (no per-batch-row weight gradients).
 */
import type { Linear, Tensor } from '@x/tensor';
import { SsmShapeError } from '../errors.js';
import { checkFloat, formatShape } from '../validate.js';

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
  const flat = x.reshape([M, K]).matmul(weight.transpose(0, 1));
  return (bias ? flat.add(bias) : flat).reshape([...x.shape.slice(0, -1), N]);
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
