/**
 * Shape arithmetic: sizes, row-major strides, axis normalization and
 * NumPy-style broadcasting.
 */
import { IndexRangeError, ShapeError, ValueError } from './errors.js';

/** A tensor shape: non-negative integer extents, outermost first. */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar shape `[]`). */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const extent of shape) size *= extent;
  return size;
}

/**
 * Row-major (C-contiguous) strides of a shape, in elements.
 * @param shape - the extents
 * @returns the stride of each axis
 * @example contiguousStrides([2, 3, 4]) // [12, 4, 1]
 */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis]!;
  }
  return strides;
}

/** True when `(shape, strides)` walks memory in row-major order without gaps (size-1 axes ignored). */
export function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  let expected = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    if (shape[axis] === 1) continue;
    if (strides[axis] !== expected) return false;
    expected *= shape[axis]!;
  }
  return true;
}

/**
 * Checks a user-given shape: an array of non-negative safe integers.
 * @throws ValueError when an extent is negative, fractional or not a number
 */
export function checkShape(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape))
    throw new ValueError(op, `shape must be an array, got ${String(shape)}`, shape);
  for (const extent of shape) {
    if (typeof extent !== 'number' || !Number.isSafeInteger(extent) || extent < 0) {
      throw new ValueError(
        op,
        `invalid extent ${String(extent)} in shape [${shape.join(', ')}]`,
        shape,
      );
    }
  }
  return shape.slice();
}

/**
 * Normalizes a possibly negative axis into `[0, rank)`.
 * @throws IndexRangeError when the axis is out of range or not an integer
 */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    const low = -Math.max(rank, 1);
    throw new IndexRangeError(
      op,
      `axis ${axis} is out of range for a tensor of rank ${rank} (valid: ${low}..${Math.max(rank, 1) - 1})`,
      axis,
      [low, Math.max(rank, 1)],
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Normalizes a list of axes (or all axes when undefined), sorted, without duplicates.
 * @throws IndexRangeError for an out-of-range axis, ValueError for a repeated one
 */
export function normalizeAxes(
  op: string,
  axes: number | readonly number[] | undefined,
  rank: number,
): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const result = list.map((axis) => normalizeAxis(op, axis, rank));
  const unique = [...new Set(result)].sort((a, b) => a - b);
  if (unique.length !== result.length)
    throw new ValueError(op, `repeated axis in [${list.join(', ')}]`, list);
  return unique;
}

/**
 * The broadcast shape of several shapes (NumPy rules: align right, extents
 * must be equal or 1).
 * @throws ShapeError when they do not broadcast
 */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(0, ...shapes.map((shape) => shape.length));
  const result = new Array<number>(rank).fill(1);
  for (const shape of shapes) {
    for (let i = 0; i < shape.length; i++) {
      const axis = rank - shape.length + i;
      const extent = shape[i]!;
      if (extent === result[axis] || extent === 1) continue;
      if (result[axis] === 1) {
        result[axis] = extent;
        continue;
      }
      throw new ShapeError(
        op,
        `shapes ${shapes.map((shape) => formatShape(shape)).join(', ')} do not broadcast (axis ${axis}: ${result[axis]} vs ${extent})`,
        shapes,
      );
    }
  }
  return result;
}

/**
 * Formats a shape for messages.
 * @param shape - the extents
 * @param separator - between extents @default ', '
 * @returns e.g. `[2, 3]` (or `[2,3]` with separator `,`)
 * @example formatShape([2, 3]) // '[2, 3]'
 */
export function formatShape(shape: Shape, separator = ', '): string {
  return `[${shape.join(separator)}]`;
}

/** True when two shapes are equal. */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((extent, i) => extent === b[i]);
}
