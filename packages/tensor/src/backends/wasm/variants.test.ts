import { describe, expect, it } from 'vitest';
import { WASM_MODULES } from './generated/modules.js';
import { GEMM_KC, GEMM_MC } from './kernels/constants.js';
import { wasmRuntime } from './loader.js';

function instantiate(base64: string, shared: boolean) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: { memory, log: Math.log },
  });
  return { memory, exports: instance.exports as Record<string, (...args: number[]) => void> };
}

/** C = A B through pack_b + gemm of one module variant, checked against a float64 product. */
function checkVariant(base64: string, shared: boolean) {
  const { memory, exports } = instantiate(base64, shared);
  const [M, K, N] = [13, 300, 21];
  const heap = new Float32Array(memory.buffer);
  const [a, b, c, bpack, apack] = [1024, 1024 + M * K, 1024 + M * K + K * N, 200_000, 400_000];
  for (let i = 0; i < M * K; i++) heap[a + i] = Math.sin(i);
  for (let i = 0; i < K * N; i++) heap[b + i] = Math.cos(i);
  exports.pack_b!(b * 4, N * 4, 4, K, N, bpack * 4);
  exports.gemm!(
    a * 4,
    K * 4,
    4,
    bpack * 4,
    c * 4,
    N * 4,
    0,
    M,
    N,
    K,
    apack * 4,
    (apack + GEMM_MC * GEMM_KC) * 4,
  );
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let exact = 0;
      for (let k = 0; k < K; k++) exact += heap[a + i * K + k]! * heap[b + k * N + j]!;
      expect(Math.abs(heap[c + i * N + j]! - exact)).toBeLessThan(2e-4);
    }
  }
}

describe('wasm module variants', () => {
  it('plain SIMD (mul + add) computes the product, shared and unshared memory', () => {
    checkVariant(WASM_MODULES.plain, false);
    checkVariant(WASM_MODULES.plainShared, true);
  });

  it('relaxed-SIMD FMA computes the product where the host accepts it', () => {
    if (!wasmRuntime().fma) return; // the loader enables relaxed SIMD on Node 20; browsers without it use plain
    checkVariant(WASM_MODULES.fma, false);
    checkVariant(WASM_MODULES.fmaShared, true);
  });
});
