/**
 * `fftConv`: causal long convolution by FFT, the way S4 and S4D apply their
 * kernel (S4 paper Section 3.3; `torch.fft.irfft(rfft(u, 2L) * rfft(k, 2L))[..., :L]`
 * in state-spaces/s4 `s4d.py`), as one differentiable op.
 *
 * Shapes: u [b, h, l], k [h, l] -> y [b, h, l] with
 *   y[b, h, t] = sum_{j <= t} k[h, j] u[b, h, t - j]
 * Zero padding to n >= 2l (a power of two) makes the circular convolution
 * linear. Because k is real, two batch rows are convolved per complex FFT
 * (u1 + i u2) * k = y1 + i y2. The backward is two correlations, also by FFT:
 *   du[b, h, s] = sum_t g[b, h, t] k[h, t - s]      = IFFT(G conj K)
 *   dk[h, j]    = sum_b sum_t g[b, h, t] u[b, h, t - j] = IFFT(sum_b G_b conj U_b)
 * Cost O(b h n log n) against O(b h l^2) for the direct sum.
 */
import { record, type Tensor, tensor } from '@x/tensor';
import { SsmShapeError } from '../errors.js';
import { checkFloat, formatShape } from '../validate.js';
import { fft, inverseRealPair, nextPowerOfTwo, realFftPair, type Spectrum } from './fft.js';

/** Spectra of the rows of a [rows, l] array, two rows per complex FFT (internal). */
function rowSpectra(values: ArrayLike<number>, rows: number, l: number, n: number): Spectrum[] {
  const out: Spectrum[] = [];
  const row = (r: number) => Array.prototype.slice.call(values, r * l, (r + 1) * l) as number[];
  for (let r = 0; r < rows; r += 2) {
    const [X, Y] = realFftPair(row(r), r + 1 < rows ? row(r + 1) : null, n);
    out.push(X);
    if (Y) out.push(Y);
  }
  return out;
}

/**
 * Convolves rows (b, h) of `signal` with spectrum `kernels[h]` (conjugated when
 * `correlate`), two batch rows per complex FFT; writes the first l outputs (internal).
 */
function applyKernel(
  signal: ArrayLike<number>,
  kernels: readonly Spectrum[],
  b: number,
  h: number,
  l: number,
  n: number,
  correlate: boolean,
  out: { [i: number]: number },
): void {
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const sign = correlate ? -1 : 1;
  for (let hi = 0; hi < h; hi++) {
    const K = kernels[hi]!;
    for (let bi = 0; bi < b; bi += 2) {
      re.fill(0);
      im.fill(0);
      const first = (bi * h + hi) * l;
      const second = bi + 1 < b ? ((bi + 1) * h + hi) * l : -1;
      for (let t = 0; t < l; t++) {
        re[t] = signal[first + t]!;
        if (second >= 0) im[t] = signal[second + t]!;
      }
      fft(re, im);
      for (let f = 0; f < n; f++) {
        const kr = K.re[f]!;
        const ki = sign * K.im[f]!;
        const zr = re[f]!;
        const zi = im[f]!;
        re[f] = zr * kr - zi * ki;
        im[f] = zr * ki + zi * kr;
      }
      fft(re, im, true);
      for (let t = 0; t < l; t++) {
        out[first + t] = re[t]!;
        if (second >= 0) out[second + t] = im[t]!;
      }
    }
  }
}

/**
 * Causal convolution of each channel of `u` with its kernel, by FFT.
 * @param u - signals `[b, h, l]`
 * @param k - kernels `[h, l]`
 * @returns y `[b, h, l]`, y[b, h, t] = sum_{j <= t} k[h, j] u[b, h, t - j]
 * @throws SsmShapeError when the shapes do not fit; SsmDTypeError for non-float tensors
 * @example fftConv(tensor([[[1, 2, 3]]]), tensor([[1, 1, 0]])).toArray() // [[[1, 3, 5]]] (to rounding)
 */
export function fftConv(u: Tensor, k: Tensor): Tensor {
  checkFloat('fftConv', 'u', u);
  checkFloat('fftConv', 'k', k);
  if (u.rank !== 3 || k.rank !== 2 || k.shape[0] !== u.shape[1] || k.shape[1] !== u.shape[2]) {
    throw new SsmShapeError(
      'fftConv',
      `expects u [b, h, l] and k [h, l], got u ${formatShape(u.shape)}, k ${formatShape(k.shape)}`,
      { u: u.shape, k: k.shape },
    );
  }
  const [b, h, l] = u.shape as [number, number, number];
  const n = nextPowerOfTwo(2 * l);
  const uValues = u.toTypedArray();
  const kValues = k.toTypedArray();
  const kSpectra = rowSpectra(kValues, h, l, n);
  const out = u.dtype === 'float64' ? new Float64Array(b * h * l) : new Float32Array(b * h * l);
  if (l > 0) applyKernel(uValues, kSpectra, b, h, l, n, false, out);
  const y = tensor(out, { shape: [b, h, l], dtype: u.dtype, backend: u.backend });
  return record(
    'fftConv',
    y,
    [u, k],
    (grad) => {
      const g = grad.toTypedArray();
      let gu: Tensor | null = null;
      if (u.requiresGrad) {
        const du = new Float64Array(b * h * l);
        applyKernel(g, kSpectra, b, h, l, n, true, du);
        gu = tensor(du, { shape: u.shape, dtype: u.dtype, backend: u.backend });
      }
      let gk: Tensor | null = null;
      if (k.requiresGrad) {
        const sums: Spectrum[] = [];
        for (let hi = 0; hi < h; hi++) {
          const sr = new Float64Array(n);
          const si = new Float64Array(n);
          for (let bi = 0; bi < b; bi++) {
            const start = (bi * h + hi) * l;
            const [G, U] = realFftPair(
              g.subarray(start, start + l),
              uValues.subarray(start, start + l),
              n,
            );
            for (let f = 0; f < n; f++) {
              // G conj(U)
              sr[f]! += G.re[f]! * U!.re[f]! + G.im[f]! * U!.im[f]!;
              si[f]! += G.im[f]! * U!.re[f]! - G.re[f]! * U!.im[f]!;
            }
          }
          sums.push({ re: sr, im: si });
        }
        const dk = new Float64Array(h * l);
        for (let hi = 0; hi < h; hi += 2) {
          const [x, z] = inverseRealPair(sums[hi]!, hi + 1 < h ? sums[hi + 1]! : null);
          dk.set(x.subarray(0, l), hi * l);
          if (z) dk.set(z.subarray(0, l), (hi + 1) * l);
        }
        gk = tensor(dk, { shape: k.shape, dtype: k.dtype, backend: k.backend });
      }
      return [gu, gk];
    },
    [u, k],
  );
}
