import { manualSeed, noGrad, randn, tensor } from '@x/tensor';
import { gradcheck } from '@x/tensor/test';
import { describe, expect, it } from 'vitest';
import { SsmValueError } from '../errors.js';
import { gradcheckParameters } from '../test/module-gradcheck.js';
import { s4dKernelReference } from '../test/reference.js';
import { s4dEigenvalues } from './init.js';
import { S4DKernel } from './kernel.js';
import { S4D } from './s4d.js';
import { S4DMixer } from './s4d-mixer.js';
import { s4dSequence, s4dStepwise } from './ssm.js';

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('S4D initialization (the S4D paper, Section 4)', () => {
  it('S4D-Lin: -1/2 + i pi n', () => {
    const { re, im } = s4dEigenvalues('lin', 8);
    expect(Array.from(re)).toEqual([-0.5, -0.5, -0.5, -0.5]);
    expect(Array.from(im)).toEqual([0, Math.PI, 2 * Math.PI, 3 * Math.PI]);
  });

  it('S4D-Inv: -1/2 + i N/pi (N/(2n+1) - 1)', () => {
    const { im } = s4dEigenvalues('inv', 8);
    expect(im[0]).toBeCloseTo((8 / Math.PI) * 7, 12);
    expect(im[3]).toBeCloseTo((8 / Math.PI) * (8 / 7 - 1), 12);
  });

  it('rejects odd state sizes', () => {
    expect(() => s4dEigenvalues('lin', 7)).toThrow(SsmValueError);
  });
});

describe('S4DKernel', () => {
  it('the Vandermonde kernel equals its definition 2 Re(sum C Bbar Abar^l) computed in float64', () => {
    const kernel = new S4DKernel(3, { stateSize: 8, init: 'inv', seed: 4, dtype: 'float64' });
    const K = kernel.forward(40).toArray() as number[][];
    const dt = (kernel.log_dt.toArray() as number[]).map(Math.exp);
    const logRe = kernel.log_A_real.toArray() as number[][];
    const im = kernel.A_imag.toArray() as number[][];
    const C = kernel.C.toArray() as number[][][];
    const A = logRe.map((row, h) => row.map((v, n) => [-Math.exp(v), im[h]![n]!] as const));
    const Cp = C.map((row) => row.map((c) => [c[0]!, c[1]!] as const));
    const ref = s4dKernelReference(dt, A, Cp, 40);
    expect(maxDiff(K.flat(), ref.flat())).toBeLessThan(1e-10);
  });

  it('gradients of the kernel reach every parameter (gradcheck, float64)', () => {
    const kernel = new S4DKernel(2, { stateSize: 4, seed: 1, dtype: 'float64' });
    const names = ['log_dt', 'C', 'log_A_real', 'A_imag'];
    const r = gradcheckParameters(kernel, names, () => kernel.forward(6));
    expect(r.failures).toEqual([]);
  });
});

describe('S4D: convolution mode equals recurrent mode', () => {
  it.each(['lin', 'inv'] as const)(
    'S4D-%s, float32, within 1e-4 (FFT conv vs scan vs step loop)',
    (init) => {
      manualSeed(3);
      const layer = new S4D(8, { stateSize: 16, init, seed: 2 });
      const u = randn([2, 64, 8]);
      noGrad(() => {
        const conv = s4dSequence(layer.kernel, layer.D, u, 'convolution').toTypedArray();
        const scan = s4dSequence(layer.kernel, layer.D, u, 'recurrent').toTypedArray();
        const steps = s4dStepwise(layer.kernel, layer.D, u).toTypedArray();
        expect(maxDiff(conv, scan)).toBeLessThan(1e-4);
        expect(maxDiff(conv, steps)).toBeLessThan(1e-4);
        const y1 = layer.forward(u, 'convolution').toTypedArray();
        const y2 = layer.forward(u, 'recurrent').toTypedArray();
        expect(maxDiff(y1, y2)).toBeLessThan(1e-4);
        // the layer's own step function, token by token
        let state = layer.initialState(2);
        const y3: number[] = new Array(2 * 64 * 8);
        for (let t = 0; t < 64; t++) {
          const r = layer.step(u.select(1, t), state);
          state = r.state;
          const v = r.y.toTypedArray();
          for (let b = 0; b < 2; b++)
            for (let c = 0; c < 8; c++) y3[(b * 64 + t) * 8 + c] = v[b * 8 + c]!;
        }
        expect(maxDiff(y1, y3)).toBeLessThan(1e-4);
      });
    },
  );

  it('the layer is differentiable in both modes (gradcheck, float64)', () => {
    manualSeed(4);
    const layer = new S4D(2, { stateSize: 4, seed: 3, dtype: 'float64' });
    const u = randn([1, 5, 2], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((x) => layer.forward(x!, 'convolution'), [u]).failures).toEqual([]);
    expect(gradcheck((x) => layer.forward(x!, 'recurrent'), [u]).failures).toEqual([]);
    for (const mode of ['convolution', 'recurrent'] as const) {
      const names = layer.namedParameters().map(([name]) => name);
      const r = gradcheckParameters(layer, names, () => layer.forward(u.detach(), mode));
      expect(r.failures).toEqual([]);
    }
  });

  it('keeps the reference parameter names', () => {
    const names = new S4D(4, { stateSize: 8 })
      .namedParameters()
      .map(([n, p]) => `${n} [${p.shape}]`);
    expect(names).toEqual([
      'D [4]',
      'kernel.log_dt [4]',
      'kernel.C [4,4,2]',
      'kernel.log_A_real [4,4]',
      'kernel.A_imag [4,4]',
      'output_linear.0.weight [8,4,1]',
      'output_linear.0.bias [8]',
    ]);
  });

  it('S4DMixer: convolution, recurrent and step forms agree', () => {
    manualSeed(5);
    const mixer = new S4DMixer(8, { dState: 8, seed: 1 });
    const recurrent = new S4DMixer(8, { dState: 8, seed: 1, mode: 'recurrent' });
    const x = randn([2, 12, 8]);
    noGrad(() => {
      const a = mixer.forward(x).toTypedArray();
      expect(maxDiff(a, recurrent.forward(x).toTypedArray())).toBeLessThan(1e-5);
      let state = mixer.initialState(2);
      for (let t = 0; t < 12; t++) {
        const r = mixer.step(x.select(1, t), state);
        state = r.state;
        const v = r.y.toTypedArray();
        for (let b = 0; b < 2; b++)
          for (let c = 0; c < 8; c++) expect(v[b * 8 + c]).toBeCloseTo(a[(b * 12 + t) * 8 + c]!, 5);
      }
    });
  });

  it('validates inputs', () => {
    const layer = new S4D(4, { stateSize: 8 });
    expect(() => layer.forward(randn([1, 5, 3]))).toThrow(
      /u must have shape \[\*, \*, 4\], got \[1, 5, 3\]/,
    );
    expect(() => layer.forward(randn([1, 5, 4]), 'fast' as never)).toThrow(/mode must be one of/);
    expect(() => new S4D(0)).toThrow(SsmValueError);
    expect(tensor([1]).shape).toEqual([1]);
  });
});
