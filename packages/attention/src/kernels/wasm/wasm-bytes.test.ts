/**
 * The committed WebAssembly bytes are exactly what the generator produces
 * from `scripts/wasm-source.ts` with wabt, and the module validates here.
 */
import { describe, expect, it } from 'vitest';
import { compileKernels, generatedFile } from '../../../scripts/generate-wasm.js';
import { wasmSimdAvailable } from './module.js';
import { WASM_KERNELS_BASE64 } from './wasm-bytes.generated.js';

describe('generated WebAssembly attention kernels', () => {
  it('match a fresh compilation of the WAT source', async () => {
    const bytes = await compileKernels();
    expect(Buffer.from(bytes).toString('base64')).toBe(WASM_KERNELS_BASE64);
    expect(generatedFile(bytes)).toContain(`(${bytes.length} bytes)`);
  });

  it('instantiate on Node.js (WebAssembly SIMD)', () => {
    expect(wasmSimdAvailable()).toBe(true);
  });
});
