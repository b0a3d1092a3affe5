import { afterAll, describe, expect, it } from 'vitest';
import {
  Generator,
  getWasmThreads,
  layerNorm,
  max,
  memory,
  setWasmThreads,
  softmax,
  startWasmThreads,
  sum,
  tensor,
  tidy,
  ValueError,
  wasmInfo,
} from '../../index.js';
import { sizeClass, WasmAllocator } from './allocator.js';
import { wasmContext } from './context.js';

function randomValues(n: number, seed: number): Float32Array {
  const g = new Generator(seed);
  return Float32Array.from({ length: n }, () => g.normal());
}

describe('wasm backend', () => {
  const initialThreads = getWasmThreads();
  afterAll(() => setWasmThreads(initialThreads));

  it('is the default backend here, with relaxed SIMD detected and shared memory', () => {
    expect(tensor([1]).backend).toBe('wasm');
    const info = wasmInfo();
    expect(typeof info.fma).toBe('boolean');
    expect(info.shared).toBe(true); // Node has SharedArrayBuffer
  });

  it('gives the same bits on two threads as on one (matmul, softmax, layerNorm, row and column reductions, add, exp)', async () => {
    const a = randomValues(160 * 192, 1);
    const b = randomValues(192 * 200, 2);
    const x = randomValues(600 * 700, 3);
    const wide = randomValues(1024 * 520, 5);
    const run = () =>
      tidy(() => {
        const ta = tensor(a, { shape: [160, 192] });
        const tb = tensor(b, { shape: [192, 200] });
        const tx = tensor(x, { shape: [600, 700] });
        return [
          ta.matmul(tb).toTypedArray(),
          // A batch of 17 small products: split by items (each 64 x 64 x 64).
          tensor(x.subarray(0, 17 * 64 * 64), { shape: [17, 64, 64] })
            .matmul(
              tensor(x.subarray(1000, 1000 + 17 * 64 * 64), { shape: [17, 64, 64] }).transpose(
                1,
                2,
              ),
            )
            .toTypedArray(),
          // 8 rows: one 4-row tile per thread.
          tensor(x.subarray(0, 8 * 1024), { shape: [8, 1024] })
            .matmul(tensor(wide, { shape: [1024, 520] }))
            .toTypedArray(),
          softmax(tx, -1).toTypedArray(),
          layerNorm(tx).toTypedArray(),
          sum(tx, -1).toTypedArray(),
          sum(tx, 0).toTypedArray(),
          max(tx, 0).toTypedArray(),
          tx.add(tx).toTypedArray(),
          tx.mul(3).toTypedArray(),
          tx.exp().toTypedArray(),
        ];
      });
    setWasmThreads(1);
    const single = run();
    setWasmThreads(2);
    expect(await startWasmThreads()).toBe(2);
    const threaded = run();
    for (let i = 0; i < single.length; i++) expect(threaded[i]).toEqual(single[i]);
  });

  it('rejects a thread count that is not a positive integer', () => {
    expect(() => setWasmThreads(0)).toThrow(ValueError);
    expect(() => setWasmThreads(1.5)).toThrow(/positive integer, got 1.5/);
  });

  it('reuses freed memory: a loop of same-sized ops does not grow the heap', () => {
    const allocator = wasmContext().allocator;
    const before = memory('wasm');
    const step = () =>
      tidy(() => {
        const t = tensor(randomValues(4096, 4), { shape: [64, 64] });
        return t.add(t).exp().matmul(t).sum().item();
      });
    step();
    const reserved = allocator.reserved;
    for (let i = 0; i < 20; i++) step();
    expect(allocator.reserved).toBe(reserved);
    expect(memory('wasm').storages).toBe(before.storages);
    expect(memory('wasm').bytes).toBe(before.bytes);
  });

  it('reports live and peak bytes like the js backend', () => {
    const base = memory('wasm').bytes;
    const t = tensor(new Float32Array(1000));
    expect(memory('wasm').bytes).toBe(base + 4000);
    expect(memory('wasm').peakBytes).toBeGreaterThanOrEqual(base + 4000);
    t.dispose();
    expect(memory('wasm').bytes).toBe(base);
  });
});

describe('wasm allocator', () => {
  it('rounds to size classes wasting at most 12.5% and hands out distinct, aligned blocks', () => {
    for (const bytes of [1, 64, 65, 100, 1000, 4097, 1e6]) {
      const size = sizeClass(bytes);
      expect(size).toBeGreaterThanOrEqual(bytes);
      expect(size % 64).toBe(0);
      if (bytes > 64) expect(size / bytes).toBeLessThanOrEqual(1.125 + 64 / bytes);
    }
    const allocator = new WasmAllocator(new WebAssembly.Memory({ initial: 1 }));
    const a = allocator.alloc(100);
    const b = allocator.alloc(100);
    expect(a.ptr).toBeGreaterThan(0);
    expect(b.ptr).toBeGreaterThanOrEqual(a.ptr + a.size);
    expect(a.ptr % 64).toBe(0);
    allocator.free(a.ptr, a.size);
    expect(allocator.alloc(100).ptr).toBe(a.ptr);
    const big = allocator.alloc(1 << 20); // grows the memory
    expect(big.ptr + big.size).toBeLessThanOrEqual(allocator.reserved);
  });
});
