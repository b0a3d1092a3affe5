import { Generator, tensor } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { SsmError, SsmValueError } from '../errors.js';
import { expm, fromRows, identity, matmul, solve } from '../linalg/dense.js';
import { HippoApproximator } from './approximation.js';
import { discretize } from './discretize.js';
import { hippoMatrices } from './matrices.js';
import { laguerre, legendre } from './polynomials.js';

/** A smooth random signal: a random Fourier series with `modes` terms over `length` samples. */
function smoothSignal(length: number, modes: number, seed: number): Float64Array {
  const g = new Generator(seed);
  const coefficients = Array.from({ length: modes }, () => [g.normal(), g.normal()] as const);
  return Float64Array.from({ length }, (_, k) =>
    coefficients.reduce(
      (sum, [a, b], f) =>
        sum +
        a * Math.cos((2 * Math.PI * (f + 1) * k) / length) +
        b * Math.sin((2 * Math.PI * (f + 1) * k) / length),
      0,
    ),
  );
}

function rms(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]! ** 2;
  return Math.sqrt(s / values.length);
}

describe('HiPPO matrices (the paper, Section 3 / Appendix D)', () => {
  it('LegS: A_nk = sqrt(2n+1) sqrt(2k+1) below the diagonal, n + 1 on it; B_n = sqrt(2n+1)', () => {
    const { A, B } = hippoMatrices('legs', 4);
    const a = A.toArray() as number[][];
    for (let n = 0; n < 4; n++)
      for (let k = 0; k < 4; k++) {
        const expected = n > k ? Math.sqrt((2 * n + 1) * (2 * k + 1)) : n === k ? n + 1 : 0;
        expect(a[n]![k]).toBeCloseTo(expected, 12);
      }
    expect(B.toArray()).toEqual([1, Math.sqrt(3), Math.sqrt(5), Math.sqrt(7)]);
  });

  it('LegT: (2n+1)/theta with sign (-1)^(n-k) on and below the diagonal; B_n = (2n+1)(-1)^n/theta', () => {
    const { A, B } = hippoMatrices('legt', 3, { theta: 2 });
    expect(A.toArray()).toEqual([
      [0.5, 0.5, 0.5],
      [-1.5, 1.5, 1.5],
      [2.5, -2.5, 2.5],
    ]);
    expect(B.toArray()).toEqual([0.5, -1.5, 2.5]);
  });

  it('LagT: lower-triangular ones, B = 1', () => {
    const { A, B } = hippoMatrices('lagt', 3);
    expect(A.toArray()).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [1, 1, 1],
    ]);
    expect(B.toArray()).toEqual([1, 1, 1]);
  });

  it('rejects unknown measures and sizes with SsmValueError', () => {
    expect(() => hippoMatrices('legx' as never, 4)).toThrow(SsmValueError);
    expect(() => hippoMatrices('legs', 0)).toThrow(/stateSize must be an integer >= 1, got 0/);
    expect(() => hippoMatrices('legt', 4, { theta: Number.NaN })).toThrow(SsmValueError);
    try {
      hippoMatrices('legs', 2.5);
    } catch (e) {
      expect(SsmError.isInstance(e)).toBe(true);
    }
  });
});

describe('dense linear algebra', () => {
  it('expm matches the closed form of a rotation and of a nilpotent matrix', () => {
    const r = expm(
      fromRows([
        [0, -1],
        [1, 0],
      ]),
    );
    expect(r.data[0]).toBeCloseTo(Math.cos(1), 14);
    expect(r.data[2]).toBeCloseTo(Math.sin(1), 14);
    expect(
      Array.from(
        expm(
          fromRows([
            [0, 1],
            [0, 0],
          ]),
        ).data,
      ),
    ).toEqual([1, 1, 0, 1]);
  });

  it('expm of a large-norm matrix equals the product of exponentials of its halves (scaling and squaring)', () => {
    const { A } = hippoMatrices('legs', 8);
    const m = fromRows(A.neg().mul(3).toArray() as number[][]);
    const half = fromRows(A.neg().mul(1.5).toArray() as number[][]);
    const full = expm(m);
    const squared = matmul(expm(half), expm(half));
    for (let i = 0; i < 64; i++) expect(full.data[i]).toBeCloseTo(squared.data[i]!, 10);
  });

  it('solve inverts a matrix', () => {
    const a = fromRows([
      [4, 1, 0],
      [1, 3, 1],
      [0, 1, 2],
    ]);
    const inverse = solve(a, identity(3));
    const product = matmul(a, inverse);
    for (let i = 0; i < 9; i++) expect(product.data[i]).toBeCloseTo(i % 4 === 0 ? 1 : 0, 13);
  });
});

describe('discretize', () => {
  it('scalar systems match the closed forms of each rule', () => {
    const A = tensor([[-2]], { dtype: 'float64' });
    const B = tensor([3], { dtype: 'float64' });
    const dt = 0.1;
    const zoh = discretize(A, B, dt, 'zoh');
    expect(zoh.Abar.item()).toBeCloseTo(Math.exp(-0.2), 14);
    expect(zoh.Bbar.item()).toBeCloseTo((3 * (Math.exp(-0.2) - 1)) / -2, 14);
    const bil = discretize(A, B, dt, 'bilinear');
    expect(bil.Abar.item()).toBeCloseTo((1 - 0.1) / (1 + 0.1), 14);
    expect(bil.Bbar.item()).toBeCloseTo((0.1 * 3) / (1 + 0.1), 14);
    const fe = discretize(A, B, dt, 'forward-euler');
    expect(fe.Abar.item()).toBeCloseTo(0.8, 14);
    expect(fe.Bbar.item()).toBeCloseTo(0.3, 14);
    const be = discretize(A, B, dt, 'backward-euler');
    expect(be.Abar.item()).toBeCloseTo(1 / 1.2, 14);
  });

  it('ZOH is exact for a constant input: x(dt) from the matrix ODE solution', () => {
    // x' = A x + B u with constant u from x(0)=0: x(t) = A^{-1}(exp(At) - I) B u
    const { A, B } = hippoMatrices('legt', 4);
    const F = A.neg();
    const { Abar, Bbar } = discretize(F, B, 0.05, 'zoh');
    // integrate with many tiny Euler steps as an independent reference
    const n = 4;
    const f = F.toArray() as number[][];
    const b = B.toArray() as number[];
    let x = new Array<number>(n).fill(0);
    const steps = 200000;
    const h = 0.05 / steps;
    for (let s = 0; s < steps; s++)
      x = x.map((xi, i) => xi + h * (f[i]!.reduce((acc, fij, j) => acc + fij * x[j]!, 0) + b[i]!));
    const bbar = Bbar.toArray() as number[];
    for (let i = 0; i < n; i++) expect(bbar[i]).toBeCloseTo(x[i]!, 4);
    expect(Abar.shape).toEqual([4, 4]);
  });

  it('validates its arguments', () => {
    const A = tensor([[-1]], { dtype: 'float64' });
    expect(() => discretize(A, tensor([1, 2]), 0.1)).toThrow(
      /expects A \[N, N\] and B \[N\] or \[N, M\]/,
    );
    expect(() => discretize(A, tensor([1]), -1)).toThrow(/dt must be a finite positive number/);
    expect(() => discretize(A, tensor([Number.NaN]), 0.1)).toThrow(/B holds NaN/);
    expect(() => discretize(A, tensor([1]), 0.1, 'rk4' as never)).toThrow(/method must be one of/);
  });
});

describe('orthogonal polynomials', () => {
  it('Legendre and Laguerre match their closed forms', () => {
    const z = 0.3;
    const p = legendre(4, z);
    expect(p[2]).toBeCloseTo((3 * z * z - 1) / 2, 14);
    expect(p[3]).toBeCloseTo((5 * z ** 3 - 3 * z) / 2, 14);
    const y = 1.7;
    const l = laguerre(4, y);
    expect(l[2]).toBeCloseTo((y * y - 4 * y + 2) / 2, 14);
    expect(l[3]).toBeCloseTo((-(y ** 3) + 9 * y * y - 18 * y + 6) / 6, 14);
  });
});

describe('online function approximation', () => {
  it('LegS reconstruction error of a smooth random signal falls as N grows (8, 16, 32, 64)', () => {
    const signal = smoothSignal(1000, 12, 7);
    const scale = rms(signal);
    const errors = [8, 16, 32, 64].map((N) => {
      const hippo = new HippoApproximator({ measure: 'legs', stateSize: N });
      for (const v of signal) hippo.update(v);
      const recon = hippo.reconstruct();
      return rms(recon.map((r, i) => r - signal[i]!)) / scale;
    });
    for (let i = 1; i < errors.length; i++) expect(errors[i]!).toBeLessThan(errors[i - 1]!);
    expect(errors[3]!).toBeLessThan(0.03);
    expect(errors[0]!).toBeGreaterThan(0.5);
  });

  it('LegT reconstructs the last theta of the signal, for every discretization but forward Euler', () => {
    const signal = smoothSignal(1000, 4, 3);
    for (const method of ['bilinear', 'zoh', 'backward-euler'] as const) {
      const hippo = new HippoApproximator({
        measure: 'legt',
        stateSize: 32,
        method,
        dt: 1e-3,
        theta: 0.5,
      });
      for (const v of signal) hippo.update(v);
      const recon = hippo.reconstruct();
      expect(recon.length).toBe(500);
      const truth = signal.subarray(500);
      const tolerance = method === 'backward-euler' ? 0.1 : 0.01;
      expect(rms(recon.map((r, i) => r - truth[i]!)) / rms(truth)).toBeLessThan(tolerance);
    }
  });

  it('LagT keeps the recent past of a slow signal', () => {
    const signal = Float64Array.from({ length: 2000 }, (_, k) => Math.sin(k / 400));
    const hippo = new HippoApproximator({ measure: 'lagt', stateSize: 32, dt: 0.01 });
    for (const v of signal) hippo.update(v);
    const recon = hippo.reconstruct(100); // the last unit of time
    const truth = signal.subarray(1900);
    expect(rms(recon.map((r, i) => r - truth[i]!))).toBeLessThan(0.05);
  });

  it('LegS ZOH (exact in log-time) and bilinear agree', () => {
    const signal = smoothSignal(300, 3, 1);
    const a = new HippoApproximator({ measure: 'legs', stateSize: 16, method: 'zoh' });
    const b = new HippoApproximator({ measure: 'legs', stateSize: 16, method: 'bilinear' });
    for (const v of signal) {
      a.update(v);
      b.update(v);
    }
    for (let i = 0; i < 4; i++) expect(a.coefficients[i]).toBeCloseTo(b.coefficients[i]!, 1);
  });

  it('rejects non-finite samples', () => {
    const hippo = new HippoApproximator({ stateSize: 4 });
    expect(() => hippo.update(Number.POSITIVE_INFINITY)).toThrow(
      /value must be a finite number, got Infinity/,
    );
  });
});
