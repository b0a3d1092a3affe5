/**
 * Reductions along any set of axes, with `keepdims`: sum, mean, prod, max,
 * min, argmax, argmin, logsumexp, var, std. sum / prod / max / min are backend
 * primitives; the others are compositions and differentiate through them.
 */
import { autocastInputs } from '../amp/autocast.js';
import { record } from '../autograd/node.js';
import { type DType, isFloat } from '../dtype.js';
import { ValueError } from '../errors.js';
import { normalizeAxes, normalizeAxis, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { backendOf, input, wrap } from './dispatch.js';
import * as ew from './elementwise.js';
import { expand, reshape } from './views.js';

/** Options of a reduction. */
export interface ReduceOptions {
  /** Keep reduced axes with extent 1 (so the result broadcasts against the input). @default false */
  keepdims?: boolean;
}

/** Options of `variance` and `std`. */
export interface VarianceOptions extends ReduceOptions {
  /** Subtracted from the count in the divisor: 1 for the unbiased estimate (Bessel), 0 for the population variance. @default 1 */
  correction?: number;
}

function keptShape(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  return keepdims
    ? shape.map((e, i) => (axes.includes(i) ? 1 : e))
    : shape.filter((_, i) => !axes.includes(i));
}

function primitive(
  op: 'sum' | 'prod' | 'max' | 'min',
  x: Tensor,
  axesArg: number | readonly number[] | undefined,
  options: ReduceOptions,
): { y: Tensor; axes: number[] } {
  const backend = backendOf(op, x);
  const axes = normalizeAxes(op, axesArg, x.rank);
  if ((op === 'max' || op === 'min') && axes.some((a) => x.shape[a] === 0)) {
    throw new ValueError(
      op,
      `cannot take the ${op} over an empty axis of shape [${x.shape.join(', ')}]`,
      x.shape,
    );
  }
  let dtype: DType = x.dtype;
  if ((op === 'sum' || op === 'prod') && x.dtype === 'bool') dtype = 'int32';
  const data = backend.reduce(op, input(x), axes, dtype);
  const y = wrap(backend, data, keptShape(x.shape, axes, options.keepdims ?? false), dtype);
  return { y, axes };
}

/** The gradient `g` of a reduced tensor broadcast back to the input's shape. */
function spread(g: Tensor, shape: readonly number[], axes: readonly number[]): Tensor {
  return expand(reshape(g, keptShape(shape, axes, true)), shape);
}

/**
 * Sum over `axes` (all when omitted).
 * @example sum(tensor([[1, 2], [3, 4]]), 1).toArray() // [3, 7]
 */
export function sum(
  input: Tensor,
  axes?: number | readonly number[],
  options: ReduceOptions = {},
): Tensor {
  const [x] = autocastInputs('sum', input);
  const { y, axes: list } = primitive('sum', x, axes, options);
  return record('sum', y, [x], (g) => [spread(g, x.shape, list)]);
}

/** Product over `axes` (all when omitted); the gradient handles zeros exactly. */
export function prod(
  input: Tensor,
  axes?: number | readonly number[],
  options: ReduceOptions = {},
): Tensor {
  const [x] = autocastInputs('prod', input);
  const { y, axes: list } = primitive('prod', x, axes, options);
  return record(
    'prod',
    y,
    [x],
    (g) => {
      const zero = ew.eq(x, 0);
      const othersProduct = spread(
        prod(ew.where(zero, 1, x), list, { keepdims: true }),
        x.shape,
        list,
      );
      const zeroCount = spread(sum(zero, list, { keepdims: true }), x.shape, list);
      const gs = spread(g, x.shape, list);
      const ys = spread(y, x.shape, list);
      const atZero = ew.where(ew.eq(zeroCount, 1), ew.mul(gs, othersProduct), 0);
      return [ew.where(zero, atZero, ew.div(ew.mul(gs, ys), ew.where(zero, 1, x)))];
    },
    [x],
  );
}

function extremum(
  op: 'max' | 'min',
  x: Tensor,
  axes: number | readonly number[] | undefined,
  options: ReduceOptions,
): Tensor {
  const { y, axes: list } = primitive(op, x, axes, options);
  return record(
    op,
    y,
    [x],
    (g) => {
      const ys = spread(y, x.shape, list);
      const mask = ew.eq(x, ys);
      const count = spread(sum(mask, list, { keepdims: true }), x.shape, list);
      // Ties share the gradient evenly, as PyTorch's amax / amin.
      return [ew.div(ew.mul(spread(g, x.shape, list), mask), count)];
    },
    [x],
  );
}

/**
 * Largest value over `axes` (all when omitted); NaN propagates.
 * @throws ValueError when a reduced axis is empty
 */
export function max(
  x: Tensor,
  axes?: number | readonly number[],
  options: ReduceOptions = {},
): Tensor {
  return extremum('max', x, axes, options);
}

/**
 * Smallest value over `axes` (all when omitted); NaN propagates.
 * @throws ValueError when a reduced axis is empty
 */
export function min(
  x: Tensor,
  axes?: number | readonly number[],
  options: ReduceOptions = {},
): Tensor {
  return extremum('min', x, axes, options);
}

/**
 * Mean over `axes` (all when omitted); integers average to float32.
 * @example mean(tensor([1, 2, 3, 4])).item() // 2.5
 */
export function mean(
  input: Tensor,
  axes?: number | readonly number[],
  options: ReduceOptions = {},
): Tensor {
  const [x] = autocastInputs('mean', input);
  const list = normalizeAxes('mean', axes, x.rank);
  const count = sizeOf(list.map((a) => x.shape[a]!));
  const source = isFloat(x.dtype) ? x : x.to('float32');
  return ew.div(sum(source, list, options), count);
}

function argReduce(
  op: 'argmax' | 'argmin',
  x: Tensor,
  axis: number | undefined,
  options: ReduceOptions,
): Tensor {
  const backend = backendOf(op, x);
  const source = axis === undefined ? reshape(x, [x.size]) : x;
  const a = normalizeAxis(op, axis ?? 0, source.rank);
  if (source.shape[a] === 0)
    throw new ValueError(
      op,
      `cannot take the ${op} over an empty axis of shape [${x.shape.join(', ')}]`,
      x.shape,
    );
  const data = backend.argReduce(op, input(source), a);
  const shape =
    axis === undefined
      ? options.keepdims
        ? x.shape.map(() => 1)
        : []
      : keptShape(x.shape, [a], options.keepdims ?? false);
  return wrap(backend, data, shape, 'int32');
}

/**
 * Index (int32) of the largest value along `axis` (of the flattened tensor when omitted); first index on ties, NaN wins.
 * @example argmax(tensor([1, 5, 2])).item() // 1
 */
export function argmax(x: Tensor, axis?: number, options: ReduceOptions = {}): Tensor {
  return argReduce('argmax', x, axis, options);
}

/** Index (int32) of the smallest value along `axis` (of the flattened tensor when omitted). */
export function argmin(x: Tensor, axis?: number, options: ReduceOptions = {}): Tensor {
  return argReduce('argmin', x, axis, options);
}

/**
 * `log(sum(exp(x)))` over `axes`, computed stably by subtracting the maximum.
 * @example logsumexp(tensor([0, 0])).item() // 0.6931...
 */
export function logsumexp(
  input: Tensor,
  axes?: number | readonly number[],
  options: ReduceOptions = {},
): Tensor {
  const [x] = autocastInputs('logsumexp', input);
  const list = normalizeAxes('logsumexp', axes, x.rank);
  const m = max(x, list, { keepdims: true }).detach();
  const shift = ew.where(ew.isfinite(m), m, 0);
  const y = ew.add(ew.log(sum(ew.exp(ew.sub(x, shift)), list, { keepdims: true })), shift);
  return options.keepdims ? y : reshape(y, keptShape(x.shape, list, false));
}

/**
 * Variance over `axes` with `correction` (1: unbiased, as PyTorch's default).
 * @example variance(tensor([1, 2, 3, 4])).item() // 1.6666...
 */
export function variance(
  input: Tensor,
  axes?: number | readonly number[],
  options: VarianceOptions = {},
): Tensor {
  const [x] = autocastInputs('variance', input);
  const list = normalizeAxes('var', axes, x.rank);
  const count = sizeOf(list.map((a) => x.shape[a]!));
  const correction = options.correction ?? 1;
  const centered = ew.sub(x, mean(x, list, { keepdims: true }));
  return ew.div(sum(ew.square(centered), list, options), Math.max(count - correction, 0));
}

/** Standard deviation: `sqrt(variance(x, axes, options))`. */
export function std(
  x: Tensor,
  axes?: number | readonly number[],
  options: VarianceOptions = {},
): Tensor {
  return ew.sqrt(variance(x, axes, options));
}

/**
 * True (bool) where any element over `axes` is nonzero (all axes when omitted).
 * @example any(tensor([0, 0, 3])).item() // 1
 */
export function any(
  x: Tensor,
  axes?: number | readonly number[],
  options: ReduceOptions = {},
): Tensor {
  return ew.gt(sum(ew.ne(x, 0), axes, options), 0);
}

/**
 * True (bool) where every element over `axes` is nonzero (all axes when omitted).
 * @example all(tensor([1, 0])).item() // 0
 */
export function all(
  x: Tensor,
  axes?: number | readonly number[],
  options: ReduceOptions = {},
): Tensor {
  return ew.eq(sum(ew.eq(x, 0), axes, options), 0);
}
