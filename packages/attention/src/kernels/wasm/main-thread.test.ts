import { afterEach, describe, expect, it, vi } from 'vitest';
import { simulateMainThread } from '../../../../../scripts/test-support/main-thread-wasm.js';
import { WASM_KERNELS_BASE64 } from './wasm-bytes.generated.js';

let restore: (() => void) | null = null;

afterEach(() => {
  restore?.();
  restore = null;
  vi.resetModules();
});

describe('the attention kernels on a browser main thread', () => {
  it('compile synchronously there: the module stays within the 4 KB older Chrome allowed', async () => {
    // Over 4 KB this module would need an asynchronous init (as @x/precision's
    // initWasmKernels), or main-thread pages silently lose the SIMD kernels.
    expect(atob(WASM_KERNELS_BASE64).length).toBeLessThanOrEqual(4096);
    restore = simulateMainThread();
    vi.resetModules();
    const { wasmSimdAvailable } = await import('./module.js');
    expect(wasmSimdAvailable()).toBe(true);
  });
});
