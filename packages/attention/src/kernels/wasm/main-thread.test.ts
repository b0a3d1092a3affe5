import { describe, expect, it } from 'vitest';
import { mainThreadSimulation } from '../../../../../scripts/test-support/main-thread-wasm.js';
import { WASM_KERNELS_BASE64 } from './wasm-bytes.generated.js';

const enterMainThread = mainThreadSimulation();

describe('the attention kernels on a browser main thread', () => {
  it('compile synchronously there: the module stays within the 4 KB older Chrome allowed', async () => {
    // Over 4 KB this module would need an asynchronous init (as @x/precision's
    // initWasmKernels), or main-thread pages silently lose the SIMD kernels.
    expect(atob(WASM_KERNELS_BASE64).length).toBeLessThanOrEqual(4096);
    enterMainThread();
    const { wasmSimdAvailable } = await import('./module.js');
    expect(wasmSimdAvailable()).toBe(true);
  });
});
