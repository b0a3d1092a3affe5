/**
 * The one dense tile product every attention kernel is built from.
 *
 * Shapes (all Float64Array, row-major with explicit row strides):
 *   A: [rows, depth] at aOffset, row stride aStride
 *   B: [cols, depth] at bOffset, row stride bStride   (B is read as B^T)
 *   C: [rows, cols]  at cOffset, row stride cStride
 * Computes C = alpha * A B^T, or C += alpha * A B^T when `accumulate`.
 *
 * Algorithm: "NT" form, so both operands are walked along contiguous rows:
 * each output element is a dot product of a row of A and a row of B. A 4 x 2
 * register block (4 rows of A against 2 rows of B, 8 accumulators, 6 loads
 * per 8 multiply-adds) keeps the scalar JS inner loop near the load-port
 * limit; V8 keeps the accumulators in registers. Callers arrange operands
 * (transposed copies of V, dO, Q, K per head) so every product in the
 * FlashAttention forward and backward passes has this form. A wasm SIMD or
 * GPU backend replaces exactly this routine plus the elementwise passes.
 *
 * Edge tiles: a trailing group of fewer than 4 rows (or 1 column) reuses the
 * last valid row pointer and skips the extra writes, so any rows / cols work.
 *
 * Causal diagonal tiles: with `colLimit`, row r needs only columns
 * c < colLimit + r, and the 4-row group starting at r stops at colLimit + r + 3
 * (entries beyond are left unwritten: the caller masks them); with
 * `depthLimit`, row r's operand A is zero from t = depthLimit + r on (the
 * weights past the diagonal), so the contraction stops there.
 */

/** The default of `colLimit` / `depthLimit`: no limit (a large integer keeps the loop bounds int32). */
export const NO_LIMIT = 2 ** 30;

/**
 * C (+)= alpha * A B^T on row-major Float64Array tiles (see the file header).
 * @param rows - rows of A and C
 * @param cols - rows of B, columns of C
 * @param depth - the contracted extent
 * @param colLimit - row r needs columns c < colLimit + r only (causal diagonal tiles)
 * @param depthLimit - row r of A is zero from t = depthLimit + r on (causal diagonal tiles)
 */
export function gemmNT(
  A: Float64Array,
  aOffset: number,
  aStride: number,
  B: Float64Array,
  bOffset: number,
  bStride: number,
  C: Float64Array,
  cOffset: number,
  cStride: number,
  rows: number,
  cols: number,
  depth: number,
  alpha: number,
  accumulate: boolean,
  colLimit = NO_LIMIT,
  depthLimit = NO_LIMIT,
): void {
  for (let r = 0; r < rows; r += 4) {
    const colEnd = Math.min(cols, colLimit + r + 3);
    const depthEnd = Math.min(depth, depthLimit + r + 3);
    const has1 = r + 1 < rows;
    const has2 = r + 2 < rows;
    const has3 = r + 3 < rows;
    const a0 = aOffset + r * aStride;
    const a1 = has1 ? a0 + aStride : a0;
    const a2 = has2 ? a0 + 2 * aStride : a0;
    const a3 = has3 ? a0 + 3 * aStride : a0;
    const c0 = cOffset + r * cStride;
    for (let c = 0; c < colEnd; c += 2) {
      const hasY = c + 1 < cols;
      const bx = bOffset + c * bStride;
      const by = hasY ? bx + bStride : bx;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      for (let t = 0; t < depthEnd; t++) {
        const x = B[bx + t]!;
        const y = B[by + t]!;
        const p = A[a0 + t]!;
        const q = A[a1 + t]!;
        const u = A[a2 + t]!;
        const w = A[a3 + t]!;
        s0 += p * x;
        s1 += q * x;
        s2 += u * x;
        s3 += w * x;
        t0 += p * y;
        t1 += q * y;
        t2 += u * y;
        t3 += w * y;
      }
      const o = c0 + c;
      if (accumulate) {
        C[o] = C[o]! + alpha * s0;
        if (hasY) C[o + 1] = C[o + 1]! + alpha * t0;
        if (has1) {
          C[o + cStride] = C[o + cStride]! + alpha * s1;
          if (hasY) C[o + cStride + 1] = C[o + cStride + 1]! + alpha * t1;
        }
        if (has2) {
          C[o + 2 * cStride] = C[o + 2 * cStride]! + alpha * s2;
          if (hasY) C[o + 2 * cStride + 1] = C[o + 2 * cStride + 1]! + alpha * t2;
        }
        if (has3) {
          C[o + 3 * cStride] = C[o + 3 * cStride]! + alpha * s3;
          if (hasY) C[o + 3 * cStride + 1] = C[o + 3 * cStride + 1]! + alpha * t3;
        }
      } else {
        C[o] = alpha * s0;
        if (hasY) C[o + 1] = alpha * t0;
        if (has1) {
          C[o + cStride] = alpha * s1;
          if (hasY) C[o + cStride + 1] = alpha * t1;
        }
        if (has2) {
          C[o + 2 * cStride] = alpha * s2;
          if (hasY) C[o + 2 * cStride + 1] = alpha * t2;
        }
        if (has3) {
          C[o + 3 * cStride] = alpha * s3;
          if (hasY) C[o + 3 * cStride + 1] = alpha * t3;
        }
      }
    }
  }
}

/**
 * Writes the transpose of a [rows, cols] tile: out[c * outStride + r] = src[r * srcStride + c].
 * @param rows - rows of the source tile
 * @param cols - columns of the source tile
 */
export function transposeTile(
  src: Float64Array,
  srcOffset: number,
  srcStride: number,
  out: Float64Array,
  outOffset: number,
  outStride: number,
  rows: number,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    const s = srcOffset + r * srcStride;
    for (let c = 0; c < cols; c++) out[outOffset + c * outStride + r] = src[s + c]!;
  }
}

/**
 * Copies a row-major [rows, cols] slice of a float array into block-transposed
 * float64 form: for each block b of `block` rows, out[(b * cols + c) * block + r]
 * = src[offset + (b * block + r) * cols + c]. Each block is a contiguous
 * [cols, block] tile, the "B" operand layout of `gemmNT` at stride `block`.
 * Rows past the end of the last block are left zero.
 * @param rows - rows of the source slice
 * @param cols - columns of the source slice
 * @param block - rows per block
 */
export function transposeBlocks(
  src: Float32Array | Float64Array,
  offset: number,
  rows: number,
  cols: number,
  block: number,
  out: Float64Array,
): void {
  for (let r = 0; r < rows; r++) {
    const b = Math.floor(r / block);
    const base = b * cols * block + (r - b * block);
    const s = offset + r * cols;
    for (let c = 0; c < cols; c++) out[base + c * block] = src[s + c]!;
  }
}
