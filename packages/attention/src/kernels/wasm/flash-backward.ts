/**
 * FlashAttention backward pass on the WebAssembly SIMD module (float32), on
 * operands in @x/tensor's linear memory (the `wasm` tensors themselves).
 *
 * Shapes: see `problem.ts` and `../flash-backward.ts` (dOut [B,H,N,dv] ->
 * dq [B,H,N,d], dk [B,Hkv,M,d], dv [B,Hkv,M,dv]), all contiguous.
 *
 * Algorithm: FlashAttention-2 Algorithm 2 as in the js kernel (key blocks
 * outermost, tiles recomputed from q, k, v and the log-sum-exp L, with
 * D_i = rowsum(dO_i * O_i)), but on *transposed* tiles, so that every
 * product has the `gemm` form C (+)= A B with B read as vector rows and no
 * tile is ever transposed:
 *
 *   S^T  = scale * K_j Q_i^T                  A = K rows (in place), B = Qt block
 *   P^T  = exp(S^T - L_i)  (exp_rows)         L varies along the row
 *   dV_j += P^T dO_i                          B = dO rows
 *   dP^T = V_j dO_i^T                         A = V rows (in place), B = dOt block
 *   dS^T = P^T * (dP^T - D_i)  (ds_rows)
 *   dK_j += scale * dS^T Q_i                  B = Q rows
 *   dQ_i^T += scale * K_j^T dS^T              A = Kt block (`pack_kv`), C = dQt block
 *
 * Scratch in the core's memory: the Kt blocks; per kv head dK [M + 4, d8]
 * and dV [M + 4, dv8]; per query head Qt [N / Br][d, Br8], dOt
 * [N / Br][dv, Br8], dQt [N / Br][d4, Br8], L and D, and Q / dO rows padded
 * to 8 when d / dv are not multiples of 8 (else read in place); tiles P, dP
 * (and Pd with dropout) [Bc4, Br8]. Fully masked rows (L = -inf) are stored
 * as L = +inf, so their weights are exp(-inf) = 0. ALiBi, masks, patterns
 * and dropout run in JS on tile views. One thread (the per-tile rules are
 * JS).
 */
import type { WasmKernelContext } from '@x/tensor';
import { dropoutUniform } from '../dropout-hash.js';
import type { AttentionProblem } from '../problem.js';
import { holdScratchBytes } from '../scratch.js';
import { allowedFn, flashSetup, transposeTilePlan } from '../tile-plan.js';
import { NO_LIMIT } from './constants.js';
import { packKeys } from './flash-forward.js';
import { storeBlocksTransposed, storeRows } from './layout.js';
import { roundUp } from './simd.js';

/** Byte addresses of a backward call's operands and results. */
export interface FlashBackwardAddresses {
  readonly q: number;
  readonly k: number;
  readonly v: number;
  readonly out: number;
  readonly lse: number;
  readonly dOut: number;
  readonly dq: number;
  readonly dk: number;
  readonly dv: number;
}

/**
 * Runs the backward pass by recomputation (float32 operands in the core's memory).
 * @param wasm - the attention module's context (scratch is freed with it)
 * @param problem - the same problem the forward pass ran (a mask's `data` is the whole memory)
 * @param at - operands and results
 */
export function wasmFlashBackwardAt(
  wasm: WasmKernelContext,
  problem: AttentionProblem,
  at: FlashBackwardAddresses,
): void {
  const { batch: B, heads: H, kvHeads: Hkv, queries: N, keys: M } = problem;
  const { headDim: d, valueDim: dvDim, scale, blockQuery: Br, blockKey: Bc } = problem;
  if (B * H === 0) return;
  const keyBlocks = Math.ceil(M / Bc);
  const queryBlocks = Math.ceil(N / Br);
  const [d4, d8, dv8, Bc4, Bc8, Br8] = [
    roundUp(d, 4),
    roundUp(d, 8),
    roundUp(dvDim, 8),
    roundUp(Bc, 4),
    roundUp(Bc, 8),
    roundUp(Br, 8),
  ];
  const dropout = problem.dropout;
  const floats = (count: number) => wasm.scratch(count * 4 + 64);
  const packed = packKeys(wasm, problem, at.k, at.v);
  const sizes = [
    (M + 4) * d8,
    (M + 4) * dv8,
    d % 8 === 0 ? 0 : N * d8,
    queryBlocks * d * Br8,
    dvDim % 8 === 0 ? 0 : N * dv8,
    queryBlocks * dvDim * Br8,
    queryBlocks * d4 * Br8,
    queryBlocks * Br + Br8,
    queryBlocks * Br + Br8,
    Bc4 * Br8,
    Bc4 * Br8,
    dropout > 0 ? Bc4 * Br8 : 0,
  ];
  const [DK, DV, QP, QT, DOP, DOT, DQT, L, D, P, DP, PDX] = sizes.map((n) =>
    n > 0 ? floats(n) : 0,
  ) as number[];
  const PD = PDX || P;
  const release = holdScratchBytes(packed.bytes + sizes.reduce((sum, n) => sum + n * 4, 0));
  try {
    // every allocation is done: the memory views and the mask's view stay valid below
    const live = problem.mask
      ? { ...problem, mask: { ...problem.mask, data: wasm.u8() } }
      : problem;
    const { group, off, simpleCausal, keepScale, planFor } = flashSetup(live);
    const { gemm, exp_rows: expRows, ds_rows: dsRows } = wasm.exports;
    const heap = wasm.f32();
    const [q, out, lse, dOut] = [at.q, at.out, at.lse, at.dOut].map((a) => a / 4) as number[];
    const [p4, dp4, pd4] = [P! / 4, DP! / 4, PD / 4];
    for (let b = 0; b < B; b++) {
      for (let g = 0; g < Hkv; g++) {
        const kvi = b * Hkv + g;
        const kvBase = kvi * M;
        heap.fill(0, DK! / 4, DK! / 4 + M * d8);
        heap.fill(0, DV! / 4, DV! / 4 + M * dv8);
        for (let h = g * group; h < (g + 1) * group; h++) {
          const bh = b * H + h;
          const qBase = bh * N;
          // Q and dO rows as B operands: in place at a multiple of 8 floats, else padded
          let qRows = at.q + qBase * d * 4;
          if (QP) {
            storeRows(heap, QP / 4, q! + qBase * d, N, d, d8);
            qRows = QP;
          }
          let doRows = at.dOut + qBase * dvDim * 4;
          if (DOP) {
            storeRows(heap, DOP / 4, dOut! + qBase * dvDim, N, dvDim, dv8);
            doRows = DOP;
          }
          storeBlocksTransposed(heap, QT! / 4, q! + qBase * d, N, d, Br, d, Br8);
          storeBlocksTransposed(heap, DOT! / 4, dOut! + qBase * dvDim, N, dvDim, Br, dvDim, Br8);
          heap.fill(0, DQT! / 4, DQT! / 4 + queryBlocks * d4 * Br8);
          heap.fill(Number.POSITIVE_INFINITY, L! / 4, L! / 4 + queryBlocks * Br + Br8);
          heap.fill(0, D! / 4, D! / 4 + queryBlocks * Br + Br8);
          for (let i = 0; i < N; i++) {
            const li = heap[lse! + qBase + i]!;
            heap[L! / 4 + i] = li === Number.NEGATIVE_INFINITY ? Number.POSITIVE_INFINITY : li;
            let dot = 0;
            const row = (qBase + i) * dvDim;
            for (let x = 0; x < dvDim; x++) dot += heap[dOut! + row + x]! * heap[out! + row + x]!;
            heap[D! / 4 + i] = dot;
          }
          const plan = transposeTilePlan(planFor(b, h), keyBlocks);
          const allowed = simpleCausal ? null : allowedFn(live, b, h);
          const slope = live.alibiSlopes === null ? 0 : live.alibiSlopes[h]!;
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
              const qt = QT! + qb * d * Br8 * 4;
              const kRows = at.k + (kvBase + j0) * d * 4;
              gemm!(kRows, d, qt, Br8, P!, Br8, cols, rows8, d, scale, 0, NO_LIMIT, NO_LIMIT);
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
              expRows!(P!, Br8, cols, cols4, rows8, L! + i0 * 4, shift);
              if (dropout > 0) {
                for (let c = 0; c < cols4; c++) {
                  for (let r = 0; r < rows8; r++) {
                    const keep =
                      c < cols &&
                      r < rows &&
                      dropoutUniform(live.dropoutSeed, bh, i0 + r, j0 + c) >= dropout;
                    heap[pd4 + c * Br8 + r] = keep ? heap[p4 + c * Br8 + r]! * keepScale : 0;
                  }
                }
              }
              const dvRows = DV! + j0 * dv8 * 4;
              gemm!(
                PD,
                Br8,
                doRows + i0 * (DOP ? dv8 : dvDim) * 4,
                DOP ? dv8 : dvDim,
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
              const dot = DOT! + qb * dvDim * Br8 * 4;
              const vRows = at.v + (kvBase + j0) * dvDim * 4;
              gemm!(vRows, dvDim, dot, Br8, DP!, Br8, cols, rows8, dvDim, 1, 0, NO_LIMIT, NO_LIMIT);
              if (dropout > 0) {
                for (let c = 0; c < cols4; c++) {
                  for (let r = 0; r < rows8; r++) {
                    const i = c * Br8 + r;
                    const pv = heap[p4 + i]!;
                    const z = heap[pd4 + i] !== 0 || pv === 0 ? keepScale : 0;
                    heap[dp4 + i] = pv * (heap[dp4 + i]! * z - heap[D! / 4 + i0 + r]!);
                  }
                }
              } else dsRows!(P!, DP!, Br8, cols4, rows8, D! + i0 * 4);
              gemm!(
                DP!,
                Br8,
                qRows + i0 * (QP ? d8 : d) * 4,
                QP ? d8 : d,
                DK! + j0 * d8 * 4,
                d8,
                cols4,
                d8,
                rows,
                scale,
                1,
                NO_LIMIT,
                NO_LIMIT,
              );
              const kt = packed.kt + (kvi * keyBlocks + kb) * d * Bc8 * 4;
              const dqt = DQT! + qb * d4 * Br8 * 4;
              gemm!(kt, Bc8, DP!, Br8, dqt, Br8, d, rows8, cols, scale, 1, NO_LIMIT, NO_LIMIT);
            }
          }
          for (let i = 0; i < N; i++) {
            const qb = Math.floor(i / Br);
            const from = DQT! / 4 + qb * d4 * Br8 + (i - qb * Br);
            const to = at.dq / 4 + (qBase + i) * d;
            for (let x = 0; x < d; x++) heap[to + x] = heap[from + x * Br8]!;
          }
        }
        for (let j = 0; j < M; j++) {
          heap.copyWithin(at.dk / 4 + (kvBase + j) * d, DK! / 4 + j * d8, DK! / 4 + j * d8 + d);
          heap.copyWithin(
            at.dv / 4 + (kvBase + j) * dvDim,
            DV! / 4 + j * dv8,
            DV! / 4 + j * dv8 + dvDim,
          );
        }
      }
    }
  } finally {
    release();
  }
}
