/**
 * One descriptor per elementwise unary primitive: the dtype of its result and
 * its gradient rule, composed from other ops. The scalar semantics live in
 * `scalar/unary.ts`, shared with the js backend.
 */
import type { UnaryOpName } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import { zerosLike } from './creation.js';
import * as ew from './elementwise.js';

/** `float`: floats in, float32 for ints; `preserve`: same dtype as input; `bool`: a predicate. */
export type UnaryResultKind = 'float' | 'preserve' | 'bool';

/** How an elementwise unary op types its result and differentiates. */
export interface UnaryDescriptor {
  readonly name: UnaryOpName;
  readonly result: UnaryResultKind;
  /** d(loss)/dx from x, y = op(x), g = d(loss)/dy and the op's parameters; null when not differentiable. */
  readonly grad: ((x: Tensor, y: Tensor, g: Tensor, params: readonly number[]) => Tensor) | null;
}

const SQRT_2_OVER_PI = 0.7978845608028654;
const INV_SQRT_2PI = 0.3989422804014327;
const TWO_OVER_SQRT_PI = 1.1283791670955126;

const zeroGrad = (x: Tensor) => zerosLike(x);

/** Descriptors of every unary primitive. */
export const UNARY_OPS: Record<UnaryOpName, UnaryDescriptor> = {
  neg: { name: 'neg', result: 'preserve', grad: (_x, _y, g) => ew.neg(g) },
  abs: { name: 'abs', result: 'preserve', grad: (x, _y, g) => ew.mul(g, ew.sign(x)) },
  sign: { name: 'sign', result: 'preserve', grad: zeroGrad },
  exp: { name: 'exp', result: 'float', grad: (_x, y, g) => ew.mul(g, y) },
  expm1: { name: 'expm1', result: 'float', grad: (_x, y, g) => ew.mul(g, ew.add(y, 1)) },
  log: { name: 'log', result: 'float', grad: (x, _y, g) => ew.div(g, x) },
  log1p: { name: 'log1p', result: 'float', grad: (x, _y, g) => ew.div(g, ew.add(x, 1)) },
  sqrt: { name: 'sqrt', result: 'float', grad: (_x, y, g) => ew.div(ew.mul(g, 0.5), y) },
  rsqrt: {
    name: 'rsqrt',
    result: 'float',
    grad: (_x, y, g) => ew.mul(ew.mul(g, ew.mul(y, ew.square(y))), -0.5),
  },
  square: { name: 'square', result: 'preserve', grad: (x, _y, g) => ew.mul(g, ew.mul(x, 2)) },
  reciprocal: {
    name: 'reciprocal',
    result: 'float',
    grad: (_x, y, g) => ew.neg(ew.mul(g, ew.square(y))),
  },
  sin: { name: 'sin', result: 'float', grad: (x, _y, g) => ew.mul(g, ew.cos(x)) },
  cos: { name: 'cos', result: 'float', grad: (x, _y, g) => ew.neg(ew.mul(g, ew.sin(x))) },
  tanh: { name: 'tanh', result: 'float', grad: (_x, y, g) => ew.mul(g, ew.sub(1, ew.square(y))) },
  sigmoid: {
    name: 'sigmoid',
    result: 'float',
    grad: (_x, y, g) => ew.mul(g, ew.mul(y, ew.sub(1, y))),
  },
  relu: { name: 'relu', result: 'preserve', grad: (x, _y, g) => ew.mul(g, ew.gt(x, 0)) },
  gelu: {
    name: 'gelu',
    result: 'float',
    grad: (x, _y, g) => {
      // d/dx 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3)
      const x2 = ew.square(x);
      const t = ew.tanh(ew.mul(ew.mul(x, ew.add(ew.mul(x2, 0.044715), 1)), SQRT_2_OVER_PI));
      const du = ew.mul(ew.add(ew.mul(x2, 3 * 0.044715), 1), SQRT_2_OVER_PI);
      const d = ew.add(
        ew.mul(ew.add(t, 1), 0.5),
        ew.mul(ew.mul(ew.mul(x, 0.5), ew.sub(1, ew.square(t))), du),
      );
      return ew.mul(g, d);
    },
  },
  geluErf: {
    name: 'geluErf',
    result: 'float',
    grad: (x, _y, g) => {
      // Phi(x) + x phi(x)
      const cdf = ew.mul(ew.add(ew.erf(ew.mul(x, Math.SQRT1_2)), 1), 0.5);
      const pdf = ew.mul(ew.exp(ew.mul(ew.square(x), -0.5)), INV_SQRT_2PI);
      return ew.mul(g, ew.add(cdf, ew.mul(x, pdf)));
    },
  },
  silu: {
    name: 'silu',
    result: 'float',
    grad: (x, _y, g) => {
      const s = ew.sigmoid(x);
      return ew.mul(g, ew.mul(s, ew.add(ew.mul(x, ew.sub(1, s)), 1)));
    },
  },
  softplus: { name: 'softplus', result: 'float', grad: (x, _y, g) => ew.mul(g, ew.sigmoid(x)) },
  elu: {
    name: 'elu',
    result: 'float',
    grad: (x, y, g, p) => ew.mul(g, ew.where(ew.gt(x, 0), 1, ew.add(y, p[0] ?? 1))),
  },
  leakyRelu: {
    name: 'leakyRelu',
    result: 'float',
    grad: (x, _y, g, p) => ew.mul(g, ew.where(ew.gt(x, 0), 1, p[0] ?? 0.01)),
  },
  erf: {
    name: 'erf',
    result: 'float',
    grad: (x, _y, g) => ew.mul(g, ew.mul(ew.exp(ew.neg(ew.square(x))), TWO_OVER_SQRT_PI)),
  },
  floor: { name: 'floor', result: 'preserve', grad: zeroGrad },
  ceil: { name: 'ceil', result: 'preserve', grad: zeroGrad },
  round: { name: 'round', result: 'preserve', grad: zeroGrad },
  clamp: {
    name: 'clamp',
    result: 'preserve',
    grad: (x, _y, g, p) =>
      ew.mul(g, ew.logicalAnd(ew.ge(x, p[0] ?? -Infinity), ew.le(x, p[1] ?? Infinity))),
  },
  logicalNot: { name: 'logicalNot', result: 'bool', grad: null },
  isNaN: { name: 'isNaN', result: 'bool', grad: null },
  isFinite: { name: 'isFinite', result: 'bool', grad: null },
};
