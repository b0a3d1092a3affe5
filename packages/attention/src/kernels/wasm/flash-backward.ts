/**
 * FlashAttention backward pass on the WebAssembly SIMD module (float32).
 *
 * Shapes: see `problem.ts` and `../flash-backward.ts` (dOut [B,H,N,dv] ->
 * dq [B,H,N,d], dk [B,Hkv,M,d], dv [B,Hkv,M,dv]).
 *
 * Algorithm: FlashAttention-2 Algorithm 2 as in the js kernel (key blocks
 * outermost, tiles recomputed from q, k, v and the log-sum-exp L, with
 * D_i = rowsum(dO_i * O_i)), but on *transposed* tiles, so that every
 * product has the `gemm` form C (+)= A B with B read as vector rows and no
 * tile is ever transposed:
 *
 *   S^T  = scale * K_j Q_i^T                  A = K rows,  B = Qt block
 *   P^T  = exp(S^T - L_i)  (exp_rows)         L varies along the row
 *   dV_j += P^T dO_i                          B = dO rows
 *   dP^T = V_j dO_i^T                         B = dOt block
 *   dS^T = P^T * (dP^T - D_i)  (ds_rows)
 *   dK_j += scale * dS^T Q_i                  B = Q rows
 *   dQ_i^T += scale * K_j^T dS^T              A = Kt block, C = dQt block
 *
 * Layout in the module's memory (written once per kv head / query head):
 * K [M + 4, d], Kt [M / Bc][d4, Bc8], V [M + 4, dv], dK [M + 4, d8],
 * dV [M + 4, dv8]; per query head Q [N, d8], Qt [N / Br][d, Br8],
 * dO [N, dv8], dOt [N / Br][dv, Br8], dQt [N / Br][d4, Br8], L and D; tiles
 * P, dP (and Pd with dropout) [Bc4, Br8]. x8 / x4: rounded up, zero-padded.
 * Fully masked rows (L = -inf) are stored as L = +inf, so their weights are
 * exp(-inf) = 0. ALiBi, masks, patterns and dropout run in JS on tile views.
 */
import { dropoutUniform } from '../dropout-hash.js';
import { type FlashGradients, flashBackward as jsFlashBackward } from '../flash-backward.js';
import { NO_LIMIT } from '../gemm-nt.js';
import type { AttentionProblem, FloatArray } from '../problem.js';
import { holdScratchBytes } from '../scratch.js';
import { allowedFn, flashSetup, transposeTilePlan } from '../tile-plan.js';
import { attentionWasm, roundUp, WasmLayout } from './module.js';

/** heap[base + (block(i) * rowsPerBlock + x) * width + (i mod block)] = src[offset + i * cols + x] */
function storeBlocksTransposed(
  heap: Float32Array,
  base: number,
  src: FloatArray,
  offset: number,
  n: number,
  cols: number,
  block: number,
  rowsPerBlock: number,
  width: number,
): void {
  for (let i = 0; i < n; i++) {
    const bi = Math.floor(i / block);
    const at = base + bi * rowsPerBlock * width + (i - bi * block);
    const from = offset + i * cols;
    for (let x = 0; x < cols; x++) heap[at + x * width] = src[from + x]!;
  }
}

/** heap rows of `width` floats from `n` source rows of `cols` floats. */
function storeRows(
  heap: Float32Array,
  base: number,
  src: FloatArray,
  offset: number,
  n: number,
  cols: number,
  width: number,
): void {
  if (cols === width) heap.set(src.subarray(offset, offset + n * cols), base);
  else
    for (let i = 0; i < n; i++)
      heap.set(src.subarray(offset + i * cols, offset + (i + 1) * cols), base + i * width);
}

/**
 * Runs the backward pass by recomputation (float32 on wasm; anything else on the js kernel).
 * @param problem - the same problem the forward pass ran
 * @param grads - where to write dq, dk, dv
 */
export function wasmFlashBackward(
  problem: AttentionProblem,
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  out: FloatArray,
  lse: FloatArray,
  dOut: FloatArray,
  grads: FlashGradients,
): void {
  const wasm = attentionWasm();
  if (wasm === null || !(q instanceof Float32Array) || problem.batch * problem.heads === 0) {
    jsFlashBackward(problem, q, k, v, out, lse, dOut, grads);
    return;
  }
  const { batch: B, heads: H, kvHeads: Hkv, queries: N, keys: M } = problem;
  const { headDim: d, valueDim: dvDim, scale, blockQuery: Br, blockKey: Bc } = problem;
  const keyBlocks = Math.ceil(M / Bc);
  const queryBlocks = Math.ceil(N / Br);
  const { group, off, simpleCausal, dropout, keepScale, planFor } = flashSetup(problem);
  const [d4, d8, dv8, Bc4, Bc8, Br8] = [
    roundUp(d, 4),
    roundUp(d, 8),
    roundUp(dvDim, 8),
    roundUp(Bc, 4),
    roundUp(Bc, 8),
    roundUp(Br, 8),
  ];

  const layout = new WasmLayout(wasm);
  const K = layout.take((M + 4) * d);
  const KT = layout.take(keyBlocks * d4 * Bc8);
  const V = layout.take((M + 4) * dvDim);
  const DK = layout.take((M + 4) * d8);
  const DV = layout.take((M + 4) * dv8);
  const Q = layout.take(N * d8);
  const QT = layout.take(queryBlocks * d * Br8);
  const DO = layout.take(N * dv8);
  const DOT = layout.take(queryBlocks * dvDim * Br8);
  const DQT = layout.take(queryBlocks * d4 * Br8);
  const L = layout.take(queryBlocks * Br + Br8);
  const D = layout.take(queryBlocks * Br + Br8);
  const P = layout.take(Bc4 * Br8);
  const DP = layout.take(Bc4 * Br8);
  const PD = dropout > 0 ? layout.take(Bc4 * Br8) : P;
  const release = holdScratchBytes(layout.size);
  try {
    layout.reserve();
    const heap = layout.f32;
    const [p4, dp4, pd4] = [P / 4, DP / 4, PD / 4];
    for (let b = 0; b < B; b++) {
      for (let g = 0; g < Hkv; g++) {
        const kvBase = (b * Hkv + g) * M;
        storeRows(heap, K / 4, k, kvBase * d, M, d, d);
        storeBlocksTransposed(heap, KT / 4, k, kvBase * d, M, d, Bc, d4, Bc8);
        storeRows(heap, V / 4, v, kvBase * dvDim, M, dvDim, dvDim);
        heap.fill(0, DK / 4, DK / 4 + M * d8);
        heap.fill(0, DV / 4, DV / 4 + M * dv8);
        for (let h = g * group; h < (g + 1) * group; h++) {
          const bh = b * H + h;
          const qBase = bh * N;
          storeRows(heap, Q / 4, q, qBase * d, N, d, d8);
          storeBlocksTransposed(heap, QT / 4, q, qBase * d, N, d, Br, d, Br8);
          storeRows(heap, DO / 4, dOut, qBase * dvDim, N, dvDim, dv8);
          storeBlocksTransposed(heap, DOT / 4, dOut, qBase * dvDim, N, dvDim, Br, dvDim, Br8);
          heap.fill(0, DQT / 4, DQT / 4 + queryBlocks * d4 * Br8);
          heap.fill(Number.POSITIVE_INFINITY, L / 4, L / 4 + queryBlocks * Br + Br8);
          heap.fill(0, D / 4, D / 4 + queryBlocks * Br + Br8);
          for (let i = 0; i < N; i++) {
            const li = lse[qBase + i]!;
            heap[L / 4 + i] = li === Number.NEGATIVE_INFINITY ? Number.POSITIVE_INFINITY : li;
            let dot = 0;
            const row = (qBase + i) * dvDim;
            for (let x = 0; x < dvDim; x++) dot += dOut[row + x]! * out[row + x]!;
            heap[D / 4 + i] = dot;
          }
          const plan = transposeTilePlan(planFor(b, h), keyBlocks);
          const allowed = simpleCausal ? null : allowedFn(problem, b, h);
          const slope = problem.alibiSlopes === null ? 0 : problem.alibiSlopes[h]!;
          for (let kb = 0; kb < keyBlocks; kb++) {
            const j0 = kb * Bc;
            const cols = Math.min(M, j0 + Bc) - j0;
            const cols4 = roundUp(cols, 4);
            for (let e = plan.start[kb]!; e < plan.start[kb + 1]!; e++) {
              const qb = plan.block[e]!;
              const i0 = qb * Br;
              const rows = Math.min(N, i0 + Br) - i0;
              const rows8 = roundUp(rows, 8);
              const partial = plan.partial[e] === 1;
              const qt = QT + qb * d * Br8 * 4;
              wasm.gemm(
                K + j0 * d * 4,
                d,
                qt,
                Br8,
                P,
                Br8,
                cols4,
                rows8,
                d,
                scale,
                0,
                NO_LIMIT,
                NO_LIMIT,
              );
              if (slope !== 0 || (partial && allowed !== null)) {
                for (let c = 0; c < cols; c++) {
                  const so = p4 + c * Br8;
                  for (let r = 0; r < rows; r++) {
                    if (slope !== 0)
                      heap[so + r] = heap[so + r]! - slope * Math.abs(i0 + r + off - j0 - c);
                    if (partial && allowed !== null && !allowed(i0 + r, j0 + c))
                      heap[so + r] = Number.NEGATIVE_INFINITY;
                  }
                }
              }
              // queries r < c + shift are above the causal diagonal
              const shift = allowed === null && partial ? j0 - i0 - off : -NO_LIMIT;
              wasm.exp_rows(P, Br8, cols, cols4, rows8, L + i0 * 4, shift);
              if (dropout > 0) {
                for (let c = 0; c < cols4; c++) {
                  for (let r = 0; r < rows8; r++) {
                    const keep =
                      c < cols &&
                      r < rows &&
                      dropoutUniform(problem.dropoutSeed, bh, i0 + r, j0 + c) >= dropout;
                    heap[pd4 + c * Br8 + r] = keep ? heap[p4 + c * Br8 + r]! * keepScale : 0;
                  }
                }
              }
              const dvRows = DV + j0 * dv8 * 4;
              wasm.gemm(
                PD,
                Br8,
                DO + i0 * dv8 * 4,
                dv8,
                dvRows,
                dv8,
                cols4,
                dv8,
                rows,
                1,
                1,
                NO_LIMIT,
                NO_LIMIT,
              );
              const dot = DOT + qb * dvDim * Br8 * 4;
              wasm.gemm(
                V + j0 * dvDim * 4,
                dvDim,
                dot,
                Br8,
                DP,
                Br8,
                cols4,
                rows8,
                dvDim,
                1,
                0,
                NO_LIMIT,
                NO_LIMIT,
              );
              if (dropout > 0) {
                for (let c = 0; c < cols4; c++) {
                  for (let r = 0; r < rows8; r++) {
                    const at = c * Br8 + r;
                    const pv = heap[p4 + at]!;
                    const z = heap[pd4 + at] !== 0 || pv === 0 ? keepScale : 0;
                    heap[dp4 + at] = pv * (heap[dp4 + at]! * z - heap[D / 4 + i0 + r]!);
                  }
                }
              } else wasm.ds_rows(P, DP, Br8, cols4, rows8, D + i0 * 4);
              wasm.gemm(
                DP,
                Br8,
                Q + i0 * d8 * 4,
                d8,
                DK + j0 * d8 * 4,
                d8,
                cols4,
                d8,
                rows,
                scale,
                1,
                NO_LIMIT,
                NO_LIMIT,
              );
              const kt = KT + kb * d4 * Bc8 * 4;
              const dqt = DQT + qb * d4 * Br8 * 4;
              wasm.gemm(kt, Bc8, DP, Br8, dqt, Br8, d4, rows8, cols, scale, 1, NO_LIMIT, NO_LIMIT);
            }
          }
          for (let i = 0; i < N; i++) {
            const qb = Math.floor(i / Br);
            const from = DQT / 4 + qb * d4 * Br8 + (i - qb * Br);
            for (let x = 0; x < d; x++) grads.dq[(qBase + i) * d + x] = heap[from + x * Br8]!;
          }
        }
        for (let j = 0; j < M; j++) {
          for (let x = 0; x < d; x++) grads.dk[(kvBase + j) * d + x] = heap[DK / 4 + j * d8 + x]!;
          for (let x = 0; x < dvDim; x++)
            grads.dv[(kvBase + j) * dvDim + x] = heap[DV / 4 + j * dv8 + x]!;
        }
      }
    }
  } finally {
    release();
  }
}
