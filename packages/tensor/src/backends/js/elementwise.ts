/**
 * Elementwise kernels of the js backend: unary, binary, where, copy (with a
 * dtype conversion) and assign, over arbitrary strided views. Results are
 * computed in float64 and rounded once when stored into the output array.
 */
import type { BinaryOpName, KernelInput, UnaryOpName } from '../../backend/backend.js';
import {
  allocArray,
  castScalar,
  type DType,
  decodeScalar,
  isHalf,
  type TypedArray,
} from '../../dtype.js';
import { BINARY_SCALAR } from '../../scalar/binary.js';
import { UNARY_SCALAR } from '../../scalar/unary.js';
import { sizeOf } from '../../shape.js';
import { stridedPlan } from './strided-plan.js';

type Input = KernelInput<TypedArray>;

/** Writes `fn(x)` for every element of `x` into a new contiguous array of `dtype`. */
export function unaryKernel(
  op: UnaryOpName,
  x: Input,
  dtype: DType,
  params: readonly number[] = [],
): TypedArray {
  const out = allocArray(dtype, sizeOf(x.shape));
  const fn = UNARY_SCALAR[op];
  const src = x.data;
  const plan = stridedPlan(x.shape, [x]);
  const starts = plan.starts[0]!;
  const stride = plan.innerStrides[0]!;
  let o = 0;
  for (let row = 0; row < plan.rows; row++) {
    let i = starts[row]!;
    for (let j = 0; j < plan.inner; j++, i += stride) out[o++] = fn(src[i]!, params);
  }
  return out;
}

/** Writes `op(a, b)` over the common (already broadcast) shape into a new array of `dtype`. */
export function binaryKernel(op: BinaryOpName, a: Input, b: Input, dtype: DType): TypedArray {
  const out = allocArray(dtype, sizeOf(a.shape));
  const fn = BINARY_SCALAR[op];
  const left = a.data;
  const right = b.data;
  const plan = stridedPlan(a.shape, [a, b]);
  const [startsA, startsB] = plan.starts as [Int32Array, Int32Array];
  const [strideA, strideB] = plan.innerStrides as [number, number];
  let o = 0;
  if (op === 'add' || op === 'mul' || op === 'sub' || op === 'div') {
    // The hottest ops get their own loops: no call per element.
    for (let row = 0; row < plan.rows; row++) {
      let i = startsA[row]!;
      let k = startsB[row]!;
      const end = o + plan.inner;
      if (op === 'add')
        for (; o < end; o++, i += strideA, k += strideB) out[o] = left[i]! + right[k]!;
      else if (op === 'mul')
        for (; o < end; o++, i += strideA, k += strideB) out[o] = left[i]! * right[k]!;
      else if (op === 'sub')
        for (; o < end; o++, i += strideA, k += strideB) out[o] = left[i]! - right[k]!;
      else for (; o < end; o++, i += strideA, k += strideB) out[o] = left[i]! / right[k]!;
    }
    return out;
  }
  for (let row = 0; row < plan.rows; row++) {
    let i = startsA[row]!;
    let k = startsB[row]!;
    for (let j = 0; j < plan.inner; j++, i += strideA, k += strideB)
      out[o++] = fn(left[i]!, right[k]!);
  }
  return out;
}

/** `condition ? a : b` elementwise (condition nonzero means true). */
export function whereKernel(condition: Input, a: Input, b: Input, dtype: DType): TypedArray {
  const out = allocArray(dtype, sizeOf(a.shape));
  const plan = stridedPlan(a.shape, [condition, a, b]);
  const [startsC, startsA, startsB] = plan.starts as [Int32Array, Int32Array, Int32Array];
  const [strideC, strideA, strideB] = plan.innerStrides as [number, number, number];
  const c = condition.data;
  const left = a.data;
  const right = b.data;
  let o = 0;
  for (let row = 0; row < plan.rows; row++) {
    let ic = startsC[row]!;
    let ia = startsA[row]!;
    let ib = startsB[row]!;
    for (let j = 0; j < plan.inner; j++, ic += strideC, ia += strideA, ib += strideB) {
      out[o++] = c[ic]! !== 0 ? left[ia]! : right[ib]!;
    }
  }
  return out;
}

/**
 * Converts one stored value of `from` to the stored value of `to` (float
 * arrays round by themselves; 16-bit float codes are decoded and encoded), or
 * null when the raw value can be copied as is.
 */
function converter(from: DType, to: DType): ((x: number) => number) | null {
  if (from === to) return null;
  if (isHalf(from)) return (x) => castScalar(decodeScalar(x, from), to);
  if (isHalf(to) || to === 'bool' || to === 'int32') return (x) => castScalar(x, to);
  return null;
}

/** The view `x` as a new contiguous array of `dtype`. */
export function copyKernel(x: Input, dtype: DType): TypedArray {
  const out = allocArray(dtype, sizeOf(x.shape));
  const plan = stridedPlan(x.shape, [x]);
  const starts = plan.starts[0]!;
  const stride = plan.innerStrides[0]!;
  const src = x.data;
  const convert = converter(x.dtype, dtype);
  let o = 0;
  for (let row = 0; row < plan.rows; row++) {
    let i = starts[row]!;
    if (stride === 1 && convert === null) {
      out.set(src.subarray(i, i + plan.inner), o);
      o += plan.inner;
      continue;
    }
    for (let j = 0; j < plan.inner; j++, i += stride)
      out[o++] = convert ? convert(src[i]!) : src[i]!;
  }
  return out;
}

/** Writes `src` (laid out with `dst.shape`) into the view `dst` in place. */
export function assignKernel(dst: Input, src: Input): void {
  const plan = stridedPlan(dst.shape, [dst, src]);
  const [startsD, startsS] = plan.starts as [Int32Array, Int32Array];
  const [strideD, strideS] = plan.innerStrides as [number, number];
  const out = dst.data;
  const values = src.data;
  const convert = converter(src.dtype, dst.dtype);
  for (let row = 0; row < plan.rows; row++) {
    let d = startsD[row]!;
    let s = startsS[row]!;
    for (let j = 0; j < plan.inner; j++, d += strideD, s += strideS) {
      out[d] = convert ? convert(values[s]!) : values[s]!;
    }
  }
}
