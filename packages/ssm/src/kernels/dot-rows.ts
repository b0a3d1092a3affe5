/**
 * `dotRows` (deprecated: use `gemm` from @x/tensor) and `transposeArray`.
 * `dotRows` was this package's register-tiled A B^T from before the core's
 * js matmul was blocked; it is now a call of the core's `gemm` with B read
 * through transposed strides, kept so existing imports work.
 */
import { gemm } from '@x/tensor';

/** A writable numeric array (typed arrays). */
export type NumericArray = { [index: number]: number; readonly length: number };

/**
 * C = A B^T, i.e. C[p, q] = sum_k A[p, k] B[q, k].
 * @deprecated Use `gemm` from @x/tensor (`b: { data: B, rowStride: 1, colStride: K }`).
 * @param A - [P, K] row-major
 * @param B - [Q, K] row-major
 * @param P - rows of A
 * @param Q - rows of B
 * @param K - shared row length
 * @param out - [P, Q] row-major, overwritten
 * @returns out
 * @example dotRows([1, 2, 3, 4], [1, 1], 2, 1, 2, new Float64Array(2)) // [3, 7]
 */
export function dotRows(
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  P: number,
  Q: number,
  K: number,
  out: NumericArray,
): NumericArray {
  gemm({
    m: P,
    n: Q,
    k: K,
    a: { data: A, rowStride: K },
    b: { data: B, rowStride: 1, colStride: K },
    c: { data: out, rowStride: Q },
  });
  return out;
}

/**
 * The transpose of a row-major [R, S] array, as a new [S, R] array of the same type.
 * @param x - [R, S]
 * @param R - rows
 * @param S - columns
 * @returns [S, R]
 */
export function transposeArray<T extends Float32Array | Float64Array>(
  x: T,
  R: number,
  S: number,
): T {
  const out = new (x.constructor as new (n: number) => T)(R * S);
  const tile = 32;
  for (let r0 = 0; r0 < R; r0 += tile) {
    const r1 = Math.min(r0 + tile, R);
    for (let s0 = 0; s0 < S; s0 += tile) {
      const s1 = Math.min(s0 + tile, S);
      for (let r = r0; r < r1; r++) for (let s = s0; s < s1; s++) out[s * R + r] = x[r * S + s]!;
    }
  }
  return out;
}
