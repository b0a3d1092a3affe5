/**
 * A radix-2 complex FFT over Float64Arrays (iterative Cooley-Tukey, decimation
 * in time, bit-reversed input order; Cooley & Tukey 1965), with twiddle and
 * bit-reversal tables cached per size, and real-signal helpers that transform
 * two real signals with one complex FFT (the "two for one" trick: pack x + i y,
 * then split with X[k] = (Z[k] + conj Z[n-k]) / 2, Y[k] = (Z[k] - conj Z[n-k]) / 2i).
 */
import { SsmValueError } from '../errors.js';

interface Plan {
  readonly n: number;
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly reverse: Uint32Array;
}

const plans = new Map<number, Plan>();

/** The smallest power of two >= `n` (1 for n <= 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function planFor(n: number): Plan {
  let plan = plans.get(n);
  if (plan) return plan;
  if (!(n >= 1 && (n & (n - 1)) === 0))
    throw new SsmValueError('fft', 'n', `size must be a power of two, got ${n}`, n);
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  const reverse = new Uint32Array(n);
  const bits = Math.log2(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >>> b) & 1) << (bits - 1 - b);
    reverse[i] = r;
  }
  plan = { n, cos, sin, reverse };
  plans.set(n, plan);
  return plan;
}

/**
 * In-place complex FFT of (re, im), length a power of two. The inverse
 * includes the 1/n factor.
 * @param re - real parts, overwritten
 * @param im - imaginary parts, overwritten
 * @param inverse - compute the inverse transform
 * @throws SsmValueError when the length is not a power of two or re and im differ
 * @example
 * const re = Float64Array.of(1, 0, 0, 0), im = new Float64Array(4);
 * fft(re, im); re // Float64Array [1, 1, 1, 1]
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (im.length !== n)
    throw new SsmValueError(
      'fft',
      'im',
      `re and im differ in length: ${n} and ${im.length}`,
      im.length,
    );
  const { cos, sin, reverse } = planFor(n);
  for (let i = 0; i < n; i++) {
    const j = reverse[i]!;
    if (j > i) {
      let t = re[i]!;
      re[i] = re[j]!;
      re[j] = t;
      t = im[i]!;
      im[i] = im[j]!;
      im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!;
        const wi = sign * sin[k * step]!;
        const a = start + k;
        const b = a + half;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a]! += xr;
        im[a]! += xi;
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i]! /= n;
      im[i]! /= n;
    }
  }
}

/** A complex spectrum. */
export interface Spectrum {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/**
 * Spectra of two real signals (zero-padded to `n`) from one complex FFT.
 * @param x - first signal (length <= n)
 * @param y - second signal, or null
 * @param n - transform size, a power of two
 * @returns X and Y (Y is null when y is)
 */
export function realFftPair(
  x: ArrayLike<number>,
  y: ArrayLike<number> | null,
  n: number,
): [Spectrum, Spectrum | null] {
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < x.length; i++) re[i] = x[i]!;
  if (y) for (let i = 0; i < y.length; i++) im[i] = y[i]!;
  fft(re, im);
  if (!y) return [{ re, im }, null];
  const X = { re: new Float64Array(n), im: new Float64Array(n) };
  const Y = { re: new Float64Array(n), im: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    const j = (n - k) % n;
    const zr = re[k]!;
    const zi = im[k]!;
    const cr = re[j]!;
    const ci = -im[j]!;
    X.re[k] = (zr + cr) / 2;
    X.im[k] = (zi + ci) / 2;
    // (z - conj z[n-k]) / 2i = (zi - ci) / 2 - i (zr - cr) / 2
    Y.re[k] = (zi - ci) / 2;
    Y.im[k] = -(zr - cr) / 2;
  }
  return [X, Y];
}

/**
 * Inverse transforms of two spectra whose signals are real, from one complex
 * inverse FFT (IFFT(X + iY) = x + i y for real x, y).
 * @param X - first spectrum
 * @param Y - second spectrum, or null
 * @returns the real signals (length n)
 */
export function inverseRealPair(
  X: Spectrum,
  Y: Spectrum | null,
): [Float64Array, Float64Array | null] {
  const n = X.re.length;
  const re = Float64Array.from(X.re);
  const im = Float64Array.from(X.im);
  if (Y) {
    for (let k = 0; k < n; k++) {
      re[k]! -= Y.im[k]!;
      im[k]! += Y.re[k]!;
    }
  }
  fft(re, im, true);
  return [re, Y ? im : null];
}
