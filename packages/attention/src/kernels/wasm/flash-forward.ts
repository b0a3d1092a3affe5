/**
 * FlashAttention forward pass on the WebAssembly SIMD module (float32).
 *
 * Shapes: see `problem.ts` (q [B,H,N,d], k [B,Hkv,M,d], v [B,Hkv,M,dv] ->
 * out [B,H,N,dv], lse [B,H,N]).
 *
 * Algorithm: the js kernel's (`../flash-forward.ts`, FlashAttention-2
 * Algorithm 1), with the tile products (`gemm`) and the online softmax
 * (`softmax_rows`, vectorized exp) in wasm. Layout in the module's memory,
 * written once per call (K, V once per kv head, Q once per query head; no
 * copy per tile):
 *
 *   Kt  [M / Bc][d, Bc8]   each key block transposed (the B operand of S = Q Kt)
 *   V   [M, dv8]           value rows (the B operand of O += P V)
 *   Q   [N + 4, d]         query rows (the A operand, read one float at a time)
 *   S   [Br4, Bc8], O [Br4, dv8], m [Br4], l [Br4]   one tile's state
 *
 * with Bc8, dv8 rounded up to 8 and Br4 to 4, zero-padded. The per-element
 * rules that only some calls have (ALiBi bias, boolean masks and sparse
 * patterns on partial tiles, dropout) run in JS on a view of the tile, as
 * in the js kernel; causal diagonal tiles use the kernels' limits.
 */
import { dropoutUniform } from '../dropout-hash.js';
import { flashForward as jsFlashForward } from '../flash-forward.js';
import { NO_LIMIT } from '../gemm-nt.js';
import type { AttentionProblem, FloatArray } from '../problem.js';
import { holdScratchBytes } from '../scratch.js';
import { allowedFn, flashSetup } from '../tile-plan.js';
import { attentionWasm, roundUp, WasmLayout } from './module.js';

/**
 * Runs the forward pass (float32 arrays on wasm; anything else on the js kernel).
 * @param problem - sizes and rules of the call
 * @param q - queries [B, H, N, d]
 * @param k - keys [B, Hkv, M, d]
 * @param v - values [B, Hkv, M, dv]
 * @param out - output [B, H, N, dv] (overwritten)
 * @param lse - log-sum-exp per row [B, H, N] (overwritten)
 */
export function wasmFlashForward(
  problem: AttentionProblem,
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  out: FloatArray,
  lse: FloatArray,
): void {
  const wasm = attentionWasm();
  if (wasm === null || !(q instanceof Float32Array) || problem.batch * problem.heads === 0) {
    jsFlashForward(problem, q, k, v, out, lse);
    return;
  }
  const { batch: B, heads: H, kvHeads: Hkv, queries: N, keys: M } = problem;
  const { headDim: d, valueDim: dv, scale, blockQuery: Br, blockKey: Bc } = problem;
  const { group, off, simpleCausal, dropout, keepScale, planFor } = flashSetup(problem);
  const keyBlocks = Math.ceil(M / Bc);
  const Bc8 = roundUp(Bc, 8);
  const dv8 = roundUp(dv, 8);
  const Br4 = roundUp(Br, 4);

  const layout = new WasmLayout(wasm);
  const KT = layout.take(keyBlocks * d * Bc8);
  const V = layout.take(M * dv8);
  const Q = layout.take((N + 4) * d);
  const S = layout.take(Br4 * Bc8);
  const O = layout.take(Br4 * dv8);
  const RM = layout.take(Br4);
  const RS = layout.take(Br4);
  const release = holdScratchBytes(layout.size);
  try {
    layout.reserve();
    const heap = layout.f32;
    const [s, o, rm, rs] = [S / 4, O / 4, RM / 4, RS / 4];
    for (let b = 0; b < B; b++) {
      for (let g = 0; g < Hkv; g++) {
        const kvBase = (b * Hkv + g) * M;
        for (let j = 0; j < M; j++) {
          const kb = Math.floor(j / Bc);
          const base = KT / 4 + kb * d * Bc8 + (j - kb * Bc);
          const src = (kvBase + j) * d;
          for (let x = 0; x < d; x++) heap[base + x * Bc8] = k[src + x]!;
          heap.set(v.subarray((kvBase + j) * dv, (kvBase + j + 1) * dv), V / 4 + j * dv8);
        }
        for (let h = g * group; h < (g + 1) * group; h++) {
          const bh = b * H + h;
          heap.set(q.subarray(bh * N * d, (bh + 1) * N * d), Q / 4);
          const plan = planFor(b, h);
          const allowed = simpleCausal ? null : allowedFn(problem, b, h);
          const slope = problem.alibiSlopes === null ? 0 : problem.alibiSlopes[h]!;
          for (let qb = 0; qb + 1 < plan.start.length; qb++) {
            const i0 = qb * Br;
            const rows = Math.min(N, i0 + Br) - i0;
            const rows4 = roundUp(rows, 4);
            heap.fill(Number.NEGATIVE_INFINITY, rm, rm + rows);
            heap.fill(0, rs, rs + rows);
            heap.fill(0, o, o + rows4 * dv8);
            for (let e = plan.start[qb]!; e < plan.start[qb + 1]!; e++) {
              const j0 = plan.block[e]! * Bc;
              const cols = Math.min(M, j0 + Bc) - j0;
              const partial = plan.partial[e] === 1;
              // on a causal diagonal tile, row r needs keys c < limit + r only
              const limit = allowed === null && partial ? i0 + off - j0 + 1 : NO_LIMIT;
              const kt = KT + plan.block[e]! * d * Bc8 * 4;
              wasm.gemm(
                Q + i0 * d * 4,
                d,
                kt,
                Bc8,
                S,
                Bc8,
                rows4,
                roundUp(cols, 8),
                d,
                scale,
                0,
                limit,
                NO_LIMIT,
              );
              if (slope !== 0 || (partial && allowed !== null)) {
                for (let r = 0; r < rows; r++) {
                  const so = s + r * Bc8;
                  const p = i0 + r + off;
                  for (let c = 0; c < cols; c++) {
                    if (slope !== 0) heap[so + c] = heap[so + c]! - slope * Math.abs(p - j0 - c);
                    if (partial && allowed !== null && !allowed(i0 + r, j0 + c))
                      heap[so + c] = Number.NEGATIVE_INFINITY;
                  }
                }
              }
              wasm.softmax_rows(S, Bc8, rows, cols, limit, RM, RS, O, dv8, dv8);
              if (dropout > 0) {
                for (let r = 0; r < rows; r++) {
                  const so = s + r * Bc8;
                  for (let c = 0; c < cols; c++) {
                    const keep = dropoutUniform(problem.dropoutSeed, bh, i0 + r, j0 + c) >= dropout;
                    heap[so + c] = keep ? heap[so + c]! * keepScale : 0;
                  }
                }
              }
              wasm.gemm(
                S,
                Bc8,
                V + j0 * dv8 * 4,
                dv8,
                O,
                dv8,
                rows4,
                dv8,
                cols,
                1,
                1,
                NO_LIMIT,
                limit,
              );
            }
            for (let r = 0; r < rows; r++) {
              const row = bh * N + i0 + r;
              const l = heap[rs + r]!;
              lse[row] = l > 0 ? heap[rm + r]! + Math.log(l) : Number.NEGATIVE_INFINITY;
              const inv = l > 0 ? 1 / l : 0;
              const from = o + r * dv8;
              for (let x = 0; x < dv; x++) out[row * dv + x] = heap[from + x]! * inv;
            }
          }
        }
      }
    }
  } finally {
    release();
  }
}
