/**
 * Causal linear attention as a running prefix sum (Katharopoulos et al. 2020,
 * "Transformers are RNNs", section 3.3 and appendix for the gradients).
 *
 * Shapes (flat row-major typed arrays; phiQ / phiK are the feature-mapped
 * queries and keys, all entries >= 0):
 *   phiQ [B, H, N, d], phiK [B, Hkv, M, d], v [B, Hkv, M, dv] -> out [B, H, N, dv]
 * Query i sits at position i + (M - N) and sees keys j <= i + (M - N).
 *
 * Forward, per (batch, kv head), keys in order with a state S [d, dv] and a
 * normalizer z [d]:
 *   S += phiK_j v_j^T;  z += phiK_j
 *   out_i = (phiQ_i^T S) / (phiQ_i . z + eps)       for the query at position j
 * O(M d dv) time, O(d dv) state. The query heads of a kv head share S and z.
 *
 * Backward with num_i = phiQ_i^T S_i, den_i = phiQ_i . z_i + eps:
 *   g_i = dOut_i / den_i,  s_i = -(dOut_i . out_i) / den_i
 *   dPhiQ_i = S_i g_i + s_i z_i                         (a forward sweep, recomputing S_i, z_i)
 *   R_j = sum_{i sees j} phiQ_i g_i^T,  r_j = sum_{i sees j} s_i phiQ_i
 *   dPhiK_j = R_j v_j + r_j,  dV_j = R_j^T phiK_j        (a reverse sweep)
 * O(M d dv) time and O(N dv + d dv) scratch: no sequence-length squared anywhere.
 */
import type { FloatArray } from './problem.js';
import { allocScratch, releaseScratch } from './scratch.js';

/** Sizes of a causal linear attention call. */
export interface LinearProblem {
  readonly batch: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly queries: number;
  readonly keys: number;
  readonly headDim: number;
  readonly valueDim: number;
  /** Added to the normalizer. */
  readonly eps: number;
}

/**
 * out = causal linear attention of the feature-mapped inputs.
 * @param problem - sizes
 * @param out - [B, H, N, dv], overwritten
 */
export function linearScanForward(
  problem: LinearProblem,
  phiQ: FloatArray,
  phiK: FloatArray,
  v: FloatArray,
  out: FloatArray,
): void {
  const {
    batch: B,
    heads: H,
    kvHeads: Hkv,
    queries: N,
    keys: M,
    headDim: d,
    valueDim: dv,
    eps,
  } = problem;
  const group = H / Hkv;
  const off = M - N;
  const S = allocScratch(d * dv);
  const z = allocScratch(d);
  try {
    out.fill(0);
    for (let b = 0; b < B; b++) {
      for (let g = 0; g < Hkv; g++) {
        S.fill(0);
        z.fill(0);
        const kv = (b * Hkv + g) * M;
        for (let j = 0; j < M; j++) {
          const kRow = (kv + j) * d;
          const vRow = (kv + j) * dv;
          for (let x = 0; x < d; x++) {
            const kx = phiK[kRow + x]!;
            z[x] = z[x]! + kx;
            const so = x * dv;
            for (let y = 0; y < dv; y++) S[so + y] = S[so + y]! + kx * v[vRow + y]!;
          }
          const i = j - off;
          if (i < 0 || i >= N) continue;
          for (let h = g * group; h < (g + 1) * group; h++) {
            const row = (b * H + h) * N + i;
            const qRow = row * d;
            const oRow = row * dv;
            let den = eps;
            for (let x = 0; x < d; x++) {
              const qx = phiQ[qRow + x]!;
              den += qx * z[x]!;
              const so = x * dv;
              for (let y = 0; y < dv; y++) out[oRow + y] = out[oRow + y]! + qx * S[so + y]!;
            }
            for (let y = 0; y < dv; y++) out[oRow + y] = out[oRow + y]! / den;
          }
        }
      }
    }
  } finally {
    releaseScratch(S, z);
  }
}

/** The gradients written by `linearScanBackward`. */
export interface LinearGradients {
  readonly dPhiQ: FloatArray;
  readonly dPhiK: FloatArray;
  readonly dV: FloatArray;
}

/**
 * Gradients of `linearScanForward` given dOut (see the file header).
 * @param out - the forward output
 * @param dOut - gradient of out [B, H, N, dv]
 * @param grads - where to write (overwritten)
 */
export function linearScanBackward(
  problem: LinearProblem,
  phiQ: FloatArray,
  phiK: FloatArray,
  v: FloatArray,
  out: FloatArray,
  dOut: FloatArray,
  grads: LinearGradients,
): void {
  const {
    batch: B,
    heads: H,
    kvHeads: Hkv,
    queries: N,
    keys: M,
    headDim: d,
    valueDim: dv,
    eps,
  } = problem;
  const group = H / Hkv;
  const off = M - N;
  const S = allocScratch(d * dv);
  const z = allocScratch(d);
  const gq = allocScratch(group * N * dv);
  const sq = allocScratch(group * N);
  try {
    grads.dPhiQ.fill(0);
    for (let b = 0; b < B; b++) {
      for (let g = 0; g < Hkv; g++) {
        const kv = (b * Hkv + g) * M;
        // forward sweep: recompute S_i, z_i; dPhiQ_i = S_i g_i + s_i z_i
        S.fill(0);
        z.fill(0);
        gq.fill(0);
        sq.fill(0);
        for (let j = 0; j < M; j++) {
          const kRow = (kv + j) * d;
          const vRow = (kv + j) * dv;
          for (let x = 0; x < d; x++) {
            const kx = phiK[kRow + x]!;
            z[x] = z[x]! + kx;
            const so = x * dv;
            for (let y = 0; y < dv; y++) S[so + y] = S[so + y]! + kx * v[vRow + y]!;
          }
          const i = j - off;
          if (i < 0 || i >= N) continue;
          for (let gi = 0; gi < group; gi++) {
            const row = (b * H + g * group + gi) * N + i;
            const qRow = row * d;
            const oRow = row * dv;
            let den = eps;
            for (let x = 0; x < d; x++) den += phiQ[qRow + x]! * z[x]!;
            let dotOut = 0;
            const gRow = (gi * N + i) * dv;
            for (let y = 0; y < dv; y++) {
              gq[gRow + y] = dOut[oRow + y]! / den;
              dotOut += dOut[oRow + y]! * out[oRow + y]!;
            }
            const s = -dotOut / den;
            sq[gi * N + i] = s;
            for (let x = 0; x < d; x++) {
              const so = x * dv;
              let acc = s * z[x]!;
              for (let y = 0; y < dv; y++) acc += S[so + y]! * gq[gRow + y]!;
              grads.dPhiQ[qRow + x] = acc;
            }
          }
        }
        // reverse sweep: R = sum phiQ_i g_i^T (in S), r = sum s_i phiQ_i (in z)
        S.fill(0);
        z.fill(0);
        for (let j = M - 1; j >= 0; j--) {
          const i = j - off;
          if (i >= 0 && i < N) {
            for (let gi = 0; gi < group; gi++) {
              const qRow = ((b * H + g * group + gi) * N + i) * d;
              const gRow = (gi * N + i) * dv;
              const s = sq[gi * N + i]!;
              for (let x = 0; x < d; x++) {
                const qx = phiQ[qRow + x]!;
                z[x] = z[x]! + s * qx;
                const so = x * dv;
                for (let y = 0; y < dv; y++) S[so + y] = S[so + y]! + qx * gq[gRow + y]!;
              }
            }
          }
          const kRow = (kv + j) * d;
          const vRow = (kv + j) * dv;
          for (let y = 0; y < dv; y++) grads.dV[vRow + y] = 0;
          for (let x = 0; x < d; x++) {
            const so = x * dv;
            const kx = phiK[kRow + x]!;
            let acc = z[x]!;
            for (let y = 0; y < dv; y++) {
              acc += S[so + y]! * v[vRow + y]!;
              grads.dV[vRow + y] = grads.dV[vRow + y]! + S[so + y]! * kx;
            }
            grads.dPhiK[kRow + x] = acc;
          }
        }
      }
    }
  } finally {
    releaseScratch(S, z, gq, sq);
  }
}
