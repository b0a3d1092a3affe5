/**
 * The reference semantics of every elementwise unary primitive: plain float64
 * scalar functions. The js backend applies them directly; other backends are
 * tested against them. `p` carries the op's parameters (clamp bounds, slopes).
 */
import type { UnaryOpName } from '../backend/backend.js';
import { erf } from './erf.js';

const SQRT_2_OVER_PI = 0.7978845608028654;
const SQRT_HALF = Math.SQRT1_2;

/** Numerically stable logistic function. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + exp(x)) without overflow (PyTorch's threshold 20: linear above). */
export function softplus(x: number): number {
  if (x > 20) return x;
  if (x < -20) return Math.exp(x);
  return Math.log1p(Math.exp(x));
}

/** GELU, tanh approximation (Hendrycks & Gimpel; GPT-2's form). */
export function gelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
}

/** GELU, exact form x * Phi(x) with the error function. */
export function geluErf(x: number): number {
  return 0.5 * x * (1 + erf(x * SQRT_HALF));
}

/** Round half to even, as NumPy and PyTorch `round`. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Scalar function of each unary primitive. */
export const UNARY_SCALAR: Record<UnaryOpName, (x: number, p: readonly number[]) => number> = {
  neg: (x) => -x,
  abs: (x) => Math.abs(x),
  sign: (x) => (Number.isNaN(x) ? Number.NaN : x > 0 ? 1 : x < 0 ? -1 : 0),
  exp: (x) => Math.exp(x),
  expm1: (x) => Math.expm1(x),
  log: (x) => Math.log(x),
  log1p: (x) => Math.log1p(x),
  sqrt: (x) => Math.sqrt(x),
  rsqrt: (x) => 1 / Math.sqrt(x),
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  sin: (x) => Math.sin(x),
  cos: (x) => Math.cos(x),
  tanh: (x) => Math.tanh(x),
  sigmoid,
  relu: (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0),
  gelu,
  geluErf,
  silu: (x) => x * sigmoid(x),
  softplus,
  elu: (x, p) => (x > 0 ? x : (p[0] ?? 1) * Math.expm1(x)),
  leakyRelu: (x, p) => (x > 0 ? x : (p[0] ?? 0.01) * x),
  erf,
  floor: (x) => Math.floor(x),
  ceil: (x) => Math.ceil(x),
  round: roundHalfEven,
  clamp: (x, p) =>
    Number.isNaN(x) ? x : Math.min(Math.max(x, p[0] ?? -Infinity), p[1] ?? Infinity),
  logicalNot: (x) => (x === 0 ? 1 : 0),
  isNaN: (x) => (Number.isNaN(x) ? 1 : 0),
  isFinite: (x) => (Number.isFinite(x) ? 1 : 0),
};
