/**
 * On a browser page's main thread that refuses to compile modules over 4 KB
 * synchronously (older Chrome), the attention kernels (which run in
 * @x/tensor's wasm runtime, itself larger than that) are unavailable until
 * `initWasmAttention()` compiles them asynchronously; meanwhile flash runs
 * the js kernels, with the same results.
 */
import { describe, expect, it } from 'vitest';
import { mainThreadSimulation } from '../../../../../scripts/test-support/main-thread-wasm.js';

const enterMainThread = mainThreadSimulation();

describe('the attention kernels on a browser main thread', () => {
  it('compile asynchronously there (initWasmAttention), after flash ran the js kernels', async () => {
    enterMainThread();
    const { initWasmAttention, wasmSimdAvailable } = await import('./simd.js');
    const { attention } = await import('../../attention.js');
    const t = await import('@x/tensor');
    expect(wasmSimdAvailable()).toBe(false);
    const g = new t.Generator(2);
    const [q, k, v] = [0, 1, 2].map(() => t.randn([1, 2, 40, 16], { generator: g }));
    const before = attention(q!, k!, v!, { causal: true, implementation: 'flash' }).toTypedArray();
    expect(await initWasmAttention()).toBe(true);
    expect(wasmSimdAvailable()).toBe(true);
    const [qw, kw, vw] = [q!, k!, v!].map((x) => x.toBackend('wasm'));
    const after = attention(qw!, kw!, vw!, {
      causal: true,
      implementation: 'flash',
    }).toTypedArray();
    after.forEach((value, i) => expect(value).toBeCloseTo(before[i]!, 5));
  });
});
