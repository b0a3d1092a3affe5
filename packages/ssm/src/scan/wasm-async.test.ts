import { describe, expect, it, vi } from 'vitest';
import { mainThreadSimulation } from '../../../../scripts/test-support/main-thread-wasm.js';

const enterMainThread = mainThreadSimulation();

describe('initWasmScan (asynchronous compile for a browser main thread)', () => {
  it('turns the wasm scan on where synchronous compilation is refused; same results as the JS kernel', async () => {
    enterMainThread();
    const ssm = await import('../index.js');
    const wasm = await import('./selective-scan-wasm.js');
    const t = await import('@x/tensor');
    const g = new t.Generator(5);
    const [b, l, d, n] = [2, 9, 6, 8];
    const u = t.randn([b, l, d], { generator: g });
    const delta = t.rand([b, l, d], { generator: g });
    const A = t.randn([d, n], { generator: g }).abs().neg();
    const B = t.randn([b, l, n], { generator: g });
    const C = t.randn([b, l, n], { generator: g });
    expect(ssm.wasmScanAvailable()).toBe(false);
    const onJs = ssm.selectiveScanChannelsLast(u, delta, A, B, C).y.toArray() as number[][][];

    expect(await ssm.initWasmScan()).toBe(true);
    expect(ssm.wasmScanAvailable()).toBe(true);
    // this shape takes the wasm kernel now (float32, n % 4 == 0)
    const shape = { b, l, d, n, u: new Float32Array(b * l * d), B: new Float32Array(b * l * n) };
    expect(wasm.useWasmScan({ ...shape, C: shape.B } as never)).toBe(true);
    const onWasm = ssm.selectiveScanChannelsLast(u, delta, A, B, C).y.toArray() as number[][][];
    onWasm.flat(2).forEach((value, i) => expect(value).toBeCloseTo(onJs.flat(2)[i]!, 4));
  });

  it('resolves at once where the scan already runs', async () => {
    vi.resetModules();
    const ssm = await import('../index.js');
    expect(ssm.wasmScanAvailable()).toBe(true);
    expect(await ssm.initWasmScan()).toBe(true);
  });
});
