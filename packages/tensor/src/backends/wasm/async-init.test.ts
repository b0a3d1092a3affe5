import { describe, expect, it, vi } from 'vitest';
import { mainThreadSimulation } from '../../../../../scripts/test-support/main-thread-wasm.js';

const enterMainThread = mainThreadSimulation();

describe('initWasmBackend (asynchronous start for a browser main thread)', () => {
  it('starts on js where synchronous compilation is refused, then moves auto to wasm', async () => {
    enterMainThread();
    const x = await import('../../index.js');
    expect(x.wasmSupported()).toBe(false);
    expect(x.listBackends()).not.toContain('wasm');
    expect(x.getBackend().name).toBe('js');
    const before = x.tensor([
      [1, 2],
      [3, 4],
    ]);

    expect(await x.initWasmBackend()).toBe(true);
    expect(x.listBackends()).toContain('wasm');
    expect(x.getBackend().name).toBe('wasm');
    expect(before.backend).toBe('js'); // existing tensors stay where they are

    // the asynchronously compiled module computes what the js reference computes
    const a = x.randn([17, 33], { generator: new x.Generator(1) });
    const b = x.randn([33, 9], { generator: new x.Generator(2) });
    expect(a.backend).toBe('wasm');
    const onWasm = x.matmul(a, b).toArray() as number[][];
    const onJs = x.matmul(a.toBackend('js'), b.toBackend('js')).toArray() as number[][];
    onWasm.flat().forEach((value, i) => expect(value).toBeCloseTo(onJs.flat()[i]!, 4));
  });

  it('keeps a backend chosen by name', async () => {
    enterMainThread();
    const x = await import('../../index.js');
    x.setBackend('js');
    expect(await x.initWasmBackend()).toBe(true);
    expect(x.getBackend().name).toBe('js');
    expect(x.findBackend('wasm').name).toBe('wasm');
  });

  it('resolves at once where the backend already runs (Node)', async () => {
    vi.resetModules();
    const x = await import('../../index.js');
    expect(x.getBackend().name).toBe('wasm');
    expect(await x.initWasmBackend()).toBe(true);
    expect(x.getBackend().name).toBe('wasm');
  });

  it('reports false where WebAssembly cannot compile the module', async () => {
    enterMainThread();
    const x = await import('../../index.js');
    const compile = vi.spyOn(WebAssembly, 'compile').mockRejectedValue(new Error('no SIMD here'));
    try {
      expect(await x.initWasmBackend()).toBe(false);
      expect(x.listBackends()).not.toContain('wasm');
      expect(x.getBackend().name).toBe('js');
    } finally {
      compile.mockRestore();
    }
  });
});
