/**
 * float16 / bfloat16 on the js backend: storage holds 16-bit codes; kernels
 * compute in float32. `widen` decodes an input view to a contiguous float32
 * view (bulk, exact, via @x/precision), `narrowTo` encodes a float32 result
 * back to codes with round-to-nearest-even. Other dtypes pass through.
 */
import type { KernelInput } from '../../backend/backend.js';
import { type DType, decodeHalf, encodeHalf, isHalf, type TypedArray } from '../../dtype.js';
import { contiguousStrides, isContiguous, sizeOf } from '../../shape.js';
import { copyKernel } from './elementwise.js';

type Input = KernelInput<TypedArray>;

/** The dtype a kernel computes in for a result of `dtype`. */
export function computeType(dtype: DType): DType {
  return isHalf(dtype) ? 'float32' : dtype;
}

/** A float32 view with the values of a float16 / bfloat16 view (the view itself for other dtypes). */
export function widen(x: Input): Input {
  if (!isHalf(x.dtype)) return x;
  const size = sizeOf(x.shape);
  let data: Float32Array;
  if (isContiguous(x.shape, x.strides)) {
    data = decodeHalf((x.data as Uint16Array).subarray(x.offset, x.offset + size), x.dtype);
  } else {
    data = copyKernel(x, 'float32') as Float32Array;
  }
  return { data, dtype: 'float32', shape: x.shape, strides: contiguousStrides(x.shape), offset: 0 };
}

/** A kernel result computed in `computeType(dtype)`, stored as `dtype`. */
export function narrowTo(result: TypedArray, dtype: DType): TypedArray {
  if (!isHalf(dtype)) return result;
  return encodeHalf(result instanceof Float32Array ? result : Float32Array.from(result), dtype);
}
