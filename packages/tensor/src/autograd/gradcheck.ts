/**
 * Gradient checking: compares the gradients autograd computes with central
 * finite differences, in float64. The function's output is projected onto a
 * fixed random direction v (L = sum(f(x) * v)), so one backward pass checks the
 * whole Jacobian-vector product, and each input element is perturbed by +-eps.
 */
import { DTypeError } from '../errors.js';
import { randn, tensor } from '../ops/creation.js';
import { mul } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { noGrad } from './grad-mode.js';

/** Options of `gradcheck`. */
export interface GradcheckOptions {
  /** Finite-difference step. @default 1e-6 */
  eps?: number;
  /** Absolute tolerance. @default 1e-5 */
  atol?: number;
  /** Relative tolerance. @default 1e-3 */
  rtol?: number;
  /** Seed of the projection direction. @default 0 */
  seed?: number;
}

/** One mismatching gradient entry. */
export interface GradcheckFailure {
  readonly input: number;
  readonly index: number;
  readonly analytic: number;
  readonly numeric: number;
}

/** What `gradcheck` found. */
export interface GradcheckResult {
  /** True when every entry is within `atol + rtol * |numeric|`. */
  readonly passed: boolean;
  /** Largest absolute difference between analytic and numeric gradients. */
  readonly maxAbsError: number;
  /** The first mismatches (at most 10). */
  readonly failures: readonly GradcheckFailure[];
}

/**
 * Checks autograd's gradients of `fn` at `inputs` against central differences.
 * @param fn - a function of the inputs returning one tensor
 * @param inputs - the arguments; those with `requiresGrad` (float64, on the js backend) are checked,
 *   others (indices, masks) are passed through unchanged
 * @returns the comparison; `passed` is what a test asserts
 * @throws DTypeError when an input that requires grad is not float64
 * @example
 * const x = randn([3], { dtype: 'float64', requiresGrad: true });
 * gradcheck((a) => a.tanh(), [x]).passed // true
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  for (const x of inputs) {
    if (x.requiresGrad && x.dtype !== 'float64')
      throw new DTypeError('gradcheck', `inputs must be float64, got ${x.dtype}`, x.dtype);
  }
  const out = fn(...inputs);
  const direction = randn(out.shape, {
    dtype: 'float64',
    generator: new Generator(options.seed ?? 0),
    backend: out.backend,
  });
  for (const x of inputs) x.grad = null;
  const projected = sum(mul(out.to('float64'), direction));
  projected.backward();
  const analytic = inputs.map((x) => (x.grad ? (x.grad.toTypedArray() as Float64Array) : null));

  const values = inputs.map((x) => (x.requiresGrad ? (x.toTypedArray() as Float64Array) : null));
  const evaluate = (): number =>
    noGrad(() => {
      const args = inputs.map((x, i) =>
        x.requiresGrad
          ? tensor(values[i]!, { shape: x.shape, dtype: 'float64', backend: x.backend })
          : x,
      );
      return sum(mul(fn(...args).to('float64'), direction)).item();
    });

  const failures: GradcheckFailure[] = [];
  let maxAbsError = 0;
  inputs.forEach((x, input) => {
    if (!x.requiresGrad) return;
    const v = values[input]!;
    for (let index = 0; index < v.length; index++) {
      const original = v[index]!;
      v[index] = original + eps;
      const plus = evaluate();
      v[index] = original - eps;
      const minus = evaluate();
      v[index] = original;
      const numeric = (plus - minus) / (2 * eps);
      const a = analytic[input]?.[index] ?? 0;
      const error = Math.abs(a - numeric);
      if (!(error <= maxAbsError) && !Number.isNaN(error)) maxAbsError = error;
      if (!(error <= atol + rtol * Math.abs(numeric))) {
        if (failures.length < 10) failures.push({ input, index, analytic: a, numeric });
      }
    }
  });
  return { passed: failures.length === 0, maxAbsError, failures };
}
