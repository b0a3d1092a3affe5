/**
 * FlashAttention forward pass over typed arrays (the js reference kernel).
 *
 * Shapes: see `problem.ts` (q [B,H,N,d], k [B,Hkv,M,d], v [B,Hkv,M,dv] ->
 * out [B,H,N,dv], lse [B,H,N]).
 *
 * Algorithm (Dao 2023, "FlashAttention-2", Algorithm 1; Dao et al. 2022):
 * for each (batch, head) and each block of Br query rows, the kernel keeps a
 * running row max m, a running sum l and an unnormalized output tile
 * O [Br, dv] (float64), and walks the key blocks of the tile plan:
 *
 *   S     = scale * Q_i K_j^T (+ ALiBi bias; -inf where not allowed)   [Br, Bc]
 *   m'    = max(m, rowmax S);  P = exp(S - m');  alpha = exp(m - m')
 *   l     = alpha * l + rowsum P
 *   O     = alpha * O + dropout(P) V_j
 *
 * and finally writes out = O / l and lse = m + log l. The two products are
 * @x/tensor's `gemm` (the js backend's blocked matmul, float64 sums) reading
 * q, k and v in place through strides (K^T is k read with strides (1, d)).
 * Only tiles of Br x Bc scores ever exist: no N x M buffer. Scratch memory
 * per call is O(Br (Bc + dv)), counted by `scratch.ts`. A fully masked
 * row keeps m = -inf and l = 0 and is written as zeros with lse = -inf.
 * Tiles above the causal diagonal are not visited at all (see `tile-plan.ts`).
 */
import { gemm } from '@x/tensor';
import { dropoutUniform } from './dropout-hash.js';
import type { AttentionProblem, FloatArray } from './problem.js';
import { allocScratch, releaseScratch } from './scratch.js';
import { allowedFn, flashSetup } from './tile-plan.js';

/**
 * Runs the forward pass, writing `out` and `lse`.
 * @param problem - sizes and rules of the call
 * @param q - queries [B, H, N, d]
 * @param k - keys [B, Hkv, M, d]
 * @param v - values [B, Hkv, M, dv]
 * @param out - output [B, H, N, dv] (overwritten)
 * @param lse - log-sum-exp per row [B, H, N] (overwritten)
 */
export function flashForward(
  problem: AttentionProblem,
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  out: FloatArray,
  lse: FloatArray,
): void {
  const { batch: B, heads: H, kvHeads: Hkv, queries: N, keys: M } = problem;
  const { headDim: d, valueDim: dv, scale, blockQuery: Br, blockKey: Bc } = problem;
  const { group, off, simpleCausal, dropout, keepScale, planFor } = flashSetup(problem);

  const S = allocScratch(Br * Bc);
  const O = allocScratch(Br * dv);
  const rowMax = allocScratch(Br);
  const rowSum = allocScratch(Br);
  try {
    for (let b = 0; b < B; b++) {
      for (let g = 0; g < Hkv; g++) {
        const kvBase = (b * Hkv + g) * M;
        for (let h = g * group; h < (g + 1) * group; h++) {
          const bh = b * H + h;
          const plan = planFor(b, h);
          const allowed = simpleCausal ? null : allowedFn(problem, b, h);
          const slope = problem.alibiSlopes === null ? 0 : problem.alibiSlopes[h]!;
          for (let qb = 0; qb + 1 < plan.start.length; qb++) {
            const i0 = qb * Br;
            const rows = Math.min(N, i0 + Br) - i0;
            const qRows = { data: q, offset: (bh * N + i0) * d, rowStride: d };
            rowMax.fill(Number.NEGATIVE_INFINITY);
            rowSum.fill(0);
            O.fill(0);
            for (let e = plan.start[qb]!; e < plan.start[qb + 1]!; e++) {
              const j0 = plan.block[e]! * Bc;
              const cols = Math.min(M, j0 + Bc) - j0;
              // S = scale Q_i K_j^T (K^T: k's rows read with strides (1, d))
              gemm({
                m: rows,
                n: cols,
                k: d,
                a: qRows,
                b: { data: k, offset: (kvBase + j0) * d, rowStride: 1, colStride: d },
                c: { data: S, rowStride: Bc },
                alpha: scale,
              });
              for (let r = 0; r < rows; r++) {
                const so = r * Bc;
                const p = i0 + r + off;
                if (slope !== 0) {
                  for (let c = 0; c < cols; c++)
                    S[so + c] = S[so + c]! - slope * Math.abs(p - j0 - c);
                }
                // columns [valid, cols) are past the causal diagonal: weight 0, no exp
                let valid = cols;
                if (plan.partial[e] === 1) {
                  if (allowed === null) valid = Math.min(cols, Math.max(0, p + 1 - j0));
                  else {
                    for (let c = 0; c < cols; c++) {
                      if (!allowed(i0 + r, j0 + c)) S[so + c] = Number.NEGATIVE_INFINITY;
                    }
                  }
                }
                if (!onlineSoftmaxRow(S, so, valid, cols, r, rowMax, rowSum, O, dv)) continue;
                if (dropout > 0) {
                  for (let c = 0; c < cols; c++) {
                    const keep = dropoutUniform(problem.dropoutSeed, bh, i0 + r, j0 + c) >= dropout;
                    S[so + c] = keep ? S[so + c]! * keepScale : 0;
                  }
                }
              }
              // O += P V_j
              gemm({
                m: rows,
                n: dv,
                k: cols,
                a: { data: S, rowStride: Bc },
                b: { data: v, offset: (kvBase + j0) * dv, rowStride: dv },
                c: { data: O, rowStride: dv },
                accumulate: true,
              });
            }
            for (let r = 0; r < rows; r++) {
              const row = bh * N + i0 + r;
              const l = rowSum[r]!;
              lse[row] = l > 0 ? rowMax[r]! + Math.log(l) : Number.NEGATIVE_INFINITY;
              const inv = l > 0 ? 1 / l : 0;
              for (let x = 0; x < dv; x++) out[row * dv + x] = O[r * dv + x]! * inv;
            }
          }
        }
      }
    }
  } finally {
    releaseScratch(S, O, rowMax, rowSum);
  }
}

/**
 * One row of the online softmax on a score tile: folds S[so, so + valid) into
 * the running max m = rowMax[r] and sum l = rowSum[r], rescales the output
 * row O[r] by exp(m_old - m_new), and overwrites the scores with
 * exp(S - m_new) (zeros in [valid, cols)).
 * @returns false when the row has no finite score yet (its weights are all zero)
 */
function onlineSoftmaxRow(
  S: Float64Array,
  so: number,
  valid: number,
  cols: number,
  r: number,
  rowMax: Float64Array,
  rowSum: Float64Array,
  O: Float64Array,
  dv: number,
): boolean {
  let max = rowMax[r]!;
  for (let c = 0; c < valid; c++) if (S[so + c]! > max) max = S[so + c]!;
  if (max === Number.NEGATIVE_INFINITY) {
    S.fill(0, so, so + cols);
    return false;
  }
  const alpha = Math.exp(rowMax[r]! - max);
  rowMax[r] = max;
  let sum = 0;
  for (let c = 0; c < valid; c++) {
    const weight = Math.exp(S[so + c]! - max);
    S[so + c] = weight;
    sum += weight;
  }
  if (valid < cols) S.fill(0, so + valid, so + cols);
  rowSum[r] = rowSum[r]! * alpha + sum;
  if (alpha !== 1) {
    const oo = r * dv;
    for (let x = 0; x < dv; x++) O[oo + x] = O[oo + x]! * alpha;
  }
  return true;
}
