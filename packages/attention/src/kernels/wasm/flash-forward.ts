/**
 * FlashAttention forward pass on the WebAssembly SIMD module (float32), on
 * operands that lie in @x/tensor's linear memory (the `wasm` tensors
 * themselves): no copies in or out.
 *
 * Shapes: see `problem.ts` (q [B,H,N,d], k [B,Hkv,M,d], v [B,Hkv,M,dv] ->
 * out [B,H,N,dv], lse [B,H,N]), all contiguous.
 *
 * Algorithm: the js kernel's (`../flash-forward.ts`, FlashAttention-2
 * Algorithm 1). `pack_kv` lays each key block out transposed (Kt
 * [d, Bc8], the B operand of S = Q Kt) and pads value rows to dv8 when dv is
 * not a multiple of 8 (else V is read in place); Q is read in place.
 * - Dense attention, causal or not: the module's `flash_forward` runs the
 *   whole loop (S = scale Q Kt, online softmax, O += P V, out = O / l,
 *   lse = m + log l) for (batch x head, query block) units, split across
 *   the core's worker pool (interleaved: causal query blocks grow), each
 *   thread with its own tile scratch.
 * - Masks, sparse patterns, ALiBi and dropout: the same tiles driven from
 *   JS on this thread, with the per-element rules on views of the score
 *   tile, as in the js kernel; causal diagonal tiles use the kernels'
 *   limits.
 * Scratch (packed K / V, tiles) comes from the core's allocator and is
 * counted by `scratch.ts` while the call runs.
 */
import type { WasmKernelContext } from '@x/tensor';
import { dropoutUniform } from '../dropout-hash.js';
import type { AttentionProblem } from '../problem.js';
import { holdScratchBytes } from '../scratch.js';
import { allowedFn, flashSetup } from '../tile-plan.js';
import { NO_LIMIT } from './constants.js';
import { roundUp } from './simd.js';

/** Byte addresses of a forward call's operands. */
export interface FlashForwardAddresses {
  readonly q: number;
  readonly k: number;
  readonly v: number;
  readonly out: number;
  readonly lse: number;
}

/** True when the call is dense (optionally causal) attention: the fused, threaded kernel applies. */
export function isDense(problem: AttentionProblem): boolean {
  return (
    problem.mask === null &&
    problem.pattern === null &&
    problem.alibiSlopes === null &&
    problem.dropout === 0
  );
}

/** Packed key / value layouts of a call, in scratch. */
export interface PackedKeys {
  /** Kt blocks [B * Hkv][keyBlocks][d, Bc8]. */
  readonly kt: number;
  /** Value rows for `gemm` (`v` itself, or padded rows), and their stride in floats. */
  readonly vrows: number;
  readonly vstride: number;
  readonly bytes: number;
}

/** Runs `pack_kv` for every (kv head, key block), split across threads. */
export function packKeys(
  wasm: WasmKernelContext,
  problem: AttentionProblem,
  k: number,
  v: number,
): PackedKeys {
  const { batch: B, kvHeads: Hkv, keys: M, headDim: d, valueDim: dv, blockKey: Bc } = problem;
  const keyBlocks = Math.ceil(M / Bc);
  const [Bc8, dv8] = [roundUp(Bc, 8), roundUp(dv, 8)];
  const ktBytes = B * Hkv * keyBlocks * d * Bc8 * 4;
  const kt = wasm.scratch(ktBytes);
  const padded = dv % 8 !== 0;
  const v8Bytes = padded ? (B * Hkv * M + 4) * dv8 * 4 : 0;
  const v8 = padded ? wasm.scratch(v8Bytes) : 0;
  const units = B * Hkv * keyBlocks;
  const params = wasm.scratch(12 * 4);
  wasm.i32().set([k, v, kt, v8, M, d, dv, Bc, Bc8, dv8, keyBlocks, units], params / 4);
  wasm.parallel('pack_kv', { units, work: B * Hkv * M * (d + dv) * 4 }, (part) => [
    params,
    part.thread,
    part.threads,
  ]);
  return {
    kt,
    vrows: padded ? v8 : v,
    vstride: padded ? dv8 : dv,
    bytes: ktBytes + v8Bytes,
  };
}

/**
 * Runs the forward pass (float32 operands in the core's memory).
 * @param wasm - the attention module's context (scratch is freed with it)
 * @param problem - sizes and rules of the call; a mask's `data` is the whole memory (`wasm.u8()`) and its offset a byte address
 * @param at - the operands
 */
export function wasmFlashForwardAt(
  wasm: WasmKernelContext,
  problem: AttentionProblem,
  at: FlashForwardAddresses,
): void {
  const { batch: B, heads: H, queries: N, keys: M } = problem;
  const { headDim: d, valueDim: dv, scale, blockQuery: Br, blockKey: Bc } = problem;
  if (B * H * N === 0) return;
  const keyBlocks = Math.ceil(M / Bc);
  const queryBlocks = Math.ceil(N / Br);
  const [Bc8, dv8, Br4] = [roundUp(Bc, 8), roundUp(dv, 8), roundUp(Br, 4)];
  const tileBytes = (Br4 * Bc8 + Br4 * dv8 + 2 * Br4) * 4;
  const held: (() => void)[] = [];
  const hold = (bytes: number) => held.push(holdScratchBytes(bytes));
  try {
    const packed = packKeys(wasm, problem, at.k, at.v);
    hold(packed.bytes);
    if (isDense(problem)) {
      const units = B * H * queryBlocks;
      const params = wasm.scratch(21 * 4);
      wasm
        .i32()
        .set(
          [
            at.q,
            at.out,
            at.lse,
            packed.kt,
            packed.vrows,
            packed.vstride,
            H,
            problem.kvHeads,
            N,
            M,
            d,
            dv,
            dv8,
            Br,
            Bc,
            Bc8,
            keyBlocks,
            queryBlocks,
            units,
            problem.causal ? 1 : 0,
          ],
          params / 4,
        );
      wasm.f32()[params / 4 + 20] = scale;
      const work = B * H * N * M * (d + dv) * (problem.causal ? 1 : 2);
      wasm.parallel('flash_forward', { units, work }, (part) => {
        const tile = wasm.scratch(tileBytes);
        hold(tileBytes);
        return [params, tile, part.thread, part.threads];
      });
      return;
    }
    const tile = wasm.scratch(tileBytes);
    hold(tileBytes);
    tiledForward(wasm, problem, at, packed, tile);
  } finally {
    for (const release of held) release();
  }
}

/** The JS-driven tile loop of calls with masks, patterns, ALiBi or dropout (this thread). */
function tiledForward(
  wasm: WasmKernelContext,
  problem: AttentionProblem,
  at: FlashForwardAddresses,
  packed: PackedKeys,
  tile: number,
): void {
  const { batch: B, heads: H, kvHeads: Hkv, queries: N, keys: M } = problem;
  const { headDim: d, valueDim: dv, scale, blockQuery: Br, blockKey: Bc } = problem;
  const keyBlocks = Math.ceil(M / Bc);
  const [Bc8, dv8, Br4] = [roundUp(Bc, 8), roundUp(dv, 8), roundUp(Br, 4)];
  const S = tile;
  const O = S + Br4 * Bc8 * 4;
  const RM = O + Br4 * dv8 * 4;
  const RS = RM + Br4 * 4;
  // every allocation is done: the memory views and the mask's view stay valid below
  const live = problem.mask ? { ...problem, mask: { ...problem.mask, data: wasm.u8() } } : problem;
  const { group, off, simpleCausal, dropout, keepScale, planFor } = flashSetup(live);
  const { gemm, softmax_rows: softmaxRows } = wasm.exports;
  const heap = wasm.f32();
  const [s, o, rm, rs] = [S / 4, O / 4, RM / 4, RS / 4];
  for (let b = 0; b < B; b++) {
    for (let g = 0; g < Hkv; g++) {
      const kvi = b * Hkv + g;
      for (let h = g * group; h < (g + 1) * group; h++) {
        const bh = b * H + h;
        const plan = planFor(b, h);
        const allowed = simpleCausal ? null : allowedFn(live, b, h);
        const slope = live.alibiSlopes === null ? 0 : live.alibiSlopes[h]!;
        for (let qb = 0; qb + 1 < plan.start.length; qb++) {
          const i0 = qb * Br;
          const rows = Math.min(N, i0 + Br) - i0;
          const rows4 = roundUp(rows, 4);
          heap.fill(Number.NEGATIVE_INFINITY, rm, rm + rows);
          heap.fill(0, rs, rs + rows);
          heap.fill(0, o, o + rows4 * dv8);
          const qRow = at.q + (bh * N + i0) * d * 4;
          for (let e = plan.start[qb]!; e < plan.start[qb + 1]!; e++) {
            const j0 = plan.block[e]! * Bc;
            const cols = Math.min(M, j0 + Bc) - j0;
            const partial = plan.partial[e] === 1;
            // on a causal diagonal tile, row r needs keys c < limit + r only
            const limit = allowed === null && partial ? i0 + off - j0 + 1 : NO_LIMIT;
            const kt = packed.kt + (kvi * keyBlocks + plan.block[e]!) * d * Bc8 * 4;
            gemm!(qRow, d, kt, Bc8, S, Bc8, rows, roundUp(cols, 8), d, scale, 0, limit, NO_LIMIT);
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
            softmaxRows!(S, Bc8, rows, cols, limit, RM, RS, O, dv8, dv8);
            if (dropout > 0) {
              for (let r = 0; r < rows; r++) {
                const so = s + r * Bc8;
                for (let c = 0; c < cols; c++) {
                  const keep = dropoutUniform(live.dropoutSeed, bh, i0 + r, j0 + c) >= dropout;
                  heap[so + c] = keep ? heap[so + c]! * keepScale : 0;
                }
              }
            }
            const vRows = packed.vrows + (kvi * M + j0) * packed.vstride * 4;
            gemm!(S, Bc8, vRows, packed.vstride, O, dv8, rows4, dv8, cols, 1, 1, NO_LIMIT, limit);
          }
          for (let r = 0; r < rows; r++) {
            const row = bh * N + i0 + r;
            const l = heap[rs + r]!;
            heap[at.lse / 4 + row] = l > 0 ? heap[rm + r]! + Math.log(l) : Number.NEGATIVE_INFINITY;
            const inv = l > 0 ? 1 / l : 0;
            const from = o + r * dv8;
            const to = at.out / 4 + row * dv;
            for (let x = 0; x < dv; x++) heap[to + x] = heap[from + x]! * inv;
          }
        }
      }
    }
  }
}
