import { describe, expect, it } from 'vitest';
import { IndexSnapshotError } from '../src/errors.js';
import { Lsa } from '../src/vectors/lsa.js';
import { gaussianStream, jacobiSvd, orthonormalize, randomizedSvd } from '../src/vectors/svd.js';
import { type CsrMatrix, csrFromRows } from '../src/vectors/tfidf.js';

/** Cyclic Jacobi eigen-decomposition of a symmetric matrix, float64 (the test's own oracle). */
function symmetricEigen(matrix: number[][]): { values: number[]; vectors: number[][] } {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  const v: number[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-26) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p]![q]!) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * a[p]![q]!);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = a.map((_, i) => i).sort((i, j) => a[j]![j]! - a[i]![i]!);
  return {
    values: order.map((i) => a[i]![i]!),
    vectors: order.map((i) => v.map((row) => row[i]!)),
  };
}

/** A dense n x m matrix with a decaying spectrum (singular values 0.8^j) plus a little noise. */
function testMatrix(n: number, m: number, seed: number): number[][] {
  const random = gaussianStream(seed);
  const r = Math.min(n, m);
  const left = Array.from({ length: r }, () => Array.from({ length: n }, () => random()));
  const right = Array.from({ length: r }, () => Array.from({ length: m }, () => random()));
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: m }, (_, j) => {
      let sum = 0;
      for (let k = 0; k < r; k++) sum += 0.8 ** k * left[k]![i]! * right[k]![j]!;
      return sum / Math.sqrt(n * m) + 1e-4 * random();
    }),
  );
}

function toCsr(dense: number[][]): CsrMatrix {
  const rows = dense.map((row) => {
    const columns: number[] = [];
    const weights: number[] = [];
    row.forEach((x, j) => {
      if (x !== 0) {
        columns.push(j);
        weights.push(x);
      }
    });
    return { columns: Int32Array.from(columns), weights: Float32Array.from(weights) };
  });
  return csrFromRows(rows, dense[0]!.length);
}

const gram = (a: number[][]) =>
  a[0]!.map((_, i) => a[0]!.map((_, j) => a.reduce((sum, row) => sum + row[i]! * row[j]!, 0)));

describe('randomized SVD', () => {
  const n = 70;
  const m = 50;
  const rank = 8;
  const dense = testMatrix(n, m, 3);
  const oracle = symmetricEigen(gram(dense)); // eigenvalues of AᵀA = singular values squared
  const svd = randomizedSvd(toCsr(dense), rank, { seed: 5 });

  it('finds the leading singular values of a float64 oracle (Jacobi on AᵀA)', () => {
    expect(svd.s.length).toBe(rank);
    for (let j = 0; j < rank; j++) {
      const expected = Math.sqrt(oracle.values[j]!);
      expect(Math.abs(svd.s[j]! - expected) / expected).toBeLessThan(1e-3);
    }
  });

  it('spans the oracle subspace (principal angles near zero) with orthonormal factors', () => {
    // ‖Vᵀ v_j‖ = cos(angle between oracle v_j and span V): close to 1 for the leading directions
    for (let j = 0; j < rank - 2; j++) {
      const target = oracle.vectors[j]!;
      let norm = 0;
      for (let c = 0; c < rank; c++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += svd.v.values[i * rank + c]! * target[i]!;
        norm += dot * dot;
      }
      expect(Math.sqrt(norm)).toBeGreaterThan(0.999);
    }
    for (const factor of [svd.u, svd.v]) {
      for (let a = 0; a < rank; a++) {
        for (let b = 0; b < rank; b++) {
          let dot = 0;
          for (let i = 0; i < factor.rows; i++)
            dot += factor.values[i * rank + a]! * factor.values[i * rank + b]!;
          expect(dot).toBeCloseTo(a === b ? 1 : 0, 4);
        }
      }
    }
  });

  it('reconstructs A V = U Σ', () => {
    for (let i = 0; i < n; i += 7) {
      for (let c = 0; c < rank; c++) {
        let av = 0;
        for (let j = 0; j < m; j++) av += dense[i]![j]! * svd.v.values[j * rank + c]!;
        expect(av).toBeCloseTo(svd.u.values[i * rank + c]! * svd.s[c]!, 3);
      }
    }
  });

  it('Jacobi SVD of a small matrix matches the eigen oracle', () => {
    const small = testMatrix(6, 6, 11);
    const { s } = jacobiSvd(small.flat(), 6);
    const eig = symmetricEigen(gram(small));
    s.forEach((x, j) => expect(x).toBeCloseTo(Math.sqrt(Math.max(0, eig.values[j]!)), 9));
  });

  it('orthonormalize keeps full rank when columns repeat', () => {
    const column = Float32Array.from({ length: 20 }, (_, i) => i + 1);
    const x = new Float32Array(20 * 3);
    for (let i = 0; i < 20; i++) for (let j = 0; j < 3; j++) x[i * 3 + j] = column[i]!;
    const q = orthonormalize({ values: x, rows: 20, columns: 3 });
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) {
        let dot = 0;
        for (let i = 0; i < 20; i++) dot += q.values[i * 3 + a]! * q.values[i * 3 + b]!;
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 5);
      }
  });
});

const TEXTS = [
  'Vitamin D deficiency raises the risk of fractures in older adults.',
  'Calcium and vitamin D supplements reduce bone fractures.',
  'Bone density falls with age; fractures follow.',
  'Sleep loss impairs memory consolidation in students.',
  'Memory and sleep: the hippocampus replays the day.',
  'Students who sleep well remember more.',
  'Statins lower cholesterol and the risk of heart attacks.',
  'Cholesterol drugs such as statins cause muscle pain in some patients.',
  'Heart attacks are linked to high cholesterol.',
  'Muscle pain and weakness are side effects of statins.',
];

describe('Lsa', () => {
  const lsa = Lsa.fit(TEXTS, { dims: 4, seed: 3 });

  it('embeds into unit vectors of dims values', () => {
    expect(lsa.dims).toBe(4);
    const v = lsa.embed('vitamin fractures');
    expect(v.length).toBe(4);
    expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    expect([...lsa.embed('zzz qqq')]).toEqual([0, 0, 0, 0]);
  });

  it('folds a training document in onto its own row', () => {
    TEXTS.forEach((text, i) => {
      const folded = lsa.embed(text);
      const row = lsa.documentVectors![i]!;
      let cos = 0;
      for (let j = 0; j < lsa.dims; j++) cos += folded[j]! * row[j]!;
      expect(cos).toBeGreaterThan(0.9999);
    });
  });

  it('puts a query nearest to the documents of its topic', () => {
    const q = lsa.embed('statins cholesterol');
    const scores = lsa.documentVectors!.map((d) => d.reduce((sum, x, j) => sum + x * q[j]!, 0));
    const best = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!)[0]!;
    expect([6, 7, 8, 9]).toContain(best);
  });

  it('round-trips through bytes and rejects corrupt bytes by name', () => {
    const bytes = lsa.toBytes();
    const copy = Lsa.fromBytes(bytes);
    expect(copy.dims).toBe(4);
    expect([...copy.embed('sleep memory')]).toEqual([...lsa.embed('sleep memory')]);
    expect(copy.documentVectors).toBeNull();
    const flipped = bytes.slice();
    flipped[40] = flipped[40]! ^ 0xff;
    expect(() => Lsa.fromBytes(flipped)).toThrow(IndexSnapshotError);
    expect(() => Lsa.fromBytes(bytes.subarray(0, 10))).toThrow(IndexSnapshotError);
    expect(() => Lsa.fromBytes(bytes.subarray(0, bytes.length - 8))).toThrow(/checksum/);
  });

  it('refuses a corpus with no shared term', () => {
    expect(() => Lsa.fit(['alpha', 'beta'])).toThrow(RangeError);
  });
});
