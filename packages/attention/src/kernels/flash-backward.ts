/**
 * FlashAttention backward pass over typed arrays (the js reference kernel).
 *
 * Shapes: see `problem.ts`; in addition dOut [B,H,N,dv] (the gradient of
 * out) and the results dq [B,H,N,d], dk [B,Hkv,M,d], dv [B,Hkv,M,dv].
 *
 * Algorithm (Dao 2023, "FlashAttention-2", Algorithm 2): nothing of the
 * forward pass is stored but out and the log-sum-exp L of each row. With
 * D_i = rowsum(dO_i * O_i) precomputed per head, the kernel walks key blocks
 * outermost (so dK_j and dV_j accumulate in place) and, for each, the query
 * blocks of the transposed tile plan, recomputing the tile:
 *
 *   S   = scale * Q_i K_j^T (+ ALiBi; -inf where not allowed)       [Br, Bc]
 *   P   = exp(S - L_i)                    (exact softmax weights; 0 if L_i = -inf)
 *   Pd  = P * Z / (1 - p)                 (Z: the dropout keep mask, regenerated)
 *   dV_j += Pd^T dO_i
 *   dPd = dO_i V_j^T;   dP = dPd * Z / (1 - p)
 *   dS  = P * (dP - D_i)
 *   dQ_i += scale * dS K_j;   dK_j += scale * dS^T Q_i
 *
 * Grouped-query heads: the query heads of one kv head run one after another
 * and add into the same dK / dV accumulators. Every product is @x/tensor's
 * `gemm` (the js backend's blocked matmul, float64 sums) reading q, k, v, dO
 * and the tiles in place through strides (a transpose is a swap of strides;
 * the matmul packs its operands). Scratch memory is O((N + M)(d + dv) + Br Bc)
 * float64 accumulators: no N x M buffer, as in the forward pass.
 */
import { gemm } from '@x/tensor';
import { dropoutUniform } from './dropout-hash.js';
import type { AttentionProblem, FloatArray } from './problem.js';
import { allocScratch, releaseScratch } from './scratch.js';
import { allowedFn, flashSetup, transposeTilePlan } from './tile-plan.js';

/** The gradients written by `flashBackward`. */
export interface FlashGradients {
  /** dL/dq [B, H, N, d] (overwritten). */
  readonly dq: FloatArray;
  /** dL/dk [B, Hkv, M, d] (overwritten). */
  readonly dk: FloatArray;
  /** dL/dv [B, Hkv, M, dv] (overwritten). */
  readonly dv: FloatArray;
}

/**
 * Runs the backward pass by recomputation.
 * @param problem - the same problem the forward pass ran
 * @param q - queries [B, H, N, d]
 * @param k - keys [B, Hkv, M, d]
 * @param v - values [B, Hkv, M, dv]
 * @param out - the forward output [B, H, N, dv]
 * @param lse - the forward log-sum-exp [B, H, N]
 * @param dOut - gradient of out [B, H, N, dv]
 * @param grads - where to write dq, dk, dv
 */
export function flashBackward(
  problem: AttentionProblem,
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  out: FloatArray,
  lse: FloatArray,
  dOut: FloatArray,
  grads: FlashGradients,
): void {
  const { batch: B, heads: H, kvHeads: Hkv, queries: N, keys: M } = problem;
  const { headDim: d, valueDim: dvDim, scale, blockQuery: Br, blockKey: Bc } = problem;
  const keyBlocks = Math.ceil(M / Bc);
  const { group, off, simpleCausal, dropout, keepScale, planFor } = flashSetup(problem);

  const dK = allocScratch(M * d);
  const dV = allocScratch(M * dvDim);
  const dQ = allocScratch(N * d);
  const D = allocScratch(N);
  const L = allocScratch(N);
  const P = allocScratch(Br * Bc);
  const Pd = dropout > 0 ? allocScratch(Br * Bc) : P;
  const dS = allocScratch(Br * Bc);
  try {
    for (let b = 0; b < B; b++) {
      for (let g = 0; g < Hkv; g++) {
        const kvBase = (b * Hkv + g) * M;
        dK.fill(0);
        dV.fill(0);
        for (let h = g * group; h < (g + 1) * group; h++) {
          const bh = b * H + h;
          const qBase = bh * N;
          L.set(lse.subarray(qBase, qBase + N));
          for (let i = 0; i < N; i++) {
            let dot = 0;
            const row = (qBase + i) * dvDim;
            for (let x = 0; x < dvDim; x++) dot += dOut[row + x]! * out[row + x]!;
            D[i] = dot;
          }
          dQ.fill(0);
          const plan = transposeTilePlan(planFor(b, h), keyBlocks);
          const allowed = simpleCausal ? null : allowedFn(problem, b, h);
          const slope = problem.alibiSlopes === null ? 0 : problem.alibiSlopes[h]!;
          for (let kb = 0; kb < keyBlocks; kb++) {
            const j0 = kb * Bc;
            const cols = Math.min(M, j0 + Bc) - j0;
            for (let e = plan.start[kb]!; e < plan.start[kb + 1]!; e++) {
              const i0 = plan.block[e]! * Br;
              const rows = Math.min(N, i0 + Br) - i0;
              const qRows = { data: q, offset: (qBase + i0) * d, rowStride: d };
              const dORows = { data: dOut, offset: (qBase + i0) * dvDim, rowStride: dvDim };
              // S = scale Q_i K_j^T
              gemm({
                m: rows,
                n: cols,
                k: d,
                a: qRows,
                b: { data: k, offset: (kvBase + j0) * d, rowStride: 1, colStride: d },
                c: { data: P, rowStride: Bc },
                alpha: scale,
              });
              for (let r = 0; r < rows; r++) {
                const so = r * Bc;
                const i = i0 + r;
                const p = i + off;
                const li = L[i]!;
                if (li === Number.NEGATIVE_INFINITY) {
                  P.fill(0, so, so + cols);
                  if (Pd !== P) Pd.fill(0, so, so + cols);
                  continue;
                }
                if (slope !== 0) {
                  for (let c = 0; c < cols; c++)
                    P[so + c] = P[so + c]! - slope * Math.abs(p - j0 - c);
                }
                const partial = plan.partial[e] === 1;
                for (let c = 0; c < cols; c++) {
                  const masked = partial && (allowed === null ? j0 + c > p : !allowed(i, j0 + c));
                  P[so + c] = masked ? 0 : Math.exp(P[so + c]! - li);
                }
                if (Pd !== P) {
                  for (let c = 0; c < cols; c++) {
                    const keep = dropoutUniform(problem.dropoutSeed, bh, i, j0 + c) >= dropout;
                    Pd[so + c] = keep ? P[so + c]! * keepScale : 0;
                  }
                }
              }
              // dV_j += Pd^T dO_i (Pd^T: the tile read with strides (1, Bc))
              gemm({
                m: cols,
                n: dvDim,
                k: rows,
                a: { data: Pd, rowStride: 1, colStride: Bc },
                b: dORows,
                c: { data: dV, offset: j0 * dvDim, rowStride: dvDim },
                accumulate: true,
              });
              // dPd = dO_i V_j^T, then dS = P * (dP - D)
              gemm({
                m: rows,
                n: cols,
                k: dvDim,
                a: dORows,
                b: { data: v, offset: (kvBase + j0) * dvDim, rowStride: 1, colStride: dvDim },
                c: { data: dS, rowStride: Bc },
              });
              for (let r = 0; r < rows; r++) {
                const so = r * Bc;
                const i = i0 + r;
                const Di = D[i]!;
                if (Pd === P) {
                  for (let c = 0; c < cols; c++) dS[so + c] = P[so + c]! * (dS[so + c]! - Di);
                } else {
                  for (let c = 0; c < cols; c++) {
                    const z = Pd[so + c] !== 0 || P[so + c] === 0 ? keepScale : 0;
                    dS[so + c] = P[so + c]! * (dS[so + c]! * z - Di);
                  }
                }
              }
              // dQ_i += scale dS K_j;  dK_j += scale dS^T Q_i
              gemm({
                m: rows,
                n: d,
                k: cols,
                a: { data: dS, rowStride: Bc },
                b: { data: k, offset: (kvBase + j0) * d, rowStride: d },
                c: { data: dQ, offset: i0 * d, rowStride: d },
                alpha: scale,
                accumulate: true,
              });
              gemm({
                m: cols,
                n: d,
                k: rows,
                a: { data: dS, rowStride: 1, colStride: Bc },
                b: qRows,
                c: { data: dK, offset: j0 * d, rowStride: d },
                alpha: scale,
                accumulate: true,
              });
            }
          }
          grads.dq.set(dQ, qBase * d);
        }
        grads.dk.set(dK, kvBase * d);
        grads.dv.set(dV, kvBase * dvDim);
      }
    }
  } finally {
    releaseScratch(dK, dV, dQ, D, L, P, dS);
    if (Pd !== P) releaseScratch(Pd);
  }
}
