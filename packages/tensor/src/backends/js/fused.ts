/**
 * Fused kernels of the js backend: softmax / log-softmax along an axis, and
 * layer norm / RMS norm over the last axis. Each works line by line in float64
 * (max-subtracted exponentials; two-pass mean and variance).
 */
import type { KernelInput } from '../../backend/backend.js';
import { allocArray, type TypedArray } from '../../dtype.js';
import { sizeOf } from '../../shape.js';
import { forEachLine } from './reduce.js';

type Input = KernelInput<TypedArray>;

/** Reads the last-axis vector of an optional affine parameter. */
function vector(param: Input | null, length: number): Float64Array | null {
  if (param === null) return null;
  const out = new Float64Array(length);
  const stride = param.strides[param.strides.length - 1] ?? 0;
  for (let j = 0; j < length; j++) out[j] = param.data[param.offset + j * stride]!;
  return out;
}

/** Softmax (or log-softmax when `log`) along `axis`. */
export function softmaxKernel(x: Input, axis: number, log: boolean): TypedArray {
  const out = allocArray(x.dtype, sizeOf(x.shape));
  const src = x.data;
  forEachLine(x, axis, (start, outStart, length, stride, outStride) => {
    let max = -Infinity;
    for (let j = 0; j < length; j++) {
      const v = src[start + j * stride]!;
      if (v > max || Number.isNaN(v)) max = v;
    }
    if (max === -Infinity) max = 0; // an all -Infinity line gives NaN like the definition, without -Inf - -Inf
    let sum = 0;
    for (let j = 0; j < length; j++) sum += Math.exp(src[start + j * stride]! - max);
    if (log) {
      const logSum = Math.log(sum) + max;
      for (let j = 0; j < length; j++)
        out[outStart + j * outStride] = src[start + j * stride]! - logSum;
    } else {
      for (let j = 0; j < length; j++)
        out[outStart + j * outStride] = Math.exp(src[start + j * stride]! - max) / sum;
    }
  });
  return out;
}

/** Layer norm over the last axis: (x - mean) / sqrt(var + eps) * weight + bias (biased variance). */
export function layerNormKernel(
  x: Input,
  weight: Input | null,
  bias: Input | null,
  eps: number,
): TypedArray {
  const out = allocArray(x.dtype, sizeOf(x.shape));
  const src = x.data;
  const axis = x.shape.length - 1;
  const w = vector(weight, x.shape[axis]!);
  const b = vector(bias, x.shape[axis]!);
  forEachLine(x, axis, (start, outStart, length, stride, outStride) => {
    let mean = 0;
    for (let j = 0; j < length; j++) mean += src[start + j * stride]!;
    mean /= length;
    let variance = 0;
    for (let j = 0; j < length; j++) {
      const d = src[start + j * stride]! - mean;
      variance += d * d;
    }
    const rstd = 1 / Math.sqrt(variance / length + eps);
    for (let j = 0; j < length; j++) {
      let y = (src[start + j * stride]! - mean) * rstd;
      if (w) y *= w[j]!;
      if (b) y += b[j]!;
      out[outStart + j * outStride] = y;
    }
  });
  return out;
}

/** RMS norm over the last axis: x / sqrt(mean(x^2) + eps) * weight. */
export function rmsNormKernel(x: Input, weight: Input | null, eps: number): TypedArray {
  const out = allocArray(x.dtype, sizeOf(x.shape));
  const src = x.data;
  const axis = x.shape.length - 1;
  const w = vector(weight, x.shape[axis]!);
  forEachLine(x, axis, (start, outStart, length, stride, outStride) => {
    let squares = 0;
    for (let j = 0; j < length; j++) {
      const v = src[start + j * stride]!;
      squares += v * v;
    }
    const rms = 1 / Math.sqrt(squares / length + eps);
    for (let j = 0; j < length; j++) {
      const y = src[start + j * stride]! * rms;
      out[outStart + j * outStride] = w ? y * w[j]! : y;
    }
  });
  return out;
}
