/**
 * The generated WebAssembly bytes (git-ignored, written by `npm run
 * generate`) are exactly what the one generator produces from
 * `wasm/kernels-source.ts` with wabt, and the module validates here.
 */
import { describe, expect, it } from 'vitest';
import { compileModule } from '../../../../../scripts/wasm/generate.js';
import { modules } from '../../../wasm/modules.js';
import { ATTENTION_WASM } from './generated/attention-wasm.js';
import { wasmSimdAvailable } from './simd.js';

const compileKernels = () => compileModule(modules[0]!);
const WASM_KERNELS_BASE64 = ATTENTION_WASM.variants.plain;

describe('generated WebAssembly attention kernels', () => {
  it('match a fresh compilation of the WAT source', async () => {
    const bytes = await compileKernels();
    expect(Buffer.from(bytes.plain!).toString('base64')).toBe(WASM_KERNELS_BASE64);
    for (const [variant, fresh] of Object.entries(bytes))
      expect(Buffer.from(fresh).toString('base64')).toBe(
        ATTENTION_WASM.variants[variant as keyof typeof ATTENTION_WASM.variants],
      );
  });

  it('instantiate on Node.js (WebAssembly SIMD)', () => {
    expect(wasmSimdAvailable()).toBe(true);
  });
});
