/**
 * Discretization of a linear time-invariant system x'(t) = A x(t) + B u(t)
 * with step dt into x_k = Abar x_{k-1} + Bbar u_k (HiPPO paper Appendix B.3;
 * S4 paper Section 2.3):
 *
 *   zoh:             Abar = exp(dt A),                       Bbar = int_0^dt exp(s A) ds B
 *                    (one exponential of the block matrix [[A, B], [0, 0]] dt, so A may be singular)
 *   bilinear:        Abar = (I - dt/2 A)^{-1} (I + dt/2 A),  Bbar = (I - dt/2 A)^{-1} dt B
 *   forward-euler:   Abar = I + dt A,                        Bbar = dt B
 *   backward-euler:  Abar = (I - dt A)^{-1},                 Bbar = (I - dt A)^{-1} dt B
 *
 * All in float64 on small dense matrices (`linalg/dense.ts`).
 */
import { type Tensor, tensor } from '@x/tensor';
import { SsmShapeError } from '../errors.js';
import { combine, expm, identity, type Matrix, solve } from '../linalg/dense.js';
import { checkAllFinite, checkFinite, checkOneOf, formatShape } from '../validate.js';

/** The discretization rules. */
export type DiscretizationMethod = 'zoh' | 'bilinear' | 'forward-euler' | 'backward-euler';

/** Every discretization rule, for iteration and validation. */
export const DISCRETIZATION_METHODS: readonly DiscretizationMethod[] = [
  'zoh',
  'bilinear',
  'forward-euler',
  'backward-euler',
];

/** Abar and Bbar as plain matrices (internal; B is N x M). */
export function discretizeArrays(
  A: Matrix,
  B: Matrix,
  dt: number,
  method: DiscretizationMethod,
): { Abar: Matrix; Bbar: Matrix } {
  const n = A.rows;
  const m = B.cols;
  const I = identity(n);
  if (method === 'zoh') {
    const size = n + m;
    const block = new Float64Array(size * size);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) block[i * size + j] = A.data[i * n + j]! * dt;
      for (let j = 0; j < m; j++) block[i * size + n + j] = B.data[i * m + j]! * dt;
    }
    const e = expm({ rows: size, cols: size, data: block });
    const Abar = new Float64Array(n * n);
    const Bbar = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) Abar[i * n + j] = e.data[i * size + j]!;
      for (let j = 0; j < m; j++) Bbar[i * m + j] = e.data[i * size + n + j]!;
    }
    return { Abar: { rows: n, cols: n, data: Abar }, Bbar: { rows: n, cols: m, data: Bbar } };
  }
  if (method === 'forward-euler') return { Abar: combine(I, 1, A, dt), Bbar: combine(B, dt) };
  if (method === 'backward-euler') {
    const left = combine(I, 1, A, -dt);
    return { Abar: solve(left, I), Bbar: solve(left, combine(B, dt)) };
  }
  const left = combine(I, 1, A, -dt / 2);
  return { Abar: solve(left, combine(I, 1, A, dt / 2)), Bbar: solve(left, combine(B, dt)) };
}

/** Converts a tensor to a row-major matrix (a 1-D tensor becomes a column). */
export function toMatrix(t: Tensor): Matrix {
  const data = Float64Array.from(t.toTypedArray() as ArrayLike<number>);
  return t.rank === 1
    ? { rows: t.shape[0]!, cols: 1, data }
    : { rows: t.shape[0]!, cols: t.shape[1]!, data };
}

/**
 * Discretizes x' = A x + B u with step `dt`.
 * @param A - `[N, N]` state matrix (for HiPPO, pass the negated paper matrix: `hippoMatrices(...).A.neg()`)
 * @param B - `[N]` or `[N, M]` input matrix
 * @param dt - the step, > 0
 * @param method - 'zoh' (exact for piecewise-constant input), 'bilinear', 'forward-euler' or 'backward-euler'
 * @returns Abar `[N, N]` and Bbar with B's shape, float64
 * @throws SsmShapeError for mismatched shapes; SsmValueError for a bad step, method or non-finite entries
 * @example
 * const { Abar, Bbar } = discretize(tensor([[-1]]), tensor([1]), 0.5, 'zoh');
 * Abar.item() // 0.6065306597126334 (exp(-0.5));  Bbar.item() // 0.3934693402873666
 */
export function discretize(
  A: Tensor,
  B: Tensor,
  dt: number,
  method: DiscretizationMethod = 'zoh',
): { Abar: Tensor; Bbar: Tensor } {
  checkOneOf('discretize', 'method', method, DISCRETIZATION_METHODS);
  checkFinite('discretize', 'dt', dt, true);
  const n = A.shape[0]!;
  if (A.rank !== 2 || A.shape[1] !== n || (B.rank !== 1 && B.rank !== 2) || B.shape[0] !== n) {
    throw new SsmShapeError(
      'discretize',
      `expects A [N, N] and B [N] or [N, M], got A ${formatShape(A.shape)}, B ${formatShape(B.shape)}`,
      { A: A.shape, B: B.shape },
    );
  }
  checkAllFinite('discretize', 'A', A);
  checkAllFinite('discretize', 'B', B);
  const { Abar, Bbar } = discretizeArrays(toMatrix(A), toMatrix(B), dt, method);
  return {
    Abar: tensor(Abar.data, { shape: [n, n], dtype: 'float64' }),
    Bbar: tensor(Bbar.data, { shape: B.shape, dtype: 'float64' }),
  };
}

/** Applies `matmul` to a matrix and a vector (internal helper for the online recurrences). */
export function matVec(a: Matrix, x: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += a.data[i * a.cols + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}
