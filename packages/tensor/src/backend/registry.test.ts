/**
 * The registry registers the default backends on the first lookup, not at
 * import: importing @x/tensor has no side effect (`sideEffects: false`), and
 * a backend registered before the first lookup keeps its name.
 */
import { describe, expect, it, vi } from 'vitest';

describe('backend registry', () => {
  it('registers js and wasm on the first lookup, keeping a backend registered before it', async () => {
    vi.resetModules();
    const registry = await import('./registry.js');
    const { createJsBackend } = await import('../backends/js/index.js');
    const { wasmSupported } = await import('../backends/wasm/index.js');
    const mine = createJsBackend();
    registry.registerBackend(mine, { priority: 0 });
    expect(registry.findBackend('js')).toBe(mine);
    expect(registry.listBackends()).toEqual(wasmSupported() ? ['js', 'wasm'] : ['js']);
    expect(registry.setBackend('auto').name).toBe(wasmSupported() ? 'wasm' : 'js');
    expect(registry.setBackend('js')).toBe(mine);
  });
});
