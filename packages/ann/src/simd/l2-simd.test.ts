/**
 * The WebAssembly SIMD squared-L2 kernels: the committed bytes are a fresh
 * wabt compilation of `scripts/wasm-source.ts`, and both kernels equal the
 * JS kernels and a float64 reference (to float32 rounding) on random vectors
 * of awkward dimensions, in place after memory growth and via the JS
 * fallback for arrays outside the arena.
 */
import { describe, expect, it } from 'vitest';
import { compileKernels, generatedFile } from '../../scripts/generate-wasm.js';
import { l2Generic } from '../distance.js';
import { l2Four } from '../distance-four.js';
import { simdL2Kernels } from './l2-simd.js';
import { WasmArena } from './wasm-arena.js';
import { L2_WASM_BASE64 } from './wasm-bytes.generated.js';

/** Deterministic values in [-10, 10). */
function fill(array: Float32Array, seed: number): void {
  let state = seed >>> 0 || 1;
  for (let i = 0; i < array.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    array[i] = ((state >>> 0) / 2 ** 32) * 20 - 10;
  }
}

function reference(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += (a[ao + i]! - b[bo + i]!) ** 2;
  return s;
}

const close = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-5 * expected + 1e-9);

describe('WebAssembly SIMD squared L2', () => {
  it('committed bytes match a fresh compilation of the WAT source', async () => {
    const bytes = await compileKernels();
    expect(Buffer.from(bytes).toString('base64')).toBe(L2_WASM_BASE64);
    expect(generatedFile(bytes)).toContain(`(${bytes.length} bytes)`);
  });

  for (const d of [1, 3, 4, 7, 128, 130]) {
    it(`equals the JS kernels and a float64 reference for d = ${d}`, () => {
      const arena = WasmArena.create(d);
      expect(arena).not.toBeNull();
      const { kernel, kernel4 } = simdL2Kernels(arena!);
      const rows = 9;
      let vectors = arena!.floats(rows * d);
      fill(vectors, d * 7 + 1);
      // Grow well past the first page: contents survive, the kernels read the new view.
      vectors = arena!.floats(40000 * d);
      const plain = vectors.slice(0, rows * d);
      const out = new Float64Array(6);
      const js = new Float64Array(6);
      for (let q = 0; q < rows; q++) {
        for (let r = 0; r < rows; r++) {
          const expected = reference(plain, q * d, plain, r * d, d);
          const simd = kernel(vectors, q * d, vectors, r * d, d, Number.POSITIVE_INFINITY);
          close(simd, expected);
          close(simd, l2Generic(plain, q * d, plain, r * d, d, Number.POSITIVE_INFINITY));
        }
        const o = [(q + 1) % rows, (q + 3) % rows, (q + 5) % rows, (q + 8) % rows] as const;
        kernel4(vectors, q * d, vectors, o[0] * d, o[1] * d, o[2] * d, o[3] * d, d, out, 2);
        l2Four(plain, q * d, plain, o[0] * d, o[1] * d, o[2] * d, o[3] * d, d, js, 2);
        for (let t = 0; t < 4; t++) {
          close(out[2 + t]!, reference(plain, q * d, plain, o[t]! * d, d));
          close(out[2 + t]!, js[2 + t]!);
        }
      }
      // A query copied into the scratch row, and a query outside the arena (JS fallback).
      const external = new Float32Array(d);
      fill(external, 99);
      arena!.query.set(external);
      close(
        kernel(arena!.query, 0, vectors, 2 * d, d, Number.POSITIVE_INFINITY),
        reference(external, 0, plain, 2 * d, d),
      );
      expect(kernel(external, 0, vectors, 2 * d, d, Number.POSITIVE_INFINITY)).toBe(
        l2Generic(external, 0, plain, 2 * d, d, Number.POSITIVE_INFINITY),
      );
      kernel4(external, 0, plain, 0, d, 2 * d, 3 * d, d, out, 0);
      l2Four(external, 0, plain, 0, d, 2 * d, 3 * d, d, js, 0);
      expect(Array.from(out.subarray(0, 4))).toEqual(Array.from(js.subarray(0, 4)));
    });
  }
});
