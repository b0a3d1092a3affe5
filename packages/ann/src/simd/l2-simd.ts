/**
 * Squared-L2 kernels on WebAssembly SIMD (f32x4), with the signatures of the
 * JS kernels (`DistanceKernel`, `DistanceKernel4`) so HNSW uses them as is.
 *
 * Shapes: as the JS kernels (offsets in floats). The rows and the query must
 * both be views on the current buffer of @x/tensor's memory (the store's
 * `WasmRows` and their query scratch); otherwise the call goes to the JS
 * kernel, so results stay correct for any Float32Array. Sums are float32 lanes
 * (relative difference from the float64 JS sums about 1e-6). `bound` is
 * ignored: the full 128-d sum costs 16 SIMD steps, less than the checks.
 */
import { type DistanceKernel, l2Generic } from '../distance.js';
import { type DistanceKernel4, l2Four } from '../distance-four.js';
import type { WasmRows } from './wasm-rows.js';

/** The SIMD pair of kernels. */
export interface SimdKernels {
  /** One query row against one stored row. */
  readonly kernel: DistanceKernel;
  /** One query row against four stored rows. */
  readonly kernel4: DistanceKernel4;
}

/**
 * Squared-L2 kernels bound to the memory of a store's rows.
 * @param arena - the rows (their memory holds the vectors and query scratch)
 * @param fallback - JS kernel for arrays outside the arena (default `l2Generic`)
 * @returns the kernels
 */
export function simdL2Kernels(arena: WasmRows, fallback: DistanceKernel = l2Generic): SimdKernels {
  const { l2, l2x4 } = arena.exports;
  const kernel: DistanceKernel = (a, aOffset, b, bOffset, dimension, bound) => {
    const buffer = arena.buffer;
    if (a.buffer !== buffer || b.buffer !== buffer)
      return fallback(a, aOffset, b, bOffset, dimension, bound);
    return l2(a.byteOffset + 4 * aOffset, b.byteOffset + 4 * bOffset, dimension);
  };
  const kernel4: DistanceKernel4 = (
    query,
    queryOffset,
    b,
    o0,
    o1,
    o2,
    o3,
    dimension,
    out,
    outOffset,
  ) => {
    const buffer = arena.buffer;
    if (query.buffer !== buffer || b.buffer !== buffer) {
      l2Four(query, queryOffset, b, o0, o1, o2, o3, dimension, out, outOffset);
      return;
    }
    const base = b.byteOffset;
    l2x4(
      query.byteOffset + 4 * queryOffset,
      base + 4 * o0,
      base + 4 * o1,
      base + 4 * o2,
      base + 4 * o3,
      dimension,
      arena.resultsAddress,
    );
    const results = arena.results;
    out[outOffset] = results[0]!;
    out[outOffset + 1] = results[1]!;
    out[outOffset + 2] = results[2]!;
    out[outOffset + 3] = results[3]!;
  };
  return { kernel, kernel4 };
}
