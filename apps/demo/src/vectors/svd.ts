/**
 * Randomized truncated SVD of a sparse matrix (Halko, Martinsson and Tropp,
 * "Finding structure with randomness", SIAM Review 2011, algorithms 4.4 and
 * 5.1). Shapes: A is `[n, m]` (documents x terms, CSR), the sketch width is
 * `l = rank + oversampling`.
 *
 *   Y = A Ω                    Ω Gaussian [m, l]      (sparse x dense, plain TS over CSR)
 *   Q = orth(Y)                                        (block Gram-Schmidt, products on @x/tensor)
 *   repeat q times: Z = orth(Aᵀ Q), Q = orth(A Z)      (subspace / power iteration)
 *   Z = Aᵀ Q = Qz Rz           so B = Qᵀ A = Rzᵀ Qzᵀ   ([l, m])
 *   Rzᵀ = Ur Σ Wrᵀ             one-sided Jacobi SVD, float64, [l, l]
 *   U = Q Ur, V = Qz Wr        (@x/tensor), truncated to `rank` columns
 *
 * Re-orthonormalising after every product keeps the power iteration stable
 * in float32 (algorithm 4.4 rather than 4.3).
 */

import { type DenseMatrix, denseProduct } from './dense.js';
import type { CsrMatrix } from './tfidf.js';

/** Options of {@link randomizedSvd}. */
export interface RandomizedSvdOptions {
  /** Extra sketch columns `p` (Halko et al. section 4.2). @default 10 */
  oversampling?: number;
  /** Power iterations `q` (section 4.5). @default 2 */
  powerIterations?: number;
  /** Seed of the Gaussian sketch. @default 1 */
  seed?: number;
  /** Called after each of the fit's steps. */
  onProgress?: (done: number, total: number) => void;
}

/** A truncated SVD A ≈ U diag(s) Vᵀ. */
export interface TruncatedSvd {
  /** `[n, rank]` row-major, orthonormal columns. */
  u: DenseMatrix;
  /** `rank` singular values, decreasing. */
  s: Float64Array;
  /** `[m, rank]` row-major, orthonormal columns. */
  v: DenseMatrix;
}

/**
 * A seeded standard-normal stream (mulberry32 uniforms, Box-Muller).
 * @param seed - any integer
 * @returns a function returning the next N(0, 1) draw
 */
export function gaussianStream(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const out = spare;
      spare = undefined;
      return out;
    }
    const u1 = 1 - uniform();
    const u2 = uniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    spare = radius * Math.sin(2 * Math.PI * u2);
    return radius * Math.cos(2 * Math.PI * u2);
  };
}

/**
 * `A X` for a CSR `A` `[n, m]` and a dense row-major `X` `[m, l]`.
 * @param a - the sparse matrix
 * @param x - the dense matrix
 * @returns `[n, l]` row-major
 */
export function sparseTimesDense(a: CsrMatrix, x: DenseMatrix): DenseMatrix {
  const l = x.columns;
  const out = new Float32Array(a.rows * l);
  const acc = new Float64Array(l);
  for (let i = 0; i < a.rows; i++) {
    acc.fill(0);
    for (let p = a.rowStarts[i]!; p < a.rowStarts[i + 1]!; p++) {
      const w = a.values[p]!;
      const base = a.columnIndex[p]! * l;
      for (let c = 0; c < l; c++) acc[c]! += w * x.values[base + c]!;
    }
    out.set(acc, i * l);
  }
  return { values: out, rows: a.rows, columns: l };
}

/**
 * `Aᵀ X` for a CSR `A` `[n, m]` and a dense row-major `X` `[n, l]`.
 * @param a - the sparse matrix
 * @param x - the dense matrix
 * @returns `[m, l]` row-major
 */
export function sparseTransposeTimesDense(a: CsrMatrix, x: DenseMatrix): DenseMatrix {
  const l = x.columns;
  const out = new Float64Array(a.columns * l);
  for (let i = 0; i < a.rows; i++) {
    const rowBase = i * l;
    for (let p = a.rowStarts[i]!; p < a.rowStarts[i + 1]!; p++) {
      const w = a.values[p]!;
      const base = a.columnIndex[p]! * l;
      for (let c = 0; c < l; c++) out[base + c]! += w * x.values[rowBase + c]!;
    }
  }
  return { values: Float32Array.from(out), rows: a.columns, columns: l };
}

function transposed(x: DenseMatrix): DenseMatrix {
  const out = new Float32Array(x.values.length);
  for (let i = 0; i < x.rows; i++)
    for (let j = 0; j < x.columns; j++) out[j * x.rows + i] = x.values[i * x.columns + j]!;
  return { values: out, rows: x.columns, columns: x.rows };
}

/**
 * Orthonormal columns spanning those of `X` (`[m, l]`, `l <= m`): block
 * classical Gram-Schmidt run twice against the earlier blocks (products on
 * @x/tensor), modified Gram-Schmidt with reorthogonalisation inside a block
 * (float64). A column that is (numerically) in the span of the earlier ones
 * is replaced by a seeded random direction, so the result always has `l`
 * orthonormal columns.
 * @param x - the matrix, row-major
 * @param seed - seed of the replacement directions
 * @param blockSize - columns per block
 * @returns `Q`, `[m, l]` row-major
 */
export function orthonormalize(x: DenseMatrix, seed = 7, blockSize = 32): DenseMatrix {
  const m = x.rows;
  const l = x.columns;
  // columns as contiguous rows: qt is [l, m]
  const qt = transposed(x).values;
  const random = gaussianStream(seed);
  const column = (j: number) => qt.subarray(j * m, (j + 1) * m);
  for (let start = 0; start < l; start += blockSize) {
    const end = Math.min(l, start + blockSize);
    if (start > 0) {
      for (let pass = 0; pass < 2; pass++) {
        const previous = { values: qt.subarray(0, start * m), rows: start, columns: m };
        const block = { values: qt.subarray(start * m, end * m), rows: end - start, columns: m };
        const coefficients = denseProduct(previous, block, { transposeB: true }); // [start, b]
        const projection = denseProduct(coefficients, previous, { transposeA: true }); // [b, m]
        const target = qt.subarray(start * m, end * m);
        for (let i = 0; i < target.length; i++) target[i]! -= projection.values[i]!;
      }
    }
    for (let j = start; j < end; j++) {
      const v = column(j);
      const original = Math.sqrt(dot(v, v));
      let norm = original;
      for (let attempt = 0; attempt < 4; attempt++) {
        for (let pass = 0; pass < 2; pass++) {
          const from = attempt === 0 ? start : 0;
          for (let i = from; i < j; i++) {
            const u = column(i);
            const c = dot(u, v);
            for (let r = 0; r < m; r++) v[r]! -= c * u[r]!;
          }
        }
        norm = Math.sqrt(dot(v, v));
        if (norm > 1e-5 * Math.max(original, 1e-30) && norm > 1e-20) break;
        for (let r = 0; r < m; r++) v[r] = random();
        const fresh = Math.sqrt(dot(v, v));
        for (let r = 0; r < m; r++) v[r]! /= fresh;
        // the next attempt makes the random direction orthogonal to every earlier column
      }
      for (let r = 0; r < m; r++) v[r]! /= norm;
    }
  }
  return transposed({ values: qt, rows: l, columns: m });
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/**
 * SVD of a small square matrix by one-sided Jacobi rotations (Hestenes
 * 1958), in float64: columns of `M W` are rotated pairwise until orthogonal;
 * their norms are the singular values.
 * @param values - `[l, l]` row-major
 * @param l - the size
 * @returns `u` and `w` row-major `[l, l]` and `s`, sorted by decreasing `s`
 */
export function jacobiSvd(
  values: ArrayLike<number>,
  l: number,
): { u: Float64Array; s: Float64Array; w: Float64Array } {
  // work on columns: a[j] is column j of M, w[j] column j of W
  const a = Array.from({ length: l }, (_, j) =>
    Float64Array.from({ length: l }, (_, i) => values[i * l + j]!),
  );
  const w = Array.from({ length: l }, (_, j) => {
    const e = new Float64Array(l);
    e[j] = 1;
    return e;
  });
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < l - 1; p++) {
      for (let q = p + 1; q < l; q++) {
        const ap = a[p]!;
        const aq = a[q]!;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < l; i++) {
          alpha += ap[i]! * ap[i]!;
          beta += aq[i]! * aq[i]!;
          gamma += ap[i]! * aq[i]!;
        }
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (const pair of [a, w]) {
          const x = pair[p]!;
          const y = pair[q]!;
          for (let i = 0; i < l; i++) {
            const xi = x[i]!;
            const yi = y[i]!;
            x[i] = c * xi - s * yi;
            y[i] = s * xi + c * yi;
          }
        }
      }
    }
    if (!rotated) break;
  }
  const norms = a.map((col) => Math.sqrt(col.reduce((sum, x) => sum + x * x, 0)));
  const order = norms.map((_, j) => j).sort((x, y) => norms[y]! - norms[x]!);
  const u = new Float64Array(l * l);
  const wOut = new Float64Array(l * l);
  const s = new Float64Array(l);
  order.forEach((j, k) => {
    s[k] = norms[j]!;
    for (let i = 0; i < l; i++) {
      u[i * l + k] = norms[j]! > 0 ? a[j]![i]! / norms[j]! : i === k ? 1 : 0;
      wOut[i * l + k] = w[j]![i]!;
    }
  });
  return { u, s, w: wOut };
}

/**
 * The `rank` leading singular triplets of a sparse matrix, randomized.
 * @param a - `[n, m]` CSR
 * @param rank - how many triplets (clamped to `min(n, m)`)
 * @param options - oversampling, power iterations, seed, progress
 * @returns `U` `[n, rank]`, `s`, `V` `[m, rank]`
 * @throws RangeError for a non-positive rank or an empty matrix
 */
export function randomizedSvd(
  a: CsrMatrix,
  rank: number,
  options: RandomizedSvdOptions = {},
): TruncatedSvd {
  if (a.rows === 0 || a.columns === 0) throw new RangeError('randomizedSvd: empty matrix');
  if (!(Number.isInteger(rank) && rank > 0))
    throw new RangeError(`randomizedSvd: rank must be a positive integer, got ${rank}`);
  const k = Math.min(rank, a.rows, a.columns);
  const l = Math.min(k + (options.oversampling ?? 10), a.rows, a.columns);
  const q = options.powerIterations ?? 2;
  const total = 3 + 2 * q;
  let done = 0;
  const step = () => options.onProgress?.(++done, total);
  const random = gaussianStream(options.seed ?? 1);
  const omega = new Float32Array(a.columns * l);
  for (let i = 0; i < omega.length; i++) omega[i] = random();
  let basis = orthonormalize(sparseTimesDense(a, { values: omega, rows: a.columns, columns: l }));
  step();
  for (let iteration = 0; iteration < q; iteration++) {
    const z = orthonormalize(sparseTransposeTimesDense(a, basis));
    step();
    basis = orthonormalize(sparseTimesDense(a, z));
    step();
  }
  const z = sparseTransposeTimesDense(a, basis); // [m, l] = Bᵀ
  const qz = orthonormalize(z);
  step();
  const rz = denseProduct(qz, z, { transposeA: true }); // [l, l], Z = Qz Rz
  // B = Rzᵀ Qzᵀ: the SVD of Rzᵀ
  const rzT = new Float64Array(l * l);
  for (let i = 0; i < l; i++) for (let j = 0; j < l; j++) rzT[i * l + j] = rz.values[j * l + i]!;
  const small = jacobiSvd(rzT, l);
  const truncate = (m: Float64Array) => {
    const out = new Float32Array(l * k);
    for (let i = 0; i < l; i++) for (let j = 0; j < k; j++) out[i * k + j] = m[i * l + j]!;
    return { values: out, rows: l, columns: k };
  };
  const u = denseProduct(basis, truncate(small.u));
  const v = denseProduct(qz, truncate(small.w));
  step();
  return { u, s: small.s.slice(0, k), v };
}
