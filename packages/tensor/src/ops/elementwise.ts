/**
 * Elementwise ops with NumPy broadcasting: the unary primitives (exp, tanh,
 * gelu, ...), the binary ones (add, mul, pow, comparisons, ...) and `where`.
 * Each validates, broadcasts by layout (stride 0, no copy), dispatches one
 * backend primitive and records its gradient.
 */

import { autocastInputs } from '../amp/autocast.js';
import { record } from '../autograd/node.js';
import type { BinaryOpName, UnaryOpName } from '../backend/backend.js';
import { type DType, isFloat } from '../dtype.js';
import { DTypeError, ValueError } from '../errors.js';
import { COMPARISON_OPS } from '../scalar/binary.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import {
  backendOf,
  broadcastInput,
  input,
  resultType,
  type TensorLike,
  toTensor,
  wrap,
} from './dispatch.js';
import { UNARY_OPS } from './unary-ops.js';
import { reduceToShape } from './views.js';

function unaryResultType(op: UnaryOpName, dtype: DType): DType {
  const kind = UNARY_OPS[op].result;
  if (kind === 'bool') return 'bool';
  if (kind === 'float') return isFloat(dtype) ? dtype : 'float32';
  return dtype === 'bool' ? 'int32' : dtype;
}

/**
 * Applies a unary primitive by name (the named functions below are the usual entry).
 * @param op - primitive name
 * @param x - input
 * @param params - op parameters (clamp bounds, slopes)
 */
export function unary(op: UnaryOpName, source: Tensor, params: readonly number[] = []): Tensor {
  const [x] = autocastInputs(op, source);
  const backend = backendOf(op, x);
  const dtype = unaryResultType(op, x.dtype);
  const y = wrap(backend, backend.unary(op, input(x), dtype, params), x.shape, dtype);
  const grad = UNARY_OPS[op].grad;
  if (grad === null) return y;
  return record(op, y, [x], (g) => [grad(x, y, g, params)], [x, y]);
}

function binaryResultType(op: BinaryOpName, a: Tensor, b: Tensor): DType {
  if (COMPARISON_OPS.has(op)) return 'bool';
  const dtype = resultType(a, b);
  if (op === 'div' && (dtype === 'int32' || dtype === 'bool')) return 'float32';
  return dtype === 'bool' ? 'int32' : dtype;
}

type BinaryGrad = (a: Tensor, b: Tensor, y: Tensor, g: Tensor) => [Tensor | null, Tensor | null];

const BINARY_GRADS: Partial<Record<BinaryOpName, BinaryGrad>> = {
  add: (_a, _b, _y, g) => [g, g],
  sub: (_a, _b, _y, g) => [g, neg(g)],
  mul: (a, b, _y, g) => [mul(g, b), mul(g, a)],
  div: (_a, b, y, g) => [div(g, b), neg(div(mul(g, y), b))],
  pow: (a, b, y, g) => {
    const da = mul(g, mul(b, pow(a, sub(b, 1))));
    // d/db a^b = a^b log a, defined as 0 where a == 0 and b >= 0 (PyTorch's convention).
    const db = where(logicalAnd(eq(a, 0), ge(b, 0)), 0, mul(g, mul(y, log(a))));
    return [da, db];
  },
  maximum: (a, b, _y, g) => {
    const half = mul(mul(g, eq(a, b)), 0.5);
    return [add(mul(g, gt(a, b)), half), add(mul(g, lt(a, b)), half)];
  },
  minimum: (a, b, _y, g) => {
    const half = mul(mul(g, eq(a, b)), 0.5);
    return [add(mul(g, lt(a, b)), half), add(mul(g, gt(a, b)), half)];
  },
};

/**
 * Applies a binary primitive by name with broadcasting (the named functions below are the usual entry).
 * @throws ShapeError when the shapes do not broadcast
 */
export function binary(op: BinaryOpName, left: TensorLike, right: TensorLike): Tensor {
  if (typeof left === 'number' && typeof right === 'number') {
    throw new ValueError(op, 'at least one operand must be a Tensor', [left, right]);
  }
  const [a, b] = autocastInputs(op, toTensor(left, right), toTensor(right, left));
  const backend = backendOf(op, a, b);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const dtype = binaryResultType(op, a, b);
  const y = wrap(
    backend,
    backend.binary(op, broadcastInput(a, shape), broadcastInput(b, shape), dtype),
    shape,
    dtype,
  );
  const grad = BINARY_GRADS[op];
  if (!grad) return y;
  return record(
    op,
    y,
    [a, b],
    (g) => {
      const [ga, gb] = grad(a, b, y, g);
      return [ga && reduceToShape(ga, a.shape), gb && reduceToShape(gb, b.shape)];
    },
    [a, b, y],
  );
}

/**
 * `condition ? a : b`, elementwise with broadcasting of all three.
 * @param condition - bool tensor (any dtype: nonzero is true)
 * @param a - values where true
 * @param b - values where false
 * @throws ShapeError when the shapes do not broadcast
 * @example
 * where(tensor([1, 0], { dtype: 'bool' }), 1, -1).toArray() // [1, -1]
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const ta = toTensor(a, b, condition.storage.backend);
  const tb = toTensor(b, ta);
  const backend = backendOf('where', condition, ta, tb);
  const shape = broadcastShapes('where', condition.shape, ta.shape, tb.shape);
  const dtype = resultType(ta, tb);
  const y = wrap(
    backend,
    backend.where(
      broadcastInput(condition, shape),
      broadcastInput(ta, shape),
      broadcastInput(tb, shape),
      dtype,
    ),
    shape,
    dtype,
  );
  return record(
    'where',
    y,
    [ta, tb],
    (g) => [
      reduceToShape(where(condition, g, 0), ta.shape),
      reduceToShape(where(condition, 0, g), tb.shape),
    ],
    [condition],
  );
}

/** Elementwise `a + b`. @example add(tensor([1, 2]), 1).toArray() // [2, 3] */
export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b);
/** Elementwise `a - b`. */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b);
/** Elementwise `a * b`. */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b);
/** Elementwise true division `a / b` (integers divide to float32). */
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('div', a, b);
/** Elementwise `a ** b`. */
export const pow = (a: TensorLike, b: TensorLike): Tensor => binary('pow', a, b);
/** Elementwise maximum (NaN propagates). */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary('maximum', a, b);
/** Elementwise minimum (NaN propagates). */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary('minimum', a, b);
/** Elementwise `a == b` (bool). */
export const eq = (a: TensorLike, b: TensorLike): Tensor => binary('eq', a, b);
/** Elementwise `a != b` (bool). */
export const ne = (a: TensorLike, b: TensorLike): Tensor => binary('ne', a, b);
/** Elementwise `a < b` (bool). */
export const lt = (a: TensorLike, b: TensorLike): Tensor => binary('lt', a, b);
/** Elementwise `a <= b` (bool). */
export const le = (a: TensorLike, b: TensorLike): Tensor => binary('le', a, b);
/** Elementwise `a > b` (bool). */
export const gt = (a: TensorLike, b: TensorLike): Tensor => binary('gt', a, b);
/** Elementwise `a >= b` (bool). */
export const ge = (a: TensorLike, b: TensorLike): Tensor => binary('ge', a, b);
/** Elementwise logical and (bool). */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => binary('logicalAnd', a, b);
/** Elementwise logical or (bool). */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => binary('logicalOr', a, b);

/** Elementwise `-x`. */
export const neg = (x: Tensor): Tensor => unary('neg', x);
/** Elementwise `|x|`. */
export const abs = (x: Tensor): Tensor => unary('abs', x);
/** Elementwise sign: -1, 0 or 1 (NaN stays NaN). */
export const sign = (x: Tensor): Tensor => unary('sign', x);
/** Elementwise `e^x`. */
export const exp = (x: Tensor): Tensor => unary('exp', x);
/** Elementwise `e^x - 1`, accurate near 0. */
export const expm1 = (x: Tensor): Tensor => unary('expm1', x);
/** Elementwise natural logarithm. */
export const log = (x: Tensor): Tensor => unary('log', x);
/** Elementwise `log(1 + x)`, accurate near 0. */
export const log1p = (x: Tensor): Tensor => unary('log1p', x);
/** Elementwise square root. */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
/** Elementwise `1 / sqrt(x)`. */
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x);
/** Elementwise `x * x`. */
export const square = (x: Tensor): Tensor => unary('square', x);
/** Elementwise `1 / x`. */
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x);
/** Elementwise sine. */
export const sin = (x: Tensor): Tensor => unary('sin', x);
/** Elementwise cosine. */
export const cos = (x: Tensor): Tensor => unary('cos', x);
/** Elementwise hyperbolic tangent. */
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
/** Elementwise logistic `1 / (1 + e^-x)`, stable for large |x|. */
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
/** Elementwise `max(x, 0)`. */
export const relu = (x: Tensor): Tensor => unary('relu', x);
/** Elementwise `x * sigmoid(x)` (SiLU, swish). */
export const silu = (x: Tensor): Tensor => unary('silu', x);
/** Elementwise `log(1 + e^x)` (linear above 20, as PyTorch). */
export const softplus = (x: Tensor): Tensor => unary('softplus', x);
/** Elementwise error function. */
export const erf = (x: Tensor): Tensor => unary('erf', x);
/** Elementwise floor. */
export const floor = (x: Tensor): Tensor => unary('floor', x);
/** Elementwise ceiling. */
export const ceil = (x: Tensor): Tensor => unary('ceil', x);
/** Elementwise rounding, halves to even. */
export const round = (x: Tensor): Tensor => unary('round', x);
/** Elementwise logical not (bool). */
export const logicalNot = (x: Tensor): Tensor => unary('logicalNot', x);
/** Elementwise NaN test (bool). */
export const isnan = (x: Tensor): Tensor => unary('isNaN', x);
/** Elementwise finiteness test (bool). */
export const isfinite = (x: Tensor): Tensor => unary('isFinite', x);
/** Elementwise ELU: `x` for x > 0, `alpha (e^x - 1)` otherwise. @default alpha 1 */
export const elu = (x: Tensor, alpha = 1): Tensor => unary('elu', x, [alpha]);
/** Elementwise leaky ReLU: `x` for x > 0, `slope x` otherwise. @default slope 0.01 */
export const leakyRelu = (x: Tensor, slope = 0.01): Tensor => unary('leakyRelu', x, [slope]);

/** Options of `gelu`. */
export interface GeluOptions {
  /** `tanh` (GPT-2's approximation) or `none` (the exact erf form). @default 'none' */
  approximate?: 'tanh' | 'none';
}

/**
 * GELU: `x * Phi(x)` (exact, with erf) or its tanh approximation.
 * @example gelu(tensor([1])).item() // 0.8413447...
 */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  return unary(options.approximate === 'tanh' ? 'gelu' : 'geluErf', x);
}

/**
 * Clamps every element into `[min, max]` (either bound may be omitted; NaN stays NaN).
 * @throws ValueError when min > max
 */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  const low = min ?? -Infinity;
  const high = max ?? Infinity;
  if (Number.isNaN(low) || Number.isNaN(high) || low > high) {
    throw new ValueError('clamp', `invalid bounds min ${min}, max ${max}`, [min, max]);
  }
  if (x.dtype === 'bool') throw new DTypeError('clamp', 'cannot clamp a bool tensor', x.dtype);
  return unary('clamp', x, [low, high]);
}
