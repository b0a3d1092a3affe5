/**
 * The S4D state-space map y = K * u + D u in its three equivalent forms
 * (S4D paper Section 2; S4 paper Section 3.3):
 *
 *   convolution: K from `S4DKernel.forward(L)`, applied by FFT (`fftConv`), O(L log L)
 *   recurrence:  x_t = Abar x_{t-1} + Bbar u_t,  y_t = 2 Re(C x_t) + D u_t, over a whole
 *                sequence with one `complexDiagonalScan` (O(L N), differentiable)
 *   step:        the same recurrence one token at a time, for decoding
 *
 * Shapes: u, y [b, l, h] (batch first, channels last); state x [b, h, N/2] complex.
 */
import { concat, type Tensor, zeros } from '@x/tensor';
import { type Complex, cadd, cmul, fromPairs, toPairs } from '../complex.js';
import { fftConv } from '../fft/fft-conv.js';
import { complexDiagonalScan } from '../scan/complex-scan.js';
import type { S4DKernel } from './kernel.js';

/** How a sequence is run through an S4D layer: FFT convolution or the recurrence. */
export type S4DMode = 'convolution' | 'recurrent';

/** Every S4D mode. */
export const S4D_MODES: readonly S4DMode[] = ['convolution', 'recurrent'];

/** The recurrent state of an S4D layer: x `[b, h, N/2]`, complex. */
export interface S4DState {
  readonly re: Tensor;
  readonly im: Tensor;
}

/**
 * y = K * u + D u over a whole sequence.
 * @param kernel - the S4D kernel module (H channels)
 * @param D - skip `[H]`
 * @param u - `[b, l, H]`
 * @param mode - 'convolution' (FFT) or 'recurrent' (scan)
 * @returns y `[b, l, H]`
 */
export function s4dSequence(kernel: S4DKernel, D: Tensor, u: Tensor, mode: S4DMode): Tensor {
  const [b, l, h] = u.shape as [number, number, number];
  let y: Tensor;
  if (mode === 'convolution') {
    const k = kernel.forward(l); // [H, L]
    y = fftConv(u.transpose(1, 2), k).transpose(1, 2);
  } else {
    const { Abar, Bbar, C } = kernel.discrete(); // [H, N/2]
    const modes = kernel.modes;
    const lambda = toPairs(Abar).reshape([h * modes, 2]);
    const u4 = u.unsqueeze(-1); // [b, l, H, 1]
    const x = toPairs({ re: u4.mul(Bbar.re), im: u4.mul(Bbar.im) }).reshape([b, l, h * modes, 2]);
    const states = fromPairs(complexDiagonalScan(lambda, x).reshape([b, l, h, modes, 2]));
    // 2 Re(C x) summed over modes
    y = states.re.mul(C.re).sub(states.im.mul(C.im)).sum(-1).mul(2);
  }
  return y.add(u.mul(D));
}

/**
 * A zero state for `s4dStep`.
 * @param kernel - the kernel module
 * @param batch - b
 * @returns x = 0, `[b, H, N/2]` complex
 */
export function s4dInitialState(kernel: S4DKernel, batch: number): S4DState {
  const shape = [batch, kernel.channels, kernel.modes];
  return {
    re: zeros(shape, { dtype: kernel.C.dtype, backend: kernel.C.backend }),
    im: zeros(shape, { dtype: kernel.C.dtype, backend: kernel.C.backend }),
  };
}

/**
 * One recurrent step: x = Abar x + Bbar u_t, y_t = 2 Re(C x) + D u_t.
 * @param kernel - the kernel module
 * @param D - skip `[H]`
 * @param ut - the input at this step `[b, H]`
 * @param state - x before the step
 * @returns y_t `[b, H]` and the new state
 */
export function s4dStep(
  kernel: S4DKernel,
  D: Tensor,
  ut: Tensor,
  state: S4DState,
): { y: Tensor; state: S4DState } {
  const { Abar, Bbar, C } = kernel.discrete();
  const u3 = ut.unsqueeze(-1); // [b, H, 1]
  const next: Complex = cadd(cmul(Abar, state), { re: Bbar.re.mul(u3), im: Bbar.im.mul(u3) });
  const y = next.re.mul(C.re).sub(next.im.mul(C.im)).sum(-1).mul(2).add(ut.mul(D));
  return { y, state: next };
}

/**
 * Runs `s4dStep` over a whole sequence (the reference for the other forms).
 * @param kernel - the kernel module
 * @param D - skip `[H]`
 * @param u - `[b, l, H]`
 * @returns y `[b, l, H]`
 */
export function s4dStepwise(kernel: S4DKernel, D: Tensor, u: Tensor): Tensor {
  const [b, l] = u.shape as [number, number];
  let state = s4dInitialState(kernel, b);
  const outputs: Tensor[] = [];
  for (let t = 0; t < l; t++) {
    const result = s4dStep(kernel, D, u.select(1, t), state);
    state = result.state;
    outputs.push(result.y.unsqueeze(1));
  }
  return concat(outputs, 1);
}
