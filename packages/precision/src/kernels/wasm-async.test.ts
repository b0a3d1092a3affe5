import { afterEach, describe, expect, it, vi } from 'vitest';

const SyncModule = WebAssembly.Module;

/** Chrome's rule on a page's main thread: no synchronous compilation of modules over 4 KB. */
function refuseLargeSyncCompiles(): void {
  const refusing = (bytes: BufferSource) => {
    if (bytes.byteLength > 4096) {
      throw new RangeError(
        'WebAssembly.Module is disallowed on the main thread, if the buffer size is larger than 4KB.',
      );
    }
    return new SyncModule(bytes);
  };
  refusing.prototype = SyncModule.prototype;
  (WebAssembly as { Module: unknown }).Module = refusing;
}

afterEach(() => {
  (WebAssembly as { Module: unknown }).Module = SyncModule;
  vi.resetModules();
});

describe('initWasmKernels (asynchronous compile for a browser main thread)', () => {
  it('turns the wasm kernels on where synchronous compilation is refused', async () => {
    refuseLargeSyncCompiles();
    vi.resetModules();
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

    refuseLargeSyncCompiles();
    vi.resetModules();
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
