/**
 * Gather and scatter-add along an axis (PyTorch `gather` / `scatter_add`
 * semantics) for the js backend. Index values are checked; an out-of-range
 * index throws IndexRangeError naming it.
 */
import type { KernelInput } from '../../backend/backend.js';
import { allocArray, type TypedArray } from '../../dtype.js';
import { IndexRangeError } from '../../errors.js';
import { sizeOf } from '../../shape.js';
import { copyKernel } from './elementwise.js';
import { stridedPlan } from './strided-plan.js';

type Input = KernelInput<TypedArray>;

function checkIndex(op: string, value: number, extent: number): number {
  const index = value < 0 ? value + extent : value;
  if (!(index >= 0 && index < extent)) {
    throw new IndexRangeError(
      op,
      `index ${value} is out of range for an axis of length ${extent}`,
      value,
      [-extent, extent],
    );
  }
  return index;
}

/** `out[p] = x[p with p[axis] = index[p]]` for every position p of `index`. */
export function gatherKernel(x: Input, axis: number, index: Input): TypedArray {
  const out = allocArray(x.dtype, sizeOf(index.shape));
  const xStrides = x.strides.map((s, i) => (i === axis ? 0 : s));
  const plan = stridedPlan(index.shape, [index, { strides: xStrides, offset: x.offset }]);
  const [startsI, startsX] = plan.starts as [Int32Array, Int32Array];
  const [strideI, strideX] = plan.innerStrides as [number, number];
  const extent = x.shape[axis]!;
  const axisStride = x.strides[axis]!;
  const idx = index.data;
  const src = x.data;
  let o = 0;
  for (let row = 0; row < plan.rows; row++) {
    let i = startsI[row]!;
    let s = startsX[row]!;
    for (let j = 0; j < plan.inner; j++, i += strideI, s += strideX) {
      out[o++] = src[s + checkIndex('gather', idx[i]!, extent) * axisStride]!;
    }
  }
  return out;
}

/** A contiguous copy of `x` with `out[p with p[axis] = index[p]] += src[p]` for every position p of `index`. */
export function scatterAddKernel(x: Input, axis: number, index: Input, src: Input): TypedArray {
  const out = copyKernel(x, x.dtype);
  const outStrides: number[] = [];
  let stride = 1;
  for (let i = x.shape.length - 1; i >= 0; i--) {
    outStrides.unshift(i === axis ? 0 : stride);
    stride *= x.shape[i]!;
  }
  let axisStride = 1;
  for (let i = axis + 1; i < x.shape.length; i++) axisStride *= x.shape[i]!;
  const plan = stridedPlan(index.shape, [index, src, { strides: outStrides, offset: 0 }]);
  const [startsI, startsS, startsO] = plan.starts as [Int32Array, Int32Array, Int32Array];
  const [strideI, strideS, strideO] = plan.innerStrides as [number, number, number];
  const extent = x.shape[axis]!;
  const idx = index.data;
  const values = src.data;
  for (let row = 0; row < plan.rows; row++) {
    let i = startsI[row]!;
    let s = startsS[row]!;
    let o = startsO[row]!;
    for (let j = 0; j < plan.inner; j++, i += strideI, s += strideS, o += strideO) {
      out[o + checkIndex('scatterAdd', idx[i]!, extent) * axisStride]! += values[s]!;
    }
  }
  return out;
}
