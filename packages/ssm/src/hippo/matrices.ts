/**
 * The HiPPO transition matrices, exactly as written in the HiPPO paper (Gu,
 * Dao, Ermon, Rudra, Ré, "HiPPO: Recurrent Memory with Optimal Polynomial
 * Projections", NeurIPS 2020, Section 3 and Appendix D), with the paper's
 * sign convention: the coefficient ODE is
 *
 *   LegS:  d/dt c(t) = -(1/t) A c(t) + (1/t) B f(t)      (scaled Legendre, measure uniform on [0, t])
 *   LegT:  d/dt c(t) = -A c(t) + B f(t)                  (translated Legendre, uniform on [t - theta, t])
 *   LagT:  d/dt c(t) = -A c(t) + B f(t)                  (translated Laguerre, measure e^{-(t - x)} on x <= t)
 *
 *   LegS:  A_nk = sqrt(2n+1) sqrt(2k+1) if n > k,  n + 1 if n = k,  0 if n < k;   B_n = sqrt(2n+1)
 *   LegT:  A_nk = (1/theta) (2n+1) (-1)^(n-k) if n >= k,  (1/theta) (2n+1) if n < k;  B_n = (1/theta) (2n+1) (-1)^n
 *   LagT:  A_nk = 1 if n >= k,  0 if n < k;   B_n = 1
 *
 * so the state-space form x' = F x + G u of the package's `discretize` has
 * F = -A, G = B (divided by t for LegS).
 */
import { type Tensor, tensor } from '@x/tensor';
import type { Matrix } from '../linalg/dense.js';
import { checkFinite, checkInteger, checkOneOf } from '../validate.js';

/** The HiPPO measures: scaled Legendre, translated Legendre, translated Laguerre. */
export type HippoMeasure = 'legs' | 'legt' | 'lagt';

/** Every HiPPO measure, for iteration and validation. */
export const HIPPO_MEASURES: readonly HippoMeasure[] = ['legs', 'legt', 'lagt'];

/** Options of `hippoMatrices`. */
export interface HippoMatricesOptions {
  /** Window length theta of LegT (ignored by LegS and LagT). @default 1 */
  theta?: number;
}

/** The (A, B) pair of a HiPPO operator, in the paper's sign convention. */
export interface HippoMatrices {
  /** `[N, N]` float64. */
  readonly A: Tensor;
  /** `[N]` float64. */
  readonly B: Tensor;
}

/** The (A, B) pair as plain float64 arrays (internal). */
export function hippoArrays(
  measure: HippoMeasure,
  stateSize: number,
  theta = 1,
): { A: Matrix; B: Float64Array } {
  const n = stateSize;
  const A = new Float64Array(n * n);
  const B = new Float64Array(n);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      let value = 0;
      if (measure === 'legs') {
        if (row > col) value = Math.sqrt(2 * row + 1) * Math.sqrt(2 * col + 1);
        else if (row === col) value = row + 1;
      } else if (measure === 'legt') {
        value = ((2 * row + 1) / theta) * (row >= col && (row - col) % 2 === 1 ? -1 : 1);
      } else if (row >= col) value = 1;
      A[row * n + col] = value;
    }
    B[row] =
      measure === 'legs'
        ? Math.sqrt(2 * row + 1)
        : measure === 'legt'
          ? ((2 * row + 1) / theta) * (row % 2 === 1 ? -1 : 1)
          : 1;
  }
  return { A: { rows: n, cols: n, data: A }, B };
}

/**
 * The HiPPO (A, B) matrices of a measure, exactly as in the HiPPO paper
 * (positive A; the dynamics are c' = -A c + B f, with an extra 1/t for LegS).
 * @param measure - 'legs' (scaled Legendre), 'legt' (translated Legendre), 'lagt' (translated Laguerre)
 * @param stateSize - N, the number of coefficients kept
 * @param options - `theta`, the LegT window
 * @returns A `[N, N]` and B `[N]`, float64 tensors
 * @throws SsmValueError for an unknown measure, N < 1 or a non-positive theta
 * @example
 * hippoMatrices('legs', 3).A.toArray()
 * // [[1, 0, 0], [1.7320508075688772, 2, 0], [2.23606797749979, 3.872983346207417, 3]]
 */
export function hippoMatrices(
  measure: HippoMeasure,
  stateSize: number,
  options: HippoMatricesOptions = {},
): HippoMatrices {
  checkOneOf('hippoMatrices', 'measure', measure, HIPPO_MEASURES);
  checkInteger('hippoMatrices', 'stateSize', stateSize);
  const theta = checkFinite('hippoMatrices', 'theta', options.theta ?? 1, true);
  const { A, B } = hippoArrays(measure, stateSize, theta);
  return {
    A: tensor(A.data, { shape: [stateSize, stateSize], dtype: 'float64' }),
    B: tensor(B, { shape: [stateSize], dtype: 'float64' }),
  };
}
