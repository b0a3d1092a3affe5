/**
 * @x/attention's WebAssembly module for the one generator (`npm run
 * generate`): the kernels of `kernels-source.ts`, a `core` module on
 * @x/tensor's memory, generated into `src/kernels/wasm/generated/attention-wasm.ts`
 * (git-ignored).
 */
import type { WasmModuleSpec } from '../../../scripts/wasm/index.js';
import { attentionWat } from './kernels-source.js';

/** The modules of @x/attention. */
export const modules: WasmModuleSpec[] = [
  {
    name: '@x/attention',
    kind: 'core',
    target: 'src/kernels/wasm/generated/attention-wasm.ts',
    exportName: 'ATTENTION_WASM',
    description: 'The WebAssembly SIMD attention kernels',
    wat: attentionWat,
  },
];
