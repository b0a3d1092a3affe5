/**
 * @x/ssm's WebAssembly module for the one generator (`npm run generate`):
 * the selective scan of `scan-source.ts`, a `core` module on @x/tensor's
 * memory, generated into `src/scan/generated/scan-wasm.ts` (git-ignored).
 */
import type { WasmModuleSpec } from '../../../scripts/wasm/index.js';
import { scanWat } from './scan-source.js';

/** The modules of @x/ssm. */
export const modules: WasmModuleSpec[] = [
  {
    name: '@x/ssm',
    kind: 'core',
    target: 'src/scan/generated/scan-wasm.ts',
    exportName: 'SCAN_WASM',
    description: 'The WebAssembly SIMD selective scan',
    wat: scanWat,
  },
];
