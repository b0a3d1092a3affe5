/**
 * Reductions and scans of the js backend: sum / prod / max / min over any set
 * of axes (accumulated in float64), argmax / argmin, cumulative sums and top-k
 * indices along an axis.
 */
import type { KernelInput, ReduceOpName } from '../../backend/backend.js';
import { allocArray, type DType, type TypedArray } from '../../dtype.js';
import { sizeOf } from '../../shape.js';
import { relativeOffsets, stridedPlan } from './strided-plan.js';

type Input = KernelInput<TypedArray>;

/** Splits a view's axes into kept and reduced ones. */
function split(x: Input, axes: readonly number[]) {
  const keptShape: number[] = [];
  const keptStrides: number[] = [];
  const reducedShape: number[] = [];
  const reducedStrides: number[] = [];
  for (let axis = 0; axis < x.shape.length; axis++) {
    if (axes.includes(axis)) {
      reducedShape.push(x.shape[axis]!);
      reducedStrides.push(x.strides[axis]!);
    } else {
      keptShape.push(x.shape[axis]!);
      keptStrides.push(x.strides[axis]!);
    }
  }
  return { keptShape, keptStrides, reducedShape, reducedStrides };
}

/** Row starts (one per output element) and the relative offsets of the reduced block. */
function reductionPlan(x: Input, axes: readonly number[]) {
  const { keptShape, keptStrides, reducedShape, reducedStrides } = split(x, axes);
  const plan = stridedPlan(keptShape, [{ strides: keptStrides, offset: x.offset }]);
  const bases = new Int32Array(plan.rows * plan.inner);
  const starts = plan.starts[0]!;
  const stride = plan.innerStrides[0]!;
  let o = 0;
  for (let row = 0; row < plan.rows; row++) {
    let position = starts[row]!;
    for (let j = 0; j < plan.inner; j++, position += stride) bases[o++] = position;
  }
  return { bases, offsets: relativeOffsets(reducedShape, reducedStrides) };
}

/** Reduces `axes` of `x` with `op`; NaN propagates through max/min. */
export function reduceKernel(
  op: ReduceOpName,
  x: Input,
  axes: readonly number[],
  dtype: DType,
): TypedArray {
  const { bases, offsets } = reductionPlan(x, axes);
  const out = allocArray(dtype, bases.length);
  const src = x.data;
  const n = offsets.length;
  for (let r = 0; r < bases.length; r++) {
    const base = bases[r]!;
    if (op === 'sum') {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += src[base + offsets[j]!]!;
      out[r] = acc;
    } else if (op === 'prod') {
      let acc = 1;
      for (let j = 0; j < n; j++) acc *= src[base + offsets[j]!]!;
      out[r] = acc;
    } else if (op === 'max') {
      let acc = -Infinity;
      for (let j = 0; j < n; j++) {
        const v = src[base + offsets[j]!]!;
        if (v > acc || Number.isNaN(v)) {
          acc = v;
          if (Number.isNaN(v)) break;
        }
      }
      out[r] = acc;
    } else {
      let acc = Infinity;
      for (let j = 0; j < n; j++) {
        const v = src[base + offsets[j]!]!;
        if (v < acc || Number.isNaN(v)) {
          acc = v;
          if (Number.isNaN(v)) break;
        }
      }
      out[r] = acc;
    }
  }
  return out;
}

/** Index of the max (min) along `axis`; the first NaN wins, ties keep the lowest index. */
export function argReduceKernel(op: 'argmax' | 'argmin', x: Input, axis: number): TypedArray {
  const { bases, offsets } = reductionPlan(x, [axis]);
  const out = new Int32Array(bases.length);
  const src = x.data;
  const largest = op === 'argmax';
  for (let r = 0; r < bases.length; r++) {
    const base = bases[r]!;
    let best = 0;
    let bestValue = src[base + offsets[0]!]!;
    if (!Number.isNaN(bestValue)) {
      for (let j = 1; j < offsets.length; j++) {
        const v = src[base + offsets[j]!]!;
        if (Number.isNaN(v)) {
          best = j;
          break;
        }
        if (largest ? v > bestValue : v < bestValue) {
          best = j;
          bestValue = v;
        }
      }
    }
    out[r] = best;
  }
  return out;
}

/** Moves `axis` last in a layout, returning the walk over the other axes and the axis' extent and stride. */
function lineWalk(x: Input, axis: number) {
  const shape = x.shape.filter((_, i) => i !== axis);
  const strides = x.strides.filter((_, i) => i !== axis);
  const outStrides: number[] = [];
  let stride = 1;
  for (let i = x.shape.length - 1; i >= 0; i--) {
    if (i !== axis) outStrides.unshift(stride);
    stride *= x.shape[i]!;
  }
  let outAxisStride = 1;
  for (let i = axis + 1; i < x.shape.length; i++) outAxisStride *= x.shape[i]!;
  const plan = stridedPlan(shape, [
    { strides, offset: x.offset },
    { strides: outStrides, offset: 0 },
  ]);
  return { plan, length: x.shape[axis]!, stride: x.strides[axis]!, outStride: outAxisStride };
}

/** Calls `visit(start, outStart)` for every line along `axis`. */
export function forEachLine(
  x: Input,
  axis: number,
  visit: (
    start: number,
    outStart: number,
    length: number,
    stride: number,
    outStride: number,
  ) => void,
): void {
  const { plan, length, stride, outStride } = lineWalk(x, axis);
  const [starts, outStarts] = plan.starts as [Int32Array, Int32Array];
  const [innerStride, innerOutStride] = plan.innerStrides as [number, number];
  for (let row = 0; row < plan.rows; row++) {
    let s = starts[row]!;
    let o = outStarts[row]!;
    for (let j = 0; j < plan.inner; j++, s += innerStride, o += innerOutStride)
      visit(s, o, length, stride, outStride);
  }
}

/** Inclusive cumulative sum along `axis` (from the end when `reverse`), accumulated in float64. */
export function cumsumKernel(x: Input, axis: number, reverse: boolean, dtype: DType): TypedArray {
  const out = allocArray(dtype, sizeOf(x.shape));
  const src = x.data;
  forEachLine(x, axis, (start, outStart, length, stride, outStride) => {
    let acc = 0;
    for (let j = 0; j < length; j++) {
      const t = reverse ? length - 1 - j : j;
      acc += src[start + t * stride]!;
      out[outStart + t * outStride] = acc;
    }
  });
  return out;
}

/** Indices of the k largest (smallest) values along the last axis, sorted; NaN counts as largest; ties by index. */
export function topkIndicesKernel(x: Input, k: number, largest: boolean): TypedArray {
  const axis = x.shape.length - 1;
  const length = x.shape[axis]!;
  const rows = length === 0 ? 0 : sizeOf(x.shape) / length;
  const out = new Int32Array(rows * k);
  const src = x.data;
  const order = new Array<number>(length);
  const values = new Float64Array(length);
  let row = 0;
  const sign = largest ? -1 : 1;
  // Small k: keep a sorted window of the best k while scanning (O(n k) worst, no full sort).
  const select = k <= 32 && k * 8 <= length;
  const bestValues = new Float64Array(k);
  const before = (va: number, vb: number) => {
    // true when va ranks strictly before vb (NaN is the largest value: first when largest, last otherwise)
    const nanA = Number.isNaN(va);
    const nanB = Number.isNaN(vb);
    if (nanA || nanB) return largest ? nanA && !nanB : nanB && !nanA;
    return largest ? va > vb : va < vb;
  };
  forEachLine(x, axis, (start, _outStart, n, stride) => {
    if (select) {
      let count = 0;
      const best = out.subarray(row * k, row * k + k);
      for (let j = 0; j < n; j++) {
        const v = src[start + j * stride]!;
        if (count === k && !before(v, bestValues[k - 1]!)) continue;
        let position = count < k ? count++ : k - 1;
        while (position > 0 && before(v, bestValues[position - 1]!)) {
          bestValues[position] = bestValues[position - 1]!;
          best[position] = best[position - 1]!;
          position--;
        }
        bestValues[position] = v;
        best[position] = j;
      }
      row++;
      return;
    }
    for (let j = 0; j < n; j++) {
      order[j] = j;
      values[j] = src[start + j * stride]!;
    }
    order.sort((a, b) => {
      const va = values[a]!;
      const vb = values[b]!;
      const nanA = Number.isNaN(va);
      const nanB = Number.isNaN(vb);
      if (nanA || nanB) {
        if (nanA && nanB) return a - b;
        // NaN is the largest value.
        return (nanA ? -1 : 1) * -sign;
      }
      return va === vb ? a - b : sign * (va - vb);
    });
    for (let j = 0; j < k; j++) out[row * k + j] = order[j]!;
    row++;
  });
  return out;
}
