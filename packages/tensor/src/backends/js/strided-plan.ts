/**
 * Iteration plans for strided views. A plan walks a shape in row-major order
 * for several operands at once, each with its own strides and offset: adjacent
 * axes that are contiguous for every operand are merged and size-1 axes are
 * dropped, the last axis becomes a tight inner loop with a fixed stride, and
 * the start offset of each operand for every outer row is precomputed.
 *
 * Kernels then run `for row: for j < inner: ...`, which covers contiguous,
 * transposed, sliced, broadcast (stride 0) and flipped (negative stride) views
 * with one loop shape.
 */
import type { Shape } from '../../shape.js';

/** One operand's layout for a plan. */
export interface StridedOperand {
  readonly strides: readonly number[];
  readonly offset: number;
}

/** A precomputed row-major walk over a shape. */
export interface StridedPlan {
  /** Number of outer rows. */
  readonly rows: number;
  /** Elements per row (the merged innermost axis). */
  readonly inner: number;
  /** Per operand: the stride along the inner axis. */
  readonly innerStrides: number[];
  /** Per operand: the start offset of each row. */
  readonly starts: Int32Array[];
}

/**
 * Builds a plan walking `shape` for each operand.
 * @param shape - the iteration shape (every operand is laid out with it)
 * @param operands - strides and offset of each operand
 * @returns the plan; `rows * inner` equals the shape's size
 */
export function stridedPlan(shape: Shape, operands: readonly StridedOperand[]): StridedPlan {
  const count = operands.length;
  // Merge axes, outermost first, dropping extents of 1.
  const dims: number[] = [];
  const strides: number[][] = operands.map(() => []);
  let size = 1;
  for (let axis = 0; axis < shape.length; axis++) {
    const extent = shape[axis]!;
    size *= extent;
    if (extent === 1) continue;
    const last = dims.length - 1;
    let mergeable = last >= 0;
    for (let k = 0; k < count && mergeable; k++) {
      const s = strides[k]!;
      if (s[last]! !== operands[k]!.strides[axis]! * extent) mergeable = false;
    }
    if (mergeable) {
      dims[last] = dims[last]! * extent;
      for (let k = 0; k < count; k++) strides[k]![last] = operands[k]!.strides[axis]!;
    } else {
      dims.push(extent);
      for (let k = 0; k < count; k++) strides[k]!.push(operands[k]!.strides[axis]!);
    }
  }
  if (size === 0) {
    return {
      rows: 0,
      inner: 0,
      innerStrides: operands.map(() => 0),
      starts: operands.map(() => new Int32Array(0)),
    };
  }
  if (dims.length === 0) {
    return {
      rows: 1,
      inner: 1,
      innerStrides: operands.map(() => 0),
      starts: operands.map((o) => Int32Array.of(o.offset)),
    };
  }
  const inner = dims[dims.length - 1]!;
  const rows = size / inner;
  const outerDims = dims.slice(0, -1);
  const starts = operands.map((operand, k) => {
    const out = new Int32Array(rows);
    const s = strides[k]!;
    const index = new Array<number>(outerDims.length).fill(0);
    let position = operand.offset;
    for (let row = 0; row < rows; row++) {
      out[row] = position;
      // Odometer increment over the outer axes.
      for (let axis = outerDims.length - 1; axis >= 0; axis--) {
        index[axis]!++;
        position += s[axis]!;
        if (index[axis]! < outerDims[axis]!) break;
        position -= s[axis]! * outerDims[axis]!;
        index[axis] = 0;
      }
    }
    return out;
  });
  return { rows, inner, innerStrides: strides.map((s) => s[s.length - 1]!), starts };
}

/**
 * The offsets, relative to a start, of every element of a sub-shape walked in
 * row-major order (used for the reduced axes of a reduction).
 */
export function relativeOffsets(shape: Shape, strides: readonly number[]): Int32Array {
  const plan = stridedPlan(shape, [{ strides, offset: 0 }]);
  const out = new Int32Array(plan.rows * plan.inner);
  const starts = plan.starts[0]!;
  const stride = plan.innerStrides[0]!;
  let o = 0;
  for (let row = 0; row < plan.rows; row++) {
    let position = starts[row]!;
    for (let j = 0; j < plan.inner; j++, position += stride) out[o++] = position;
  }
  return out;
}
