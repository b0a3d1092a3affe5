/**
 * The generated WebAssembly bytes (git-ignored, written by `npm run
 * generate`) are exactly what the one generator produces from
 * `wasm/kernels-source.ts` with wabt, and the module validates here.
 */
import { describe, expect, it } from 'vitest';
import { compileModule } from '../../../../scripts/wasm/generate.js';
import { modules } from '../../wasm/modules.js';
import { PRECISION_WASM } from './generated/precision-wasm.js';
import { wasmSimdAvailable } from './wasm.js';

const compileKernels = async () => (await compileModule(modules[0]!)).plain!;
const WASM_KERNELS_BASE64 = PRECISION_WASM.variants.plain;

describe('generated WebAssembly kernels', () => {
  it('match a fresh compilation of the WAT source', async () => {
    const bytes = await compileKernels();
    expect(Buffer.from(bytes).toString('base64')).toBe(WASM_KERNELS_BASE64);
  });

  it('instantiate on Node.js (WebAssembly SIMD)', () => {
    expect(wasmSimdAvailable()).toBe(true);
  });
});
