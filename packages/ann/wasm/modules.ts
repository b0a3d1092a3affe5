/**
 * @x/ann's WebAssembly module for the one generator (`npm run generate`):
 * the squared-L2 kernels of `l2-source.ts`, a `core` module on @x/tensor's
 * memory, generated into `src/simd/generated/l2-wasm.ts` (git-ignored).
 */
import type { WasmModuleSpec } from '../../../scripts/wasm/index.js';
import { l2Wat } from './l2-source.js';

/** The modules of @x/ann. */
export const modules: WasmModuleSpec[] = [
  {
    name: '@x/ann',
    kind: 'core',
    target: 'src/simd/generated/l2-wasm.ts',
    exportName: 'L2_WASM',
    description: 'The squared-L2 WebAssembly SIMD kernels',
    wat: l2Wat,
  },
];
