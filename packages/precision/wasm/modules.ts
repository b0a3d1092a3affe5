/**
 * @x/precision's WebAssembly module for the one generator (`npm run
 * generate`): the conversion kernels of `kernels-source.ts`, a `standalone`
 * module (its own memory), generated into
 * `src/kernels/generated/precision-wasm.ts` (git-ignored).
 */
import type { WasmModuleSpec } from '../../../scripts/wasm/index.js';
import { precisionWat } from './kernels-source.js';

/** The modules of @x/precision. */
export const modules: WasmModuleSpec[] = [
  {
    name: '@x/precision',
    kind: 'standalone',
    target: 'src/kernels/generated/precision-wasm.ts',
    exportName: 'PRECISION_WASM',
    description: 'The WebAssembly SIMD conversion kernels',
    wat: precisionWat,
  },
];
