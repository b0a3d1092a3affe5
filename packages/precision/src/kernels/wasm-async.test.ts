import { describe, expect, it, vi } from 'vitest';
import { mainThreadSimulation } from '../../../../scripts/test-support/main-thread-wasm.js';

const enterMainThread = mainThreadSimulation();

describe('initWasmKernels (asynchronous compile for a browser main thread)', () => {
  it('turns the wasm kernels on where synchronous compilation is refused', async () => {
    enterMainThread();
    const p = await import('../index.js');
    const x = new Float32Array(4099).map((_, i) => Math.sin(i) * 2 ** ((i % 40) - 20));
    expect(p.wasmSimdAvailable()).toBe(false);
    expect(() => p.float32ToFloat16(x, undefined, { kernel: 'wasm' })).toThrow(p.UnsupportedError);
    const js = p.float32ToFloat16(x, undefined, { kernel: 'js' });

    expect(await p.initWasmKernels()).toBe(true);
    expect(p.wasmSimdAvailable()).toBe(true);
    expect(p.float32ToFloat16(x, undefined, { kernel: 'wasm' })).toEqual(js);
    expect(p.float16ToFloat32(js, undefined, { kernel: 'wasm' })).toEqual(
      p.float16ToFloat32(js, undefined, { kernel: 'js' }),
    );
  });

  it('resolves at once where the kernels already run, and false where compiling fails', async () => {
    vi.resetModules();
    const p = await import('../index.js');
    expect(await p.initWasmKernels()).toBe(true);

    enterMainThread();
    const q = await import('../index.js');
    const compile = vi.spyOn(WebAssembly, 'compile').mockRejectedValue(new Error('no SIMD'));
    try {
      expect(await q.initWasmKernels()).toBe(false);
      expect(q.wasmSimdAvailable()).toBe(false);
    } finally {
      compile.mockRestore();
    }
  });
});
