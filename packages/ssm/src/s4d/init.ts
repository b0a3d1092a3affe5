/**
 * Initializations of S4D's diagonal state matrix (Gu, Gupta, Goel, Ré 2022,
 * "On the Parameterization and Initialization of Diagonal State Space
 * Models", Section 4; state-spaces/s4 `dplr.py`). With N the state size
 * (N / 2 complex modes, the other half being their conjugates):
 *
 *   S4D-Lin:  A_n = -1/2 + i pi n
 *   S4D-Inv:  A_n = -1/2 + i (N / pi) (N / (2n + 1) - 1)
 *
 * for n = 0 .. N/2 - 1. Lin approximates the LegT / Fourier frequencies,
 * Inv approximates the eigenvalues of the HiPPO-LegS matrix.
 */
import { checkInteger, checkOneOf } from '../validate.js';

/** The S4D initializations. */
export type S4DInit = 'lin' | 'inv';

/** Every S4D initialization. */
export const S4D_INITS: readonly S4DInit[] = ['lin', 'inv'];

/**
 * The N/2 complex eigenvalues of an S4D initialization.
 * @param init - 'lin' or 'inv'
 * @param stateSize - N (even)
 * @returns real and imaginary parts, N/2 each
 * @throws SsmValueError for an unknown init or an N that is not an even positive integer
 * @example s4dEigenvalues('lin', 4) // { re: [-0.5, -0.5], im: [0, 3.141592653589793] }
 */
export function s4dEigenvalues(
  init: S4DInit,
  stateSize: number,
): { re: Float64Array; im: Float64Array } {
  checkOneOf('s4dEigenvalues', 'init', init, S4D_INITS);
  checkInteger('s4dEigenvalues', 'stateSize', stateSize, 2);
  if (stateSize % 2 !== 0) checkInteger('s4dEigenvalues', 'stateSize / 2', stateSize / 2);
  const modes = stateSize / 2;
  const re = new Float64Array(modes).fill(-0.5);
  const im = new Float64Array(modes);
  for (let n = 0; n < modes; n++) {
    im[n] = init === 'lin' ? Math.PI * n : (stateSize / Math.PI) * (stateSize / (2 * n + 1) - 1);
  }
  return { re, im };
}
