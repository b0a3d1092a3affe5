/**
 * Causal linear attention forward (the running prefix sum) on the
 * WebAssembly SIMD module (float32), on operands in @x/tensor's linear
 * memory.
 *
 * Shapes: phiQ [B, H, N, d], phiK [B, Hkv, M, d], v [B, Hkv, M, dv] ->
 * out [B, H, N, dv], contiguous (see `../linear-scan.ts` for the algorithm
 * and the position convention).
 *
 * Per (batch, kv head) the driver lays phiK [M, d4], v [M, dv8] and the
 * group's queries [G, N, d4] out in scratch (rows padded to d4, dv8 for the
 * vector loops), and `linear_forward` sweeps the keys once, with the state
 * S [d, dv8] and z [d4] in float32 (the js kernel keeps float64 state: for
 * the float32 tolerance this makes a difference only past about 10^5 keys).
 * The backward pass stays the js kernel's.
 */
import type { WasmKernelContext } from '@x/tensor';
import type { LinearProblem } from '../linear-scan.js';
import { holdScratchBytes } from '../scratch.js';
import { storeRows } from './layout.js';
import { roundUp } from './simd.js';

/**
 * out = causal linear attention of the feature-mapped inputs (float32 in the core's memory).
 * @param wasm - the attention module's context
 * @param problem - sizes
 * @param at - byte addresses of phiQ, phiK, v and out
 */
export function wasmLinearScanForwardAt(
  wasm: WasmKernelContext,
  problem: LinearProblem,
  at: { readonly phiQ: number; readonly phiK: number; readonly v: number; readonly out: number },
): void {
  const { batch: B, heads: H, kvHeads: Hkv, queries: N, keys: M } = problem;
  const { headDim: d, valueDim: dv, eps } = problem;
  const total = B * H * N * dv;
  if (total === 0) return;
  const group = H / Hkv;
  const [d4, dv8] = [roundUp(d, 4), roundUp(dv, 8)];
  const sizes = [M * d4, M * dv8, group * N * d4, group * N * dv8, d * dv8, d4];
  const [K, V, Q, O, S, Z] = sizes.map((n) => wasm.scratch(n * 4 + 64)) as number[];
  const release = holdScratchBytes(sizes.reduce((sum, n) => sum + n * 4, 0));
  try {
    const heap = wasm.f32();
    const linearForward = wasm.exports.linear_forward!;
    heap.fill(0, K! / 4, K! / 4 + M * d4);
    heap.fill(0, Q! / 4, Q! / 4 + group * N * d4);
    heap.fill(0, V! / 4, V! / 4 + M * dv8);
    heap.fill(0, at.out / 4, at.out / 4 + total);
    for (let b = 0; b < B; b++) {
      for (let g = 0; g < Hkv; g++) {
        const kv = (b * Hkv + g) * M;
        const q0 = (b * H + g * group) * N;
        storeRows(heap, K! / 4, at.phiK / 4 + kv * d, M, d, d4);
        storeRows(heap, V! / 4, at.v / 4 + kv * dv, M, dv, dv8);
        storeRows(heap, Q! / 4, at.phiQ / 4 + q0 * d, group * N, d, d4);
        heap.fill(0, O! / 4, O! / 4 + group * N * dv8);
        heap.fill(0, S! / 4, S! / 4 + d * dv8);
        heap.fill(0, Z! / 4, Z! / 4 + d4);
        linearForward(K!, V!, Q!, O!, S!, Z!, M, N, M - N, group, d, d4, dv8, eps);
        for (let r = 0; r < group * N; r++) {
          const from = O! / 4 + r * dv8;
          heap.copyWithin(at.out / 4 + (q0 + r) * dv, from, from + dv);
        }
      }
    }
  } finally {
    release();
  }
}
