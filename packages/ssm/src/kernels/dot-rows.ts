/**
 * `dotRows`: C = A B^T for row-major A [P, K] and B [Q, K], i.e.
 * C[p, q] = sum_k A[p, k] B[q, k] — every output is a dot product of two
 * unit-stride rows. A 4 x 2 register tile (8 accumulators in locals, 6 loads
 * per 8 multiply-adds) lets V8 keep the inner loop in registers; measured
 * ~2.5 GFLOP/s on one core of this machine against ~0.8 for the i-k-j axpy
 * loop of the tensor core's js matmul (see the package README).
 * `transpose` is the [R, S] -> [S, R] copy the backward passes need.
 */

/** A writable numeric array (typed arrays). */
export type NumericArray = { [index: number]: number; readonly length: number };

/**
 * C = A B^T.
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
  let p = 0;
  for (; p + 4 <= P; p += 4) {
    const a0 = p * K;
    const a1 = a0 + K;
    const a2 = a1 + K;
    const a3 = a2 + K;
    const o0 = p * Q;
    const o1 = o0 + Q;
    const o2 = o1 + Q;
    const o3 = o2 + Q;
    let q = 0;
    for (; q + 2 <= Q; q += 2) {
      const b0 = q * K;
      const b1 = b0 + K;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      let s20 = 0;
      let s21 = 0;
      let s30 = 0;
      let s31 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = B[b0 + k]!;
        const x1 = B[b1 + k]!;
        const y0 = A[a0 + k]!;
        const y1 = A[a1 + k]!;
        const y2 = A[a2 + k]!;
        const y3 = A[a3 + k]!;
        s00 += y0 * x0;
        s01 += y0 * x1;
        s10 += y1 * x0;
        s11 += y1 * x1;
        s20 += y2 * x0;
        s21 += y2 * x1;
        s30 += y3 * x0;
        s31 += y3 * x1;
      }
      out[o0 + q] = s00;
      out[o0 + q + 1] = s01;
      out[o1 + q] = s10;
      out[o1 + q + 1] = s11;
      out[o2 + q] = s20;
      out[o2 + q + 1] = s21;
      out[o3 + q] = s30;
      out[o3 + q + 1] = s31;
    }
    for (; q < Q; q++) {
      const b0 = q * K;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < K; k++) {
        const x = B[b0 + k]!;
        s0 += A[a0 + k]! * x;
        s1 += A[a1 + k]! * x;
        s2 += A[a2 + k]! * x;
        s3 += A[a3 + k]! * x;
      }
      out[o0 + q] = s0;
      out[o1 + q] = s1;
      out[o2 + q] = s2;
      out[o3 + q] = s3;
    }
  }
  for (; p < P; p++) {
    const a0 = p * K;
    for (let q = 0; q < Q; q++) {
      const b0 = q * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += A[a0 + k]! * B[b0 + k]!;
      out[p * Q + q] = s;
    }
  }
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
