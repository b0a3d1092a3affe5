import { manualSeed, randn, tensor } from '@x/tensor';
import { gradcheck } from '@x/tensor/test';
import { describe, expect, it } from 'vitest';
import { SsmShapeError, SsmValueError } from '../errors.js';
import { causalConvolutionReference } from '../test/reference.js';
import { fft, inverseRealPair, nextPowerOfTwo, realFftPair } from './fft.js';
import { fftConv } from './fft-conv.js';

describe('fft', () => {
  it('equals the O(n^2) DFT and inverts', () => {
    const n = 16;
    const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) + i / 7);
    const im = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.7));
    const xr = Float64Array.from(re);
    const xi = Float64Array.from(im);
    fft(xr, xi);
    for (let k = 0; k < n; k++) {
      let sr = 0;
      let si = 0;
      for (let t = 0; t < n; t++) {
        const angle = (-2 * Math.PI * k * t) / n;
        sr += re[t]! * Math.cos(angle) - im[t]! * Math.sin(angle);
        si += re[t]! * Math.sin(angle) + im[t]! * Math.cos(angle);
      }
      expect(xr[k]).toBeCloseTo(sr, 10);
      expect(xi[k]).toBeCloseTo(si, 10);
    }
    fft(xr, xi, true);
    for (let t = 0; t < n; t++) {
      expect(xr[t]).toBeCloseTo(re[t]!, 12);
      expect(xi[t]).toBeCloseTo(im[t]!, 12);
    }
  });

  it('two real signals per complex FFT: split spectra equal separate transforms, and invert', () => {
    const x = [1, 2, 3, 4, 0, -1];
    const y = [0.5, -2, 1, 0, 3];
    const [X, Y] = realFftPair(x, y, 8);
    const [Xa] = realFftPair(x, null, 8);
    const [Ya] = realFftPair(y, null, 8);
    for (let k = 0; k < 8; k++) {
      expect(X.re[k]).toBeCloseTo(Xa.re[k]!, 12);
      expect(X.im[k]).toBeCloseTo(Xa.im[k]!, 12);
      expect(Y!.re[k]).toBeCloseTo(Ya.re[k]!, 12);
      expect(Y!.im[k]).toBeCloseTo(Ya.im[k]!, 12);
    }
    const [xb, yb] = inverseRealPair(X, Y);
    for (let t = 0; t < 6; t++) expect(xb[t]).toBeCloseTo(x[t]!, 12);
    for (let t = 0; t < 5; t++) expect(yb![t]).toBeCloseTo(y[t]!, 12);
  });

  it('rejects sizes that are not powers of two', () => {
    expect(() => fft(new Float64Array(6), new Float64Array(6))).toThrow(SsmValueError);
    expect(nextPowerOfTwo(33)).toBe(64);
  });
});

describe('fftConv', () => {
  it('equals the direct causal convolution (odd batch and channel counts)', () => {
    manualSeed(1);
    const u = randn([3, 5, 37], { dtype: 'float64' });
    const k = randn([5, 37], { dtype: 'float64' });
    const y = fftConv(u, k).toArray() as number[][][];
    const uv = u.toArray() as number[][][];
    const kv = k.toArray() as number[][];
    for (let b = 0; b < 3; b++)
      for (let h = 0; h < 5; h++) {
        const ref = causalConvolutionReference(uv[b]![h]!, kv[h]!);
        ref.forEach((v, t) => expect(y[b]![h]![t]).toBeCloseTo(v, 10));
      }
  });

  it('gradients pass gradcheck in float64', () => {
    manualSeed(2);
    const u = randn([3, 3, 9], { dtype: 'float64', requiresGrad: true });
    const k = randn([3, 9], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((a, b) => fftConv(a!, b!), [u, k]).failures).toEqual([]);
  });

  it('a worked example', () => {
    const y = fftConv(tensor([[[1, 2, 3]]]), tensor([[1, 1, 0]])).toTypedArray();
    expect(Array.from(y, (v) => Math.round(v * 1e5) / 1e5)).toEqual([1, 3, 5]);
  });

  it('names mismatched shapes', () => {
    expect(() => fftConv(randn([1, 2, 8]), randn([3, 8]))).toThrow(SsmShapeError);
    expect(() => fftConv(randn([1, 2, 8]), randn([2, 7]))).toThrow(/got u \[1, 2, 8\], k \[2, 7\]/);
  });
});
