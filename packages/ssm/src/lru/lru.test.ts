import { manualSeed, noGrad, randn } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { SsmValueError } from '../errors.js';
import { gradcheckParameters } from '../test/module-gradcheck.js';
import { LRU } from './lru.js';

describe('LRU', () => {
  it('equals a naive float64 complex recurrence of the paper equations', () => {
    manualSeed(1);
    const lru = new LRU(3, 4, { rMin: 0.5, rMax: 0.95, seed: 1, dtype: 'float64' });
    const x = randn([1, 7, 3], { dtype: 'float64' });
    const y = lru.forward(x).toArray() as number[][][];
    const nu = lru.nu_log.toArray() as number[];
    const th = lru.theta_log.toArray() as number[];
    const ga = lru.gamma_log.toArray() as number[];
    const [Br, Bi, Cr, Ci] = [lru.B_re, lru.B_im, lru.C_re, lru.C_im].map(
      (t) => t.toArray() as number[][],
    );
    const D = lru.D.toArray() as number[];
    const xs = x.toArray() as number[][][];
    const h = Array.from({ length: 4 }, () => [0, 0]);
    for (let t = 0; t < 7; t++) {
      for (let n = 0; n < 4; n++) {
        const mag = Math.exp(-Math.exp(nu[n]!));
        const ph = Math.exp(th[n]!);
        const [lr, li] = [mag * Math.cos(ph), mag * Math.sin(ph)];
        let ur = 0;
        let ui = 0;
        for (let j = 0; j < 3; j++) {
          ur += Br![n]![j]! * xs[0]![t]![j]!;
          ui += Bi![n]![j]! * xs[0]![t]![j]!;
        }
        const g = Math.exp(ga[n]!);
        const [hr, hi] = h[n]!;
        h[n] = [lr * hr! - li * hi! + g * ur, lr * hi! + li * hr! + g * ui];
      }
      for (let j = 0; j < 3; j++) {
        let s = D[j]! * xs[0]![t]![j]!;
        for (let n = 0; n < 4; n++) s += Cr![j]![n]! * h[n]![0]! - Ci![j]![n]! * h[n]![1]!;
        expect(y[0]![t]![j]).toBeCloseTo(s, 12);
      }
    }
  });

  it('initializes |lambda| on the ring [rMin, rMax] with phase in [0, maxPhase]', () => {
    const lru = new LRU(2, 64, { rMin: 0.9, rMax: 0.99, maxPhase: Math.PI / 10 });
    const lam = lru.lambda().toArray() as number[][];
    for (const [re, im] of lam) {
      const r = Math.hypot(re!, im!);
      expect(r).toBeGreaterThanOrEqual(0.9 - 1e-6);
      expect(r).toBeLessThanOrEqual(0.99 + 1e-6);
      expect(Math.atan2(im!, re!)).toBeLessThanOrEqual(Math.PI / 10 + 1e-6);
    }
  });

  it('step-by-step decoding equals the scan', () => {
    manualSeed(2);
    const lru = new LRU(4, 6, { seed: 2 });
    const x = randn([2, 9, 4]);
    noGrad(() => {
      const y = lru.forward(x).toTypedArray();
      let state = lru.initialState(2);
      for (let t = 0; t < 9; t++) {
        const r = lru.step(x.select(1, t), state);
        state = r.state;
        const yt = r.y.toTypedArray();
        for (let b = 0; b < 2; b++)
          for (let c = 0; c < 4; c++) expect(yt[b * 4 + c]).toBeCloseTo(y[(b * 9 + t) * 4 + c]!, 5);
      }
    });
  });

  it('every parameter passes gradcheck in float64', () => {
    manualSeed(3);
    const lru = new LRU(2, 3, { rMin: 0.3, rMax: 0.9, seed: 3, dtype: 'float64' });
    const x = randn([2, 5, 2], { dtype: 'float64' });
    const names = lru.namedParameters().map(([n]) => n);
    expect(gradcheckParameters(lru, names, () => lru.forward(x)).failures).toEqual([]);
  });

  it('rejects radii outside [0, 1]', () => {
    expect(() => new LRU(2, 2, { rMin: 0.9, rMax: 0.5 })).toThrow(SsmValueError);
  });
});
