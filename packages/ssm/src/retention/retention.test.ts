import { manualSeed, noGrad, randn } from '@x/tensor';
import { gradcheck } from '@x/tensor/test';
import { describe, expect, it } from 'vitest';
import { gradcheckParameters } from '../test/module-gradcheck.js';
import { MultiScaleRetention } from './multi-scale-retention.js';
import { retention } from './retention.js';

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('retention: parallel, recurrent and chunkwise forms agree', () => {
  it('equals the definition o_n = sum_{m <= n} gamma^(n-m) (q_n . k_m) v_m in float64', () => {
    manualSeed(1);
    const q = randn([1, 2, 6, 3], { dtype: 'float64' });
    const k = randn([1, 2, 6, 3], { dtype: 'float64' });
    const v = randn([1, 2, 6, 2], { dtype: 'float64' });
    const gammas = [0.9, 0.5];
    const out = retention(q, k, v, gammas, 'parallel').toArray() as number[][][][];
    const Q = q.toArray() as number[][][][];
    const K = k.toArray() as number[][][][];
    const V = v.toArray() as number[][][][];
    for (let h = 0; h < 2; h++)
      for (let n = 0; n < 6; n++)
        for (let j = 0; j < 2; j++) {
          let s = 0;
          for (let m = 0; m <= n; m++) {
            const dot = Q[0]![h]![n]!.reduce((acc, qi, i) => acc + qi * K[0]![h]![m]![i]!, 0);
            s += gammas[h]! ** (n - m) * dot * V[0]![h]![m]![j]!;
          }
          expect(out[0]![h]![n]![j]).toBeCloseTo(s, 12);
        }
  });

  it.each([1, 4, 7, 32])('float32: recurrent and chunkwise (chunk %i) equal parallel', (chunk) => {
    manualSeed(2);
    const q = randn([2, 3, 21, 4]);
    const k = randn([2, 3, 21, 4]);
    const v = randn([2, 3, 21, 5]);
    const gammas = [0.97, 0.9, 0.6];
    const parallel = retention(q, k, v, gammas, 'parallel').toTypedArray();
    expect(maxDiff(parallel, retention(q, k, v, gammas, 'recurrent').toTypedArray())).toBeLessThan(
      1e-4,
    );
    expect(
      maxDiff(parallel, retention(q, k, v, gammas, 'chunkwise', chunk).toTypedArray()),
    ).toBeLessThan(1e-4);
  });

  it.each(['parallel', 'recurrent', 'chunkwise'] as const)(
    '%s form passes gradcheck in float64',
    (mode) => {
      manualSeed(3);
      const o = { dtype: 'float64' as const, requiresGrad: true };
      const q = randn([1, 2, 5, 2], o);
      const k = randn([1, 2, 5, 2], o);
      const v = randn([1, 2, 5, 3], o);
      const r = gradcheck((a, b, c) => retention(a!, b!, c!, [0.8, 0.5], mode, 2), [q, k, v]);
      expect(r.failures).toEqual([]);
    },
  );

  it('rejects a gamma per head mismatch', () => {
    const x = randn([1, 2, 3, 4]);
    expect(() => retention(x, x, x, [0.9])).toThrow(/one gamma per head/);
  });
});

describe('MultiScaleRetention', () => {
  it('the three forms and step-by-step decoding agree', () => {
    manualSeed(4);
    const layer = new MultiScaleRetention(16, { heads: 4, seed: 1 });
    const x = randn([2, 13, 16]);
    noGrad(() => {
      const a = layer.forward(x, 'parallel').toTypedArray();
      expect(maxDiff(a, layer.forward(x, 'recurrent').toTypedArray())).toBeLessThan(1e-4);
      expect(maxDiff(a, layer.forward(x, 'chunkwise', 5).toTypedArray())).toBeLessThan(1e-4);
      let state = layer.initialState(2);
      for (let t = 0; t < 13; t++) {
        const r = layer.step(x.select(1, t), state);
        state = r.state;
        const yt = r.y.toTypedArray();
        for (let b = 0; b < 2; b++)
          for (let c = 0; c < 16; c++)
            expect(Math.abs(yt[b * 16 + c]! - a[(b * 13 + t) * 16 + c]!)).toBeLessThan(1e-4);
      }
    });
  });

  it('keeps the reference names, decays 1 - 2^(-5-h), and passes gradcheck', () => {
    const layer = new MultiScaleRetention(8, { heads: 2, dtype: 'float64', seed: 2 });
    expect(layer.gammas).toEqual([1 - 1 / 32, 1 - 1 / 64]);
    const names = layer.namedParameters().map(([n]) => n);
    expect(names).toEqual([
      'q_proj.weight',
      'k_proj.weight',
      'v_proj.weight',
      'g_proj.weight',
      'out_proj.weight',
    ]);
    const x = randn([1, 4, 8], { dtype: 'float64' });
    expect(
      gradcheckParameters(layer, ['q_proj.weight', 'v_proj.weight'], () =>
        layer.forward(x, 'chunkwise', 3),
      ).failures,
    ).toEqual([]);
  });
});
