/**
 * Small dense float64 linear algebra for HiPPO discretization (state sizes of
 * tens to a few hundred): row-major `Matrix` values, products, an LU solve
 * with partial pivoting, and the matrix exponential by scaling and squaring
 * with a degree-13 Padé approximant (Higham 2005, "The scaling and squaring
 * method for the matrix exponential revisited", the algorithm behind
 * scipy.linalg.expm).
 */
import { SsmShapeError, SsmValueError } from '../errors.js';

/** A row-major float64 matrix. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/**
 * A matrix from rows of numbers.
 * @param rows - the rows, all of one length
 * @returns the matrix
 * @throws SsmShapeError for ragged rows
 * @example fromRows([[1, 2], [3, 4]]).data // Float64Array [1, 2, 3, 4]
 */
export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    if (row.length !== cols)
      throw new SsmShapeError('fromRows', `row ${i} has ${row.length} entries, expected ${cols}`, {
        row: [row.length],
      });
    data.set(row, i * cols);
  });
  return { rows: rows.length, cols, data };
}

/** The n x n identity. */
export function identity(n: number): Matrix {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return { rows: n, cols: n, data };
}

/** `a * s + b * t` elementwise (b optional). */
export function combine(a: Matrix, s: number, b?: Matrix, t = 0): Matrix {
  const data = new Float64Array(a.data.length);
  for (let i = 0; i < data.length; i++) data[i] = a.data[i]! * s + (b ? b.data[i]! * t : 0);
  return { rows: a.rows, cols: a.cols, data };
}

/**
 * The product `a b`.
 * @throws SsmShapeError when the inner sizes differ
 */
export function matmul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows)
    throw new SsmShapeError('matmul', `inner sizes differ: ${a.cols} and ${b.rows}`, {
      a: [a.rows, a.cols],
      b: [b.rows, b.cols],
    });
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < b.cols; j++) out[i * b.cols + j]! += aik * b.data[k * b.cols + j]!;
    }
  }
  return { rows: a.rows, cols: b.cols, data: out };
}

/**
 * Solves `a x = b` for x by LU decomposition with partial pivoting.
 * @param a - square n x n
 * @param b - n x m right-hand sides
 * @returns x, n x m
 * @throws SsmShapeError for mismatched sizes; SsmValueError when a is singular
 */
export function solve(a: Matrix, b: Matrix): Matrix {
  const n = a.rows;
  if (a.cols !== n || b.rows !== n)
    throw new SsmShapeError('solve', `needs a square a and b with ${n} rows`, {
      a: [a.rows, a.cols],
      b: [b.rows, b.cols],
    });
  const m = b.cols;
  const lu = Float64Array.from(a.data);
  const x = Float64Array.from(b.data);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(lu[r * n + col]!) > Math.abs(lu[pivot * n + col]!)) pivot = r;
    const p = lu[pivot * n + col]!;
    if (p === 0 || !Number.isFinite(p))
      throw new SsmValueError('solve', 'a', `matrix is singular at column ${col}`, p);
    if (pivot !== col) {
      for (let j = 0; j < n; j++) {
        const t = lu[col * n + j]!;
        lu[col * n + j] = lu[pivot * n + j]!;
        lu[pivot * n + j] = t;
      }
      for (let j = 0; j < m; j++) {
        const t = x[col * m + j]!;
        x[col * m + j] = x[pivot * m + j]!;
        x[pivot * m + j] = t;
      }
    }
    for (let r = col + 1; r < n; r++) {
      const f = lu[r * n + col]! / p;
      if (f === 0) continue;
      for (let j = col; j < n; j++) lu[r * n + j]! -= f * lu[col * n + j]!;
      for (let j = 0; j < m; j++) x[r * m + j]! -= f * x[col * m + j]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    const d = lu[r * n + r]!;
    for (let j = 0; j < m; j++) {
      let s = x[r * m + j]!;
      for (let k = r + 1; k < n; k++) s -= lu[r * n + k]! * x[k * m + j]!;
      x[r * m + j] = s / d;
    }
  }
  return { rows: n, cols: m, data: x };
}

/** The 1-norm (largest column sum of absolute values). */
export function norm1(a: Matrix): number {
  let best = 0;
  for (let j = 0; j < a.cols; j++) {
    let s = 0;
    for (let i = 0; i < a.rows; i++) s += Math.abs(a.data[i * a.cols + j]!);
    best = Math.max(best, s);
  }
  return best;
}

const PADE13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
  10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];

/**
 * The matrix exponential `exp(a)`: scaling and squaring with a Padé(13, 13)
 * approximant, as Higham (2005) with theta_13 = 5.37.
 * @throws SsmShapeError for a non-square matrix; SsmValueError for non-finite entries
 * @example expm(fromRows([[0, 1], [0, 0]])).data // Float64Array [1, 1, 0, 1]
 */
export function expm(a: Matrix): Matrix {
  const n = a.rows;
  if (a.cols !== n)
    throw new SsmShapeError('expm', `needs a square matrix, got ${a.rows} x ${a.cols}`, {
      a: [a.rows, a.cols],
    });
  const norm = norm1(a);
  if (!Number.isFinite(norm))
    throw new SsmValueError('expm', 'a', 'matrix has non-finite entries', norm);
  const squarings = norm > 5.37 ? Math.ceil(Math.log2(norm / 5.37)) : 0;
  const s = combine(a, 2 ** -squarings);
  const i = identity(n);
  const a2 = matmul(s, s);
  const a4 = matmul(a2, a2);
  const a6 = matmul(a4, a2);
  const b = PADE13;
  const uInner = matmul(a6, combine(combine(a6, b[13]!, a4, b[11]!), 1, a2, b[9]!));
  const uOuter = combine(
    combine(combine(uInner, 1, a6, b[7]!), 1, a4, b[5]!),
    1,
    combine(a2, b[3]!, i, b[1]!),
    1,
  );
  const u = matmul(s, uOuter);
  const vInner = matmul(a6, combine(combine(a6, b[12]!, a4, b[10]!), 1, a2, b[8]!));
  const v = combine(
    combine(combine(vInner, 1, a6, b[6]!), 1, a4, b[4]!),
    1,
    combine(a2, b[2]!, i, b[0]!),
    1,
  );
  let r = solve(combine(v, 1, u, -1), combine(v, 1, u, 1));
  for (let k = 0; k < squarings; k++) r = matmul(r, r);
  return r;
}
