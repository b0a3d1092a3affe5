/**
 * Linear attention: the parallel forms against direct double sums in
 * float64, the scan and chunked causal forms against each other (values
 * and gradients), and the causal form against its recurrent step, token by
 * token.
 */
import { Generator, randn, type Tensor } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { attention } from './attention.js';
import { AttentionValueError } from './errors.js';
import { LinearAttentionState } from './linear-recurrent.js';
import { maxAbsDiff, referenceLinearAttention } from './test/reference.js';

const elu1 = (x: number) => (x > 0 ? x + 1 : Math.exp(x));
const relu = (x: number) => Math.max(x, 0);
const array4 = (t: Tensor) => ({
  data: t.toTypedArray(),
  shape: t.shape as unknown as [number, number, number, number],
});

function inputs(
  B: number,
  H: number,
  Hkv: number,
  N: number,
  M: number,
  d: number,
  dv: number,
  seed: number,
  requiresGrad = false,
) {
  const generator = new Generator(seed);
  const options = { dtype: 'float64' as const, generator, requiresGrad };
  return {
    q: randn([B, H, N, d], options),
    k: randn([B, Hkv, M, d], options),
    v: randn([B, Hkv, M, dv], options),
  };
}

describe('linear attention against direct sums (float64)', () => {
  for (const causal of [false, true]) {
    for (const [mapName, phi] of [
      ['elu', elu1],
      ['relu', relu],
    ] as const) {
      it(`${causal ? 'causal' : 'non-causal'}, ${mapName}, grouped heads, N != M`, () => {
        const { q, k, v } = inputs(2, 4, 2, 13, 21, 6, 5, 1);
        const out = attention(q, k, v, { implementation: 'linear', causal, featureMap: mapName });
        const expected = referenceLinearAttention(array4(q), array4(k), array4(v), { causal, phi });
        expect(maxAbsDiff(out.toTypedArray(), expected)).toBeLessThanOrEqual(1e-12);
      });
    }
  }
});

describe('causal forms agree', () => {
  for (const chunkSize of [1, 4, 7, 64]) {
    it(`chunked (C = ${chunkSize}) equals the scan, values and gradients`, () => {
      const { q, k, v } = inputs(1, 4, 2, 37, 37, 8, 6, 2, true);
      const g = randn([1, 4, 37, 6], { dtype: 'float64', generator: new Generator(3) });
      const run = (linearForm: 'scan' | 'chunked') => {
        q.grad = null;
        k.grad = null;
        v.grad = null;
        const out = attention(q, k, v, {
          implementation: 'linear',
          causal: true,
          linearForm,
          chunkSize,
        });
        out.mul(g).sum().backward();
        return [out, q.grad!, k.grad!, v.grad!].map((t) => t.toTypedArray());
      };
      const scan = run('scan');
      const chunked = run('chunked');
      for (let i = 0; i < 4; i++)
        expect(maxAbsDiff(scan[i]!, chunked[i]!)).toBeLessThanOrEqual(1e-10);
    });
  }
  it('float32 scan stays within 1e-5 of the float64 reference', () => {
    const generator = new Generator(4);
    const q = randn([1, 2, 300, 16], { generator });
    const k = randn([1, 2, 300, 16], { generator });
    const v = randn([1, 2, 300, 16], { generator });
    const out = attention(q, k, v, { implementation: 'linear', causal: true });
    const expected = referenceLinearAttention(array4(q), array4(k), array4(v), {
      causal: true,
      phi: elu1,
    });
    expect(maxAbsDiff(out.toTypedArray(), expected)).toBeLessThanOrEqual(1e-5);
  });
});

describe('recurrent step', () => {
  for (const featureMap of ['elu', 'relu'] as const) {
    it(`feeding tokens one by one equals the causal parallel form (${featureMap})`, () => {
      const B = 2;
      const H = 4;
      const Hkv = 2;
      const N = 12;
      const { q, k, v } = inputs(B, H, Hkv, N, N, 5, 3, 5);
      const parallel = attention(q, k, v, {
        implementation: 'linear',
        causal: true,
        featureMap,
      }).toTypedArray();
      const state = new LinearAttentionState(B, Hkv, 5, 3, { dtype: 'float64', featureMap });
      for (let t = 0; t < N; t++) {
        const step = state
          .step(q.narrow(2, t, 1), k.narrow(2, t, 1), v.narrow(2, t, 1))
          .toTypedArray();
        for (let bh = 0; bh < B * H; bh++) {
          const expected = parallel.subarray((bh * N + t) * 3, (bh * N + t + 1) * 3);
          expect(maxAbsDiff(step.subarray(bh * 3, bh * 3 + 3), expected)).toBeLessThanOrEqual(
            1e-12,
          );
        }
      }
      expect(state.steps).toBe(N);
    });
  }
  it('rejects a token of the wrong shape', () => {
    const state = new LinearAttentionState(1, 1, 4, 4);
    expect(() => state.step(randn([1, 1, 2, 4]), randn([1, 1, 1, 4]), randn([1, 1, 1, 4]))).toThrow(
      /expected q \[1, H, 1, 4\]/,
    );
  });
});

describe('linear attention refuses what it cannot do', () => {
  it('masks, ALiBi, dropout and sparse patterns', () => {
    const { q, k, v } = inputs(1, 1, 1, 4, 4, 2, 2, 6);
    for (const options of [{ alibi: true }, { dropout: 0.1 }]) {
      expect(() => attention(q, k, v, { implementation: 'linear', ...options })).toThrow(
        AttentionValueError,
      );
    }
    expect(() => attention(q, k, v, { implementation: 'linear', alibi: true })).toThrow(
      'attention: linear attention has no softmax to mask or bias; it does not support alibi',
    );
  });
});
