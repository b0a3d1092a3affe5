/**
 * `S4DKernel`: the diagonal SSM kernel of S4D (Gu, Gupta, Goel, Ré 2022,
 * Section 3 and Listing 1; state-spaces/s4 `models/s4/s4d.py` `S4DKernel`,
 * whose parameter names and shapes it keeps: `log_dt [H]`, `C [H, N/2, 2]`,
 * `log_A_real [H, N/2]`, `A_imag [H, N/2]`).
 *
 * Per channel h, with N/2 complex modes (their conjugates implied):
 *   dt = exp(log_dt),  A = -exp(log_A_real) + i A_imag
 *   Abar = exp(dt A),  Bbar = (exp(dt A) - 1) / A        (zero-order hold, B = 1)
 *   K[h, l] = 2 Re( sum_n C_n Bbar_n Abar_n^l )          (the Vandermonde form)
 * computed as one batched product (C Bbar) [H, 1, N/2] x V [H, N/2, L] with
 * V[n, l] = exp(l dt A_n), for its real and imaginary parts. All tensor ops,
 * so gradients reach every parameter through autograd.
 */
import {
  arange,
  cos,
  exp,
  Generator,
  Module,
  matmul,
  parameter,
  sin,
  type Tensor,
  tensor,
} from '@x/tensor';
import { type Complex, cdiv, cexp, cminusOne, cmul, fromPairs } from '../complex.js';
import { checkFinite, checkInteger } from '../validate.js';
import { type S4DInit, s4dEigenvalues } from './init.js';

/** Options of `S4DKernel` (and of the S4D layers built on it). */
export interface S4DKernelOptions {
  /** N, the real state size per channel (N/2 complex modes). @default 64 */
  stateSize?: number;
  /** Eigenvalue initialization. @default 'lin' */
  init?: S4DInit;
  /** Smallest initial step. @default 0.001 */
  dtMin?: number;
  /** Largest initial step (log-uniform in between). @default 0.1 */
  dtMax?: number;
  /** Seed of the initial C and log_dt draws. @default 0 */
  seed?: number;
  /** Parameter dtype. @default 'float32' */
  dtype?: 'float32' | 'float64';
}

/** The discretized diagonal system of one S4D kernel. */
export interface S4DDiscrete {
  /** Abar `[H, N/2]`. */
  readonly Abar: Complex;
  /** Bbar `[H, N/2]`. */
  readonly Bbar: Complex;
  /** C `[H, N/2]`. */
  readonly C: Complex;
}

/**
 * The S4D convolution kernel generator.
 * @example
 * const kernel = new S4DKernel(4, { stateSize: 16, init: 'inv' });
 * kernel.forward(32).shape // [4, 32]
 */
export class S4DKernel extends Module {
  /** log of the step size, `[H]`. */
  readonly log_dt: Tensor;
  /** C as (re, im) pairs, `[H, N/2, 2]`. */
  readonly C: Tensor;
  /** log of -Re(A), `[H, N/2]`. */
  readonly log_A_real: Tensor;
  /** Im(A), `[H, N/2]`. */
  readonly A_imag: Tensor;

  /**
   * @param channels - H, the number of independent channels
   * @param options - state size, initialization, step range, seed, dtype
   * @throws SsmValueError for non-positive sizes, an odd state size or a bad step range
   */
  constructor(
    readonly channels: number,
    options: S4DKernelOptions = {},
  ) {
    super();
    checkInteger('S4DKernel', 'channels', channels);
    const stateSize = options.stateSize ?? 64;
    const { re, im } = s4dEigenvalues(options.init ?? 'lin', stateSize);
    const dtMin = checkFinite('S4DKernel', 'dtMin', options.dtMin ?? 0.001, true);
    const dtMax = checkFinite('S4DKernel', 'dtMax', options.dtMax ?? 0.1, true);
    const dtype = options.dtype ?? 'float32';
    const g = new Generator(options.seed ?? 0);
    const modes = stateSize / 2;
    const H = channels;
    const logDt = Float64Array.from(
      { length: H },
      () => Math.log(dtMin) + g.uniform() * (Math.log(dtMax) - Math.log(dtMin)),
    );
    // torch.randn(cfloat) draws re and im with variance 1/2 each
    const c = Float64Array.from({ length: H * modes * 2 }, () => g.normal() * Math.SQRT1_2);
    const logAReal = new Float64Array(H * modes);
    const aImag = new Float64Array(H * modes);
    for (let h = 0; h < H; h++) {
      for (let n = 0; n < modes; n++) {
        logAReal[h * modes + n] = Math.log(-re[n]!);
        aImag[h * modes + n] = im[n]!;
      }
    }
    this.log_dt = parameter(tensor(logDt, { dtype }));
    this.C = parameter(tensor(c, { shape: [H, modes, 2], dtype }));
    this.log_A_real = parameter(tensor(logAReal, { shape: [H, modes], dtype }));
    this.A_imag = parameter(tensor(aImag, { shape: [H, modes], dtype }));
  }

  /** N/2, the number of complex modes per channel. */
  get modes(): number {
    return this.A_imag.shape[1]!;
  }

  /**
   * The zero-order-hold discretization: Abar, Bbar and C, each `[H, N/2]` complex.
   * @returns the discrete system (differentiable in the parameters)
   */
  discrete(): S4DDiscrete {
    const dt = exp(this.log_dt).unsqueeze(-1); // [H, 1]
    const A: Complex = { re: exp(this.log_A_real).neg(), im: this.A_imag };
    const dtA: Complex = { re: A.re.mul(dt), im: A.im.mul(dt) };
    const Abar = cexp(dtA);
    return { Abar, Bbar: cdiv(cminusOne(Abar), A), C: fromPairs(this.C) };
  }

  /**
   * The convolution kernel for sequences of length `length`.
   * @param length - L
   * @returns K `[H, L]`
   * @throws SsmValueError when length is not a positive integer
   */
  forward(length: number): Tensor {
    checkInteger('S4DKernel.forward', 'length', length);
    const dt = exp(this.log_dt).unsqueeze(-1); // [H, 1]
    const A: Complex = { re: exp(this.log_A_real).neg(), im: this.A_imag };
    const dtA: Complex = { re: A.re.mul(dt), im: A.im.mul(dt) };
    const CB = cmul(fromPairs(this.C), cdiv(cminusOne(cexp(dtA)), A)); // [H, N/2]
    const positions = arange(0, length, 1, { dtype: this.C.dtype, backend: this.C.backend }); // [L]
    // Vandermonde V[h, n, l] = exp(l dt A_n) = e^{l Re} (cos(l Im) + i sin(l Im))
    const magnitude = exp(dtA.re.unsqueeze(-1).mul(positions)); // [H, N/2, L]
    const phase = dtA.im.unsqueeze(-1).mul(positions);
    const vRe = magnitude.mul(cos(phase));
    const vIm = magnitude.mul(sin(phase));
    // 2 Re(CB V) = 2 (CB.re V.re - CB.im V.im), as [H, 1, N/2] x [H, N/2, L]
    const k = matmul(CB.re.unsqueeze(1), vRe).sub(matmul(CB.im.unsqueeze(1), vIm));
    return k.squeeze(1).mul(2);
  }
}
