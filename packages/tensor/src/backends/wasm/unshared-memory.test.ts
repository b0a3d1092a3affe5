import { afterEach, describe, expect, it, vi } from 'vitest';

type Globals = { crossOriginIsolated?: boolean };

afterEach(() => {
  delete (globalThis as Globals).crossOriginIsolated;
  vi.resetModules();
});

describe('the wasm backend without SharedArrayBuffer memory (a page that is not cross-origin isolated)', () => {
  it('instantiates the unshared variant and computes what js computes, on one thread', async () => {
    (globalThis as Globals).crossOriginIsolated = false;
    vi.resetModules();
    const x = await import('../../index.js');
    expect(x.getBackend().name).toBe('wasm');
    expect(x.wasmInfo().shared).toBe(false);
    expect(await x.startWasmThreads()).toBe(1);
    const g = new x.Generator(3);
    const a = x.randn([70, 130], { generator: g });
    const b = x.randn([130, 50], { generator: g });
    const onWasm = x.matmul(a, b).softmax(-1).toTypedArray();
    const onJs = x.matmul(a.toBackend('js'), b.toBackend('js')).softmax(-1).toTypedArray();
    let worst = 0;
    for (let i = 0; i < onJs.length; i++) worst = Math.max(worst, Math.abs(onWasm[i]! - onJs[i]!));
    expect(worst).toBeLessThan(1e-5);
  });
});
