/**
 * Causal linear attention forward (the running prefix sum) on the
 * WebAssembly SIMD module (float32).
 *
 * Shapes: phiQ [B, H, N, d], phiK [B, Hkv, M, d], v [B, Hkv, M, dv] ->
 * out [B, H, N, dv] (see `../linear-scan.ts` for the algorithm and the
 * position convention).
 *
 * Per (batch, kv head) the driver copies phiK [M, d4] and v [M, dv8] and
 * the group's queries [G, N, d4] into the module's memory (d4, dv8 rounded
 * up, zero-padded), and `linear_forward` sweeps the keys once, with the
 * state S [d, dv8] and z [d4] in float32 (the js kernel keeps float64
 * state: for the float32 tolerance this makes a difference only past about
 * 10^5 keys). The backward pass stays the js kernel's.
 */
import { linearScanForward as jsLinearScanForward, type LinearProblem } from '../linear-scan.js';
import type { FloatArray } from '../problem.js';
import { holdScratchBytes } from '../scratch.js';
import { attentionWasm, roundUp, WasmLayout } from './module.js';

/** Copies n rows of `cols` floats into rows of `width` floats of the heap. */
function storeRows(
  heap: Float32Array,
  base: number,
  src: FloatArray,
  offset: number,
  n: number,
  cols: number,
  width: number,
): void {
  for (let i = 0; i < n; i++) {
    heap.set(src.subarray(offset + i * cols, offset + (i + 1) * cols), base + i * width);
  }
}

/**
 * out = causal linear attention of the feature-mapped inputs (float32 on wasm, else js).
 * @param problem - sizes
 * @param out - [B, H, N, dv], overwritten
 */
export function wasmLinearScanForward(
  problem: LinearProblem,
  phiQ: FloatArray,
  phiK: FloatArray,
  v: FloatArray,
  out: FloatArray,
): void {
  const wasm = attentionWasm();
  if (wasm === null || !(phiQ instanceof Float32Array)) {
    jsLinearScanForward(problem, phiQ, phiK, v, out);
    return;
  }
  const { batch: B, heads: H, kvHeads: Hkv, queries: N, keys: M } = problem;
  const { headDim: d, valueDim: dv, eps } = problem;
  if (B * H * N * dv === 0) {
    out.fill(0);
    return;
  }
  const group = H / Hkv;
  const [d4, dv8] = [roundUp(d, 4), roundUp(dv, 8)];
  const layout = new WasmLayout(wasm);
  const K = layout.take(M * d4);
  const V = layout.take(M * dv8);
  const Q = layout.take(group * N * d4);
  const O = layout.take(group * N * dv8);
  const S = layout.take(d * dv8);
  const Z = layout.take(d4);
  const release = holdScratchBytes(layout.size);
  try {
    layout.reserve();
    const heap = layout.f32;
    out.fill(0);
    for (let b = 0; b < B; b++) {
      for (let g = 0; g < Hkv; g++) {
        const kv = (b * Hkv + g) * M;
        const q0 = (b * H + g * group) * N;
        storeRows(heap, K / 4, phiK, kv * d, M, d, d4);
        storeRows(heap, V / 4, v, kv * dv, M, dv, dv8);
        storeRows(heap, Q / 4, phiQ, q0 * d, group * N, d, d4);
        heap.fill(0, O / 4, O / 4 + group * N * dv8);
        heap.fill(0, S / 4, S / 4 + d * dv8);
        heap.fill(0, Z / 4, Z / 4 + d4);
        wasm.linear_forward(K, V, Q, O, S, Z, M, N, M - N, group, d, d4, dv8, eps);
        for (let r = 0; r < group * N; r++) {
          const from = O / 4 + r * dv8;
          out.set(heap.subarray(from, from + dv), (q0 + r) * dv);
        }
      }
    }
  } finally {
    release();
  }
}
