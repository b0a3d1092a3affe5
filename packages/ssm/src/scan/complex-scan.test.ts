import { manualSeed, randn, tensor } from '@x/tensor';
import { gradcheck } from '@x/tensor/test';
import { describe, expect, it } from 'vitest';
import { complexDiagonalScan } from './complex-scan.js';

describe('complexDiagonalScan', () => {
  it('multiplies by lambda each step: lambda = i cycles 1, i, -1', () => {
    const h = complexDiagonalScan(tensor([[0, 1]]), tensor([[[[1, 0]], [[0, 0]], [[0, 0]]]]));
    expect(h.toArray()).toEqual([[[[1, 0]], [[0, 1]], [[-1, 0]]]]);
  });

  it('equals a float64 loop over complex numbers, with an initial state', () => {
    manualSeed(1);
    const lambda = randn([3, 2], { dtype: 'float64' }).mul(0.6);
    const x = randn([2, 5, 3, 2], { dtype: 'float64' });
    const h0 = randn([2, 3, 2], { dtype: 'float64' });
    const h = complexDiagonalScan(lambda, x, h0).toArray() as number[][][][];
    const lv = lambda.toArray() as number[][];
    const xv = x.toArray() as number[][][][];
    const hv = h0.toArray() as number[][][];
    for (let b = 0; b < 2; b++)
      for (let m = 0; m < 3; m++) {
        let [re, im] = hv[b]![m]! as [number, number];
        const [lr, li] = lv[m]! as [number, number];
        for (let t = 0; t < 5; t++) {
          [re, im] = [
            lr * re - li * im + xv[b]![t]![m]![0]!,
            lr * im + li * re + xv[b]![t]![m]![1]!,
          ];
          expect(h[b]![t]![m]![0]).toBeCloseTo(re, 12);
          expect(h[b]![t]![m]![1]).toBeCloseTo(im, 12);
        }
      }
  });

  it('gradients (lambda, x, initial state) pass gradcheck in float64', () => {
    manualSeed(2);
    const lambda = randn([3, 2], { dtype: 'float64' }).mul(0.6).requiresGrad_();
    const x = randn([2, 6, 3, 2], { dtype: 'float64', requiresGrad: true });
    const h0 = randn([2, 3, 2], { dtype: 'float64', requiresGrad: true });
    expect(
      gradcheck((l, v, s) => complexDiagonalScan(l!, v!, s!), [lambda, x, h0]).failures,
    ).toEqual([]);
  });

  it('rejects a non-complex layout', () => {
    expect(() => complexDiagonalScan(randn([3]), randn([1, 2, 3, 2]))).toThrow(
      /expects lambda \[m, 2\]/,
    );
  });
});
