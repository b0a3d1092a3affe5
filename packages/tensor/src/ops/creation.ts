/**
 * Creating tensors: from JS data (`tensor`), constant fills (`zeros`, `ones`,
 * `full`, `eye`), ranges (`arange`, `linspace`) and seeded random draws
 * (`rand`, `randn`, `randint`). Values are made on the CPU and uploaded, so a
 * seed gives the same numbers on every backend.
 */
import type { Backend } from '../backend/backend.js';
import { findBackend, getBackend } from '../backend/registry.js';
import {
  allocArray,
  castScalar,
  checkDType,
  type DType,
  dtypeOfArray,
  isFloat,
  type TypedArray,
} from '../dtype.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import { checkShape, formatShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { wrap } from './dispatch.js';

/** Options shared by the creation functions. */
export interface CreationOptions {
  /** Element type. @default 'float32' (or the typed array's type for `tensor(typedArray)`) */
  dtype?: DType;
  /** Backend name. @default the current backend */
  backend?: string;
  /** Mark the new tensor as a leaf that collects gradients. @default false */
  requiresGrad?: boolean;
}

/** Options of the random creation functions. */
export interface RandomOptions extends CreationOptions {
  /** Generator to draw from. @default the default generator (see `manualSeed`) */
  generator?: Generator;
}

/** Nested arrays of numbers or booleans. */
export type NestedData = number | boolean | readonly NestedData[];

function backendFor(options: CreationOptions): Backend {
  return options.backend === undefined ? getBackend() : findBackend(options.backend);
}

/** Uploads values as a new tensor (internal; validates dtype support and requiresGrad). */
export function fromValues(
  op: string,
  values: TypedArray,
  shape: readonly number[],
  dtype: DType,
  options: CreationOptions,
): Tensor {
  const backend = backendFor(options);
  if (!backend.supportsDType(dtype))
    throw new DTypeError(op, `backend "${backend.name}" does not support ${dtype}`, dtype);
  const t = wrap(backend, backend.upload(dtype, values), shape, dtype);
  if (options.requiresGrad) {
    if (!isFloat(dtype))
      throw new DTypeError(op, `only floating-point tensors can require grad, got ${dtype}`, dtype);
    t.requiresGrad = true;
  }
  return t;
}

function inferShape(data: NestedData): number[] {
  const shape: number[] = [];
  let level: NestedData = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0] as NestedData;
    if (level === undefined) break;
  }
  return shape;
}

function firstLeaf(data: NestedData): NestedData | undefined {
  let level: NestedData | undefined = data;
  while (Array.isArray(level)) level = (level as readonly NestedData[])[0];
  return level;
}

function flatten(data: NestedData, shape: readonly number[], out: number[], depth: number): void {
  if (depth === shape.length) {
    if (typeof data === 'boolean') out.push(data ? 1 : 0);
    else if (typeof data === 'number') out.push(data);
    else
      throw new ValueError(
        'tensor',
        `expected a number at depth ${depth}, got ${Array.isArray(data) ? 'an array' : typeof data}`,
        data,
      );
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    throw new ShapeError(
      'tensor',
      `ragged nested array: expected ${shape[depth]} entries at depth ${depth} (shape ${formatShape(shape)}), got ${Array.isArray(data) ? data.length : typeof data}`,
      [shape],
    );
  }
  for (const item of data as readonly NestedData[]) flatten(item, shape, out, depth + 1);
}

/**
 * A tensor from JS data: a number, a boolean, nested arrays, or a typed array
 * (reshaped by `options.shape`). Numbers default to float32, booleans to bool.
 * @throws ShapeError for ragged arrays or a `shape` of another size
 * @example
 * tensor([[1, 2], [3, 4]]).toString()
 * // tensor([[1, 2],
 * //         [3, 4]], dtype=float32)
 */
export function tensor(
  data: NestedData | TypedArray,
  options: CreationOptions & { shape?: readonly number[] } = {},
): Tensor {
  let values: TypedArray | number[];
  let shape: number[];
  let inferred: DType = 'float32';
  if (data instanceof Uint16Array) {
    // 16-bit float codes: copied as they are.
    const dtype = options.dtype;
    if (dtype !== 'float16' && dtype !== 'bfloat16') {
      throw new DTypeError(
        'tensor',
        `a Uint16Array holds float16 or bfloat16 codes: pass { dtype: 'float16' } or { dtype: 'bfloat16' }, got ${String(dtype)}`,
        String(dtype),
      );
    }
    const target =
      options.shape === undefined ? [data.length] : checkShape('tensor', options.shape);
    if (sizeOf(target) !== data.length)
      throw new ShapeError(
        'tensor',
        `${data.length} values do not fill shape ${formatShape(target)}`,
        [target],
      );
    return fromValues('tensor', data.slice(), target, dtype, options);
  }
  if (ArrayBuffer.isView(data)) {
    const dtype = dtypeOfArray(data);
    if (dtype === undefined)
      throw new DTypeError(
        'tensor',
        `unsupported typed array ${data.constructor.name}`,
        data.constructor.name,
      );
    values = data;
    shape = [data.length];
    inferred = dtype;
  } else {
    shape = inferShape(data);
    const flat: number[] = [];
    flatten(data, shape, flat, 0);
    values = flat;
    if (typeof firstLeaf(data) === 'boolean') inferred = 'bool';
  }
  if (options.shape !== undefined) {
    const target = checkShape('tensor', options.shape);
    if (sizeOf(target) !== values.length) {
      throw new ShapeError(
        'tensor',
        `${values.length} values do not fill shape ${formatShape(target)}`,
        [target],
      );
    }
    shape = target;
  }
  const dtype = options.dtype === undefined ? inferred : checkDType('tensor', options.dtype);
  // A typed array of the target dtype is uploaded as it is (one bulk copy).
  if (ArrayBuffer.isView(values) && dtypeOfArray(values) === dtype)
    return fromValues('tensor', values, shape, dtype, options);
  const array = allocArray(dtype, values.length);
  for (let i = 0; i < values.length; i++) array[i] = castScalar(values[i]!, dtype);
  return fromValues('tensor', array, shape, dtype, options);
}

/**
 * A tensor of `shape` filled with `value`.
 * @example full([2], 7).toArray() // [7, 7]
 */
export function full(
  shape: readonly number[],
  value: number,
  options: CreationOptions = {},
): Tensor {
  const s = checkShape('full', shape);
  const dtype = checkDType('full', options.dtype ?? 'float32');
  const array = allocArray(dtype, sizeOf(s));
  array.fill(castScalar(value, dtype));
  return fromValues('full', array, s, dtype, options);
}

/** A tensor of zeros. @example zeros([2, 2]).sum().item() // 0 */
export function zeros(shape: readonly number[], options: CreationOptions = {}): Tensor {
  return full(shape, 0, options);
}

/** A tensor of ones. */
export function ones(shape: readonly number[], options: CreationOptions = {}): Tensor {
  return full(shape, 1, options);
}

/** Zeros with the shape, dtype and backend of `like`. */
export function zerosLike(like: Tensor, options: CreationOptions = {}): Tensor {
  return full(like.shape, 0, { dtype: like.dtype, backend: like.backend, ...options });
}

/** Ones with the shape, dtype and backend of `like`. */
export function onesLike(like: Tensor, options: CreationOptions = {}): Tensor {
  return full(like.shape, 1, { dtype: like.dtype, backend: like.backend, ...options });
}

/** `value` everywhere, with the shape, dtype and backend of `like`. */
export function fullLike(like: Tensor, value: number, options: CreationOptions = {}): Tensor {
  return full(like.shape, value, { dtype: like.dtype, backend: like.backend, ...options });
}

/**
 * Values `start, start + step, ...` below `end` (one argument: `0..end`).
 * Integer arguments give int32 unless `dtype` says otherwise.
 * @throws ValueError for a zero or NaN step
 * @example arange(3).toArray() // [0, 1, 2]
 */
export function arange(
  start: number,
  end?: number,
  step = 1,
  options: CreationOptions = {},
): Tensor {
  const [from, to] = end === undefined ? [0, start] : [start, end];
  if (!Number.isFinite(step) || step === 0 || !Number.isFinite(from) || !Number.isFinite(to)) {
    throw new ValueError('arange', `invalid range start ${from}, end ${to}, step ${step}`, [
      from,
      to,
      step,
    ]);
  }
  const count = Math.max(0, Math.ceil((to - from) / step));
  const integral = Number.isInteger(from) && Number.isInteger(to) && Number.isInteger(step);
  const dtype = checkDType('arange', options.dtype ?? (integral ? 'int32' : 'float32'));
  const array = allocArray(dtype, count);
  for (let i = 0; i < count; i++) array[i] = castScalar(from + i * step, dtype);
  return fromValues('arange', array, [count], dtype, options);
}

/**
 * `steps` evenly spaced values from `start` to `end` inclusive.
 * @example linspace(0, 1, 3).toArray() // [0, 0.5, 1]
 */
export function linspace(
  start: number,
  end: number,
  steps: number,
  options: CreationOptions = {},
): Tensor {
  if (!Number.isSafeInteger(steps) || steps < 0)
    throw new ValueError('linspace', `steps must be a non-negative integer, got ${steps}`, steps);
  const dtype = checkDType('linspace', options.dtype ?? 'float32');
  const array = allocArray(dtype, steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++)
    array[i] = castScalar(i === steps - 1 && steps > 1 ? end : start + i * delta, dtype);
  return fromValues('linspace', array, [steps], dtype, options);
}

/** An `n` x `m` identity matrix (ones on the diagonal). */
export function eye(n: number, m = n, options: CreationOptions = {}): Tensor {
  const shape = checkShape('eye', [n, m]);
  const dtype = checkDType('eye', options.dtype ?? 'float32');
  const array = allocArray(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) array[i * m + i] = castScalar(1, dtype);
  return fromValues('eye', array, shape, dtype, options);
}

function randomTensor(
  op: string,
  shape: readonly number[],
  options: RandomOptions,
  draw: (g: Generator) => number,
): Tensor {
  const s = checkShape(op, shape);
  const dtype = checkDType(op, options.dtype ?? 'float32');
  const generator = options.generator ?? defaultGenerator;
  const array = allocArray(dtype, sizeOf(s));
  for (let i = 0; i < array.length; i++) array[i] = castScalar(draw(generator), dtype);
  return fromValues(op, array, s, dtype, options);
}

/**
 * Uniform random values in `[0, 1)` from a seeded generator.
 * @example manualSeed(0); rand([2]).shape // [2]
 */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  return randomTensor('rand', shape, options, (g) => g.uniform());
}

/** Standard normal random values from a seeded generator. */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  return randomTensor('randn', shape, options, (g) => g.normal());
}

/**
 * Uniform random integers in `[low, high)` (int32 by default).
 * @throws ValueError unless low < high are integers
 */
export function randint(
  low: number,
  high: number,
  shape: readonly number[],
  options: RandomOptions = {},
): Tensor {
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || low >= high) {
    throw new ValueError('randint', `need integers low < high, got low ${low}, high ${high}`, [
      low,
      high,
    ]);
  }
  return randomTensor('randint', shape, { dtype: 'int32', ...options }, (g) =>
    g.integer(low, high),
  );
}
