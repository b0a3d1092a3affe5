/**
 * View ops: new tensors that share their input's storage (reshape when the
 * layout allows, permute / transpose, expand, squeeze / unsqueeze, slice,
 * select, narrow, flip). Each records a backward rule that maps the gradient
 * back to the input's shape.
 */
import { record } from '../autograd/node.js';
import { IndexRangeError, ShapeError, ValueError } from '../errors.js';
import {
  contiguousStrides,
  formatShape,
  normalizeAxes,
  normalizeAxis,
  type Shape,
  sizeOf,
} from '../shape.js';
import { Tensor } from '../tensor.js';
import { backendOf, input, wrap } from './dispatch.js';

/** A new view of `x`'s storage with another layout. */
function view(x: Tensor, shape: Shape, strides: readonly number[], offset: number): Tensor {
  x.assertAlive('view');
  return Tensor.fromStorage(x.storage, shape, strides, offset, x.base ?? x);
}

/** Backward of a view that picks elements of x: zeros of x's shape with the gradient written through the same view. */
function scatterThroughView(x: Tensor, makeView: (t: Tensor) => Tensor) {
  return (grad: Tensor): [Tensor] => {
    const backend = backendOf('viewBackward', grad);
    const zeros = wrap(backend, backend.alloc(grad.dtype, x.size), x.shape, grad.dtype);
    const target = makeView(zeros);
    backend.assign(input(target), input(grad));
    target.dispose();
    return [zeros];
  };
}

/** Resolves a -1 extent and checks the element count. */
function resolveShape(op: string, x: Tensor, shape: readonly number[]): number[] {
  const result = shape.slice();
  const unknown = result.indexOf(-1);
  if (result.some((extent, i) => !Number.isInteger(extent) || (extent < 0 && i !== unknown))) {
    throw new ValueError(op, `invalid shape ${formatShape(shape)}`, shape);
  }
  if (unknown !== -1 && result.indexOf(-1, unknown + 1) !== -1)
    throw new ValueError(op, `only one -1 allowed in ${formatShape(shape)}`, shape);
  if (unknown !== -1) {
    const known = sizeOf(result.filter((_, i) => i !== unknown));
    if (known === 0 || x.size % known !== 0)
      throw new ShapeError(
        op,
        `cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}`,
        [x.shape, shape],
      );
    result[unknown] = x.size / known;
  }
  if (sizeOf(result) !== x.size)
    throw new ShapeError(
      op,
      `cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}`,
      [x.shape, shape],
    );
  return result;
}

/**
 * Strides that let `shape` view the same elements as `(oldShape, oldStrides)`
 * in row-major order, or null when no such view exists (PyTorch's
 * `computeStride`: each group of merged / split axes must be contiguous).
 */
function viewStrides(
  oldShape: Shape,
  oldStrides: readonly number[],
  shape: Shape,
): number[] | null {
  if (sizeOf(oldShape) === 0 || oldShape.length === 0) return contiguousStrides(shape);
  const strides = new Array<number>(shape.length).fill(0);
  let viewAxis = shape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1] ?? 1;
  let tensorElements = 1;
  let viewElements = 1;
  for (let axis = oldShape.length - 1; axis >= 0; axis--) {
    tensorElements *= oldShape[axis]!;
    if (
      axis === 0 ||
      (oldShape[axis - 1] !== 1 && oldStrides[axis - 1] !== tensorElements * chunkBase)
    ) {
      while (viewAxis >= 0 && (viewElements < tensorElements || shape[viewAxis] === 1)) {
        strides[viewAxis] = viewElements * chunkBase;
        viewElements *= shape[viewAxis]!;
        viewAxis--;
      }
      if (viewElements !== tensorElements) return null;
      if (axis > 0) {
        chunkBase = oldStrides[axis - 1]!;
        tensorElements = 1;
        viewElements = 1;
      }
    }
  }
  return viewAxis === -1 ? strides : null;
}

/**
 * Same values in a new shape; one extent may be -1. A view when the layout
 * allows (always for contiguous tensors), otherwise a contiguous copy.
 * @throws ShapeError when the element counts differ
 * @example
 * arange(6).reshape(2, 3).shape // [2, 3]
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = resolveShape('reshape', x, shape);
  const strides = viewStrides(x.shape, x.strides, target);
  const source = strides ? x : x.contiguous();
  const out = view(source, target, strides ?? contiguousStrides(target), source.offset);
  return record('reshape', out, [x], (grad) => [reshape(grad, x.shape)]);
}

/**
 * Reorders axes: result axis i is input axis `axes[i]` (a view).
 * @throws ValueError when `axes` is not a permutation of the axes
 */
export function permute(x: Tensor, axes: readonly number[]): Tensor {
  if (axes.length !== x.rank)
    throw new ValueError('permute', `expected ${x.rank} axes, got [${axes.join(', ')}]`, axes);
  const order = axes.map((axis) => normalizeAxis('permute', axis, x.rank));
  if (new Set(order).size !== order.length)
    throw new ValueError('permute', `[${axes.join(', ')}] is not a permutation`, axes);
  const out = view(
    x,
    order.map((a) => x.shape[a]!),
    order.map((a) => x.strides[a]!),
    x.offset,
  );
  const inverse = new Array<number>(order.length);
  order.forEach((a, i) => {
    inverse[a] = i;
  });
  return record('permute', out, [x], (grad) => [permute(grad, inverse)]);
}

/** Swaps two axes (a view). */
export function transpose(x: Tensor, axis0 = -2, axis1 = -1): Tensor {
  const a = normalizeAxis('transpose', axis0, x.rank);
  const b = normalizeAxis('transpose', axis1, x.rank);
  const order = Array.from({ length: x.rank }, (_, i) => i);
  order[a] = b;
  order[b] = a;
  return permute(x, order);
}

/** Sums `grad` over the axes that broadcasting added or repeated, back to `shape`. */
export function reduceToShape(grad: Tensor, shape: Shape): Tensor {
  if (grad.shape.length === shape.length && grad.shape.every((e, i) => e === shape[i])) return grad;
  const lead = grad.rank - shape.length;
  const axes: number[] = [];
  for (let axis = 0; axis < grad.rank; axis++) {
    if (axis < lead || (shape[axis - lead] === 1 && grad.shape[axis] !== 1)) axes.push(axis);
  }
  const summed = axes.length > 0 ? grad.sum(axes, { keepdims: true }) : grad;
  return summed.rank === shape.length ? summed : reshape(summed, shape);
}

/**
 * Broadcasts to `shape` (a view: repeated axes get stride 0). -1 keeps an extent.
 * @throws ShapeError when an extent other than 1 would change
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  if (shape.length < x.rank)
    throw new ShapeError(
      'expand',
      `cannot expand ${formatShape(x.shape)} to fewer axes ${formatShape(shape)}`,
      [x.shape, shape],
    );
  const lead = shape.length - x.rank;
  const outShape: number[] = [];
  const strides: number[] = [];
  for (let axis = 0; axis < shape.length; axis++) {
    const own = axis >= lead ? x.shape[axis - lead]! : 1;
    let extent = shape[axis]!;
    if (extent === -1) {
      if (axis < lead)
        throw new ValueError(
          'expand',
          `-1 is not allowed for a new leading axis in ${formatShape(shape)}`,
          shape,
        );
      extent = own;
    }
    if (own !== extent && own !== 1)
      throw new ShapeError(
        'expand',
        `cannot expand ${formatShape(x.shape)} to ${formatShape(shape)} (axis ${axis}: ${own} to ${extent})`,
        [x.shape, shape],
      );
    outShape.push(extent);
    strides.push(axis < lead || (own === 1 && extent !== 1) ? 0 : x.strides[axis - lead]!);
  }
  const out = view(x, outShape, strides, x.offset);
  return record('expand', out, [x], (grad) => [reduceToShape(grad, x.shape)]);
}

/** Removes size-1 axes: all of them, or the given ones (which must have extent 1). */
export function squeeze(x: Tensor, axes?: number | readonly number[]): Tensor {
  const drop =
    axes === undefined
      ? x.shape.flatMap((e, i) => (e === 1 ? [i] : []))
      : normalizeAxes('squeeze', axes, x.rank);
  for (const axis of drop) {
    if (x.shape[axis] !== 1)
      throw new ShapeError(
        'squeeze',
        `axis ${axis} has extent ${x.shape[axis]}, not 1, in ${formatShape(x.shape)}`,
        [x.shape],
      );
  }
  const keepAxes = x.shape.map((_, i) => i).filter((i) => !drop.includes(i));
  const out = view(
    x,
    keepAxes.map((i) => x.shape[i]!),
    keepAxes.map((i) => x.strides[i]!),
    x.offset,
  );
  return record('squeeze', out, [x], (grad) => [reshape(grad, x.shape)]);
}

/** Inserts a size-1 axis at `axis` (in `[-rank-1, rank]`). */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const at = normalizeAxis('unsqueeze', axis, x.rank + 1);
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape.splice(at, 0, 1);
  strides.splice(at, 0, at < x.rank ? x.strides[at]! * x.shape[at]! : 1);
  const out = view(x, shape, strides, x.offset);
  return record('unsqueeze', out, [x], (grad) => [reshape(grad, x.shape)]);
}

/**
 * One axis of a `slice`: a number picks one index and drops the axis, `null`
 * keeps the whole axis, `[start, end, step]` keeps `start, start + step, ...`
 * below `end` (Python semantics: negative values count from the end, bounds
 * are clamped, `end` and `step` optional).
 */
export type SliceRange =
  | number
  | null
  | readonly [start?: number | null, end?: number | null, step?: number];

/**
 * Slices a tensor, one range per leading axis (missing trailing axes are kept whole). A view.
 * @throws IndexRangeError for an index out of range; ValueError for a step below 1
 * @example
 * arange(10).slice([2, 8, 3]).toArray() // [2, 5]
 */
export function slice(x: Tensor, ranges: readonly SliceRange[]): Tensor {
  if (ranges.length > x.rank)
    throw new ValueError('slice', `${ranges.length} ranges for a tensor of rank ${x.rank}`, ranges);
  const shape: number[] = [];
  const strides: number[] = [];
  let offset = x.offset;
  for (let axis = 0; axis < x.rank; axis++) {
    const range = ranges[axis] ?? null;
    const extent = x.shape[axis]!;
    const stride = x.strides[axis]!;
    if (typeof range === 'number') {
      const index = range < 0 ? range + extent : range;
      if (!Number.isInteger(range) || index < 0 || index >= extent) {
        throw new IndexRangeError(
          'slice',
          `index ${range} is out of range for axis ${axis} of length ${extent}`,
          range,
          [-extent, extent],
        );
      }
      offset += index * stride;
      continue;
    }
    const [rawStart, rawEnd, step = 1] = range ?? [];
    if (!Number.isInteger(step) || step < 1)
      throw new ValueError('slice', `step must be a positive integer, got ${step}`, step);
    const clampBound = (value: number | null | undefined, fallback: number) => {
      if (value === null || value === undefined) return fallback;
      const v = value < 0 ? value + extent : value;
      return Math.min(Math.max(v, 0), extent);
    };
    const start = clampBound(rawStart, 0);
    const end = Math.max(clampBound(rawEnd, extent), start);
    shape.push(Math.ceil((end - start) / step));
    strides.push(stride * step);
    offset += start * stride;
  }
  const out = view(x, shape, strides, offset);
  return record(
    'slice',
    out,
    [x],
    scatterThroughView(x, (z) => slice(z, ranges)),
  );
}

/** Picks index `index` along `axis` and removes the axis (a view). */
export function select(x: Tensor, axis: number, index: number): Tensor {
  const a = normalizeAxis('select', axis, x.rank);
  const ranges: SliceRange[] = Array.from({ length: a }, () => null);
  ranges.push(index);
  return slice(x, ranges);
}

/**
 * `length` elements from `start` along `axis` (a view).
 * @throws IndexRangeError when the range leaves the axis
 */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  const a = normalizeAxis('narrow', axis, x.rank);
  const extent = x.shape[a]!;
  const from = start < 0 ? start + extent : start;
  if (
    !Number.isInteger(start) ||
    !Number.isInteger(length) ||
    from < 0 ||
    length < 0 ||
    from + length > extent
  ) {
    throw new IndexRangeError(
      'narrow',
      `range start ${start}, length ${length} leaves axis ${a} of length ${extent}`,
      start,
      [-extent, extent],
    );
  }
  const ranges: SliceRange[] = Array.from({ length: a }, () => null);
  ranges.push([from, from + length]);
  return slice(x, ranges);
}

/** Merges axes `startAxis..endAxis` (inclusive) into one. */
export function flatten(x: Tensor, startAxis = 0, endAxis = -1): Tensor {
  if (x.rank === 0) return reshape(x, [1]);
  const a = normalizeAxis('flatten', startAxis, x.rank);
  const b = normalizeAxis('flatten', endAxis, x.rank);
  if (a > b)
    throw new ValueError('flatten', `startAxis ${startAxis} comes after endAxis ${endAxis}`, [
      startAxis,
      endAxis,
    ]);
  const shape = [...x.shape.slice(0, a), sizeOf(x.shape.slice(a, b + 1)), ...x.shape.slice(b + 1)];
  return reshape(x, shape);
}

/** Reverses the order of elements along `axes` (a view with negative strides). */
export function flip(x: Tensor, axes: number | readonly number[]): Tensor {
  const list = normalizeAxes('flip', axes, x.rank);
  const strides = [...x.strides];
  let offset = x.offset;
  for (const axis of list) {
    if (x.shape[axis]! > 0) offset += (x.shape[axis]! - 1) * strides[axis]!;
    strides[axis] = -strides[axis]!;
  }
  const out = view(x, x.shape, strides, offset);
  return record('flip', out, [x], (grad) => [flip(grad, list)]);
}

/**
 * Broadcasts to `shape` following NumPy rules (a view).
 * @throws ShapeError when `x` does not broadcast to `shape`
 */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  if (x.rank === shape.length && x.shape.every((e, i) => e === shape[i])) return x;
  return expand(x, shape);
}
