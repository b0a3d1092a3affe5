/**
 * `gemm` against the plain triple loop (float64 sums in k order, rounded
 * once): odd sizes that leave edge tiles, transposed and strided operands,
 * alpha and accumulate, k across several K blocks, and float32 outputs equal
 * to the rounded exact sums.
 */
import { describe, expect, it } from 'vitest';
import { Generator } from '../../random.js';
import { gemm } from './gemm.js';

function values(count: number, seed: number): Float64Array {
  const g = new Generator(seed);
  return Float64Array.from({ length: count }, () => g.normal());
}

/** Reference: C (+)= alpha A B with element (i, j) of X at x[i * rs + j * cs]. */
function reference(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  [ars, acs]: [number, number],
  b: Float64Array,
  [brs, bcs]: [number, number],
  alpha: number,
  c: Float64Array | null,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * ars + p * acs]! * b[p * brs + j * bcs]!;
      out[i * n + j] = (c ? c[i * n + j]! : 0) + alpha * s;
    }
  }
  return out;
}

describe('gemm (the js backend matmul on typed arrays)', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [5, 7, 3],
    [64, 64, 64],
    [67, 130, 29],
    [9, 300, 600], // k over two K blocks, n over two N blocks
  ];
  for (const [m, n, k] of shapes) {
    it(`${m} x ${k} @ ${k} x ${n}: row-major, transposed B, alpha, accumulate`, () => {
      const a = values(m * k, 1);
      const b = values(k * n, 2);
      const c0 = values(m * n, 3);
      const out = new Float64Array(m * n);
      gemm({
        m,
        n,
        k,
        a: { data: a, rowStride: k },
        b: { data: b, rowStride: n },
        c: { data: out, rowStride: n },
      });
      expect(out).toEqual(reference(m, n, k, a, [k, 1], b, [n, 1], 1, null));
      // B read as the transpose of a [n, k] array, C accumulated with alpha
      const acc = c0.slice();
      gemm({
        m,
        n,
        k,
        a: { data: a, rowStride: k },
        b: { data: b, rowStride: 1, colStride: k },
        c: { data: acc, rowStride: n },
        alpha: 0.5,
        accumulate: true,
      });
      const want = reference(m, n, k, a, [k, 1], b, [1, k], 0.5, c0);
      for (let i = 0; i < want.length; i++) expect(acc[i]).toBeCloseTo(want[i]!, 12);
    });
  }

  it('offsets, a transposed A and a C row stride wider than n', () => {
    const [m, n, k] = [6, 5, 11];
    const a = values(k * m + 3, 4); // A[i, p] = a[3 + p * m + i]
    const b = values(k * n, 5);
    const c = new Float64Array(2 + m * 9).fill(7);
    gemm({
      m,
      n,
      k,
      a: { data: a, offset: 3, rowStride: 1, colStride: m },
      b: { data: b, rowStride: n },
      c: { data: c, offset: 2, rowStride: 9 },
    });
    const want = reference(m, n, k, a.subarray(3), [1, m], b, [n, 1], 1, null);
    for (let i = 0; i < m; i++) {
      expect(Array.from(c.subarray(2 + i * 9, 2 + i * 9 + n))).toEqual(
        Array.from(want.subarray(i * n, (i + 1) * n)),
      );
      expect(Array.from(c.subarray(2 + i * 9 + n, 2 + (i + 1) * 9))).toEqual([7, 7, 7, 7]);
    }
  });

  it('float32 outputs hold the exact sums rounded once, also across K blocks', () => {
    const [m, n, k] = [13, 10, 700];
    const a = Float32Array.from(values(m * k, 6));
    const b = Float32Array.from(values(k * n, 7));
    const out = new Float32Array(m * n);
    gemm({
      m,
      n,
      k,
      a: { data: a, rowStride: k },
      b: { data: b, rowStride: n },
      c: { data: out, rowStride: n },
    });
    const want = Float32Array.from(
      reference(m, n, k, Float64Array.from(a), [k, 1], Float64Array.from(b), [n, 1], 1, null),
    );
    expect(out).toEqual(want);
  });

  it('k = 0 writes zeros (or leaves C with accumulate)', () => {
    const c = new Float64Array([1, 2, 3, 4]);
    gemm({
      m: 2,
      n: 2,
      k: 0,
      a: { data: [], rowStride: 0 },
      b: { data: [], rowStride: 2 },
      c: { data: c, rowStride: 2 },
      accumulate: true,
    });
    expect(Array.from(c)).toEqual([1, 2, 3, 4]);
    gemm({
      m: 2,
      n: 2,
      k: 0,
      a: { data: [], rowStride: 0 },
      b: { data: [], rowStride: 2 },
      c: { data: c, rowStride: 2 },
    });
    expect(Array.from(c)).toEqual([0, 0, 0, 0]);
  });
});
