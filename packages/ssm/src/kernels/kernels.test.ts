import { conv1dCausalDepthwise, listBackends, manualSeed, randn, silu } from '@x/tensor';
import { gradcheck } from '@x/tensor/test';
import { describe, expect, it } from 'vitest';
import { causalConvSilu } from './causal-conv.js';
import { dotRows, transposeArray } from './dot-rows.js';
import { linear } from './linear.js';

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('dotRows', () => {
  it.each([
    [1, 1, 1],
    [5, 3, 7],
    [8, 6, 4],
    [9, 9, 33],
  ])('equals the triple loop for P=%i Q=%i K=%i', (P, Q, K) => {
    const A = Float64Array.from({ length: P * K }, (_, i) => Math.sin(i));
    const B = Float64Array.from({ length: Q * K }, (_, i) => Math.cos(i * 0.7));
    const out = dotRows(A, B, P, Q, K, new Float64Array(P * Q));
    for (let p = 0; p < P; p++)
      for (let q = 0; q < Q; q++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A[p * K + k]! * B[q * K + k]!;
        expect(out[p * Q + q]).toBeCloseTo(s, 12);
      }
  });

  it('transposeArray transposes', () => {
    const x = Float32Array.from({ length: 6 }, (_, i) => i);
    expect(Array.from(transposeArray(x, 2, 3))).toEqual([0, 3, 1, 4, 2, 5]);
  });
});

describe('linear', () => {
  it('equals a float64 matmul + bias in float32 on every backend, gradients included, and passes gradcheck in float64', () => {
    for (const backend of listBackends().filter((name) => name === 'js' || name === 'wasm')) {
      manualSeed(1);
      const x = randn([2, 5, 7], { backend, requiresGrad: true });
      const w = randn([3, 7], { backend, requiresGrad: true });
      const b = randn([3], { backend, requiresGrad: true });
      const x64 = x.detach().toBackend('js').to('float64').requiresGrad_();
      const w64 = w.detach().toBackend('js').to('float64').requiresGrad_();
      const b64 = b.detach().toBackend('js').to('float64').requiresGrad_();
      const expected = x64.matmul(w64.transpose(0, 1)).add(b64);
      const y = linear(x, w, b);
      expect(y.backend).toBe(backend);
      expect(maxDiff(y.toTypedArray(), expected.toTypedArray())).toBeLessThan(1e-5);
      y.square().sum().backward();
      expected.square().sum().backward();
      for (const [mine, reference] of [
        [x, x64],
        [w, w64],
        [b, b64],
      ] as const) {
        expect(maxDiff(mine.grad!.toTypedArray(), reference.grad!.toTypedArray())).toBeLessThan(
          1e-4,
        );
      }
    }
    const o = { dtype: 'float64' as const, requiresGrad: true };
    const r = gradcheck(
      (a, c, d) => linear(a!, c!, d!),
      [randn([2, 3, 4], o), randn([5, 4], o), randn([5], o)],
    );
    expect(r.failures).toEqual([]);
  });

  it('names mismatched shapes', () => {
    expect(() => linear(randn([2, 4]), randn([3, 5]))).toThrow(
      /expects x \[\.\.\., K\], weight \[N, K\]/,
    );
  });
});

describe('causalConvSilu', () => {
  it('equals silu(conv1dCausalDepthwise) on the transposed input', () => {
    manualSeed(2);
    const x = randn([2, 9, 5]);
    const w = randn([5, 1, 4]);
    const b = randn([5]);
    const expected = silu(conv1dCausalDepthwise(x.transpose(1, 2), w, b)).transpose(1, 2);
    expect(
      maxDiff(causalConvSilu(x, w, b).toTypedArray(), expected.contiguous().toTypedArray()),
    ).toBeLessThan(1e-5);
    const plain = conv1dCausalDepthwise(x.transpose(1, 2), w, b).transpose(1, 2);
    expect(
      maxDiff(causalConvSilu(x, w, b, null).toTypedArray(), plain.contiguous().toTypedArray()),
    ).toBeLessThan(1e-5);
  });

  it.each(['silu', null] as const)('passes gradcheck in float64 (activation %s)', (activation) => {
    const o = { dtype: 'float64' as const, requiresGrad: true };
    const r = gradcheck(
      (x, w, b) => causalConvSilu(x!, w!, b!, activation),
      [randn([2, 6, 3], o), randn([3, 1, 3], o), randn([3], o)],
    );
    expect(r.failures).toEqual([]);
  });
});
