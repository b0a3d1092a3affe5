/**
 * The wasm backend's module for the one generator (`scripts/wasm/generate.ts`,
 * `npm run generate`): the kernels of `gemm.ts`, `elementwise.ts`, `rows.ts`
 * and `columns.ts` over the imported linear memory (shared in the threaded
 * variants) and `Math.log`. The module has no data, no globals and no stack,
 * so one instance per thread runs on one shared memory. Generated into
 * `src/backends/wasm/generated/modules.ts` (git-ignored).
 */
import { coreImports, type WasmModuleSpec, type WasmVariant } from '../../../scripts/wasm/index.js';
import { columnsWat } from './columns.js';
import { elementwiseWat } from './elementwise.js';
import { gemmWat } from './gemm.js';
import { rowsWat } from './rows.js';
import { skinnyWat } from './skinny.js';

/**
 * The module text of one variant.
 * @param variant - fma and shared flags
 * @returns the WAT source
 */
export function moduleWat(variant: WasmVariant): string {
  return `(module
  ${coreImports(variant, { log: true })}
${gemmWat({ fma: variant.fma })}
${elementwiseWat({ fma: variant.fma })}
${rowsWat({ fma: variant.fma })}
${columnsWat()}
)
`;
}

/** The modules of @x/tensor. */
export const modules: WasmModuleSpec[] = [
  {
    name: '@x/tensor',
    kind: 'core',
    target: 'src/backends/wasm/generated/modules.ts',
    exportName: 'TENSOR_WASM',
    variantsExportName: 'WASM_MODULES',
    description: "The wasm backend's kernels",
    wat: moduleWat,
  },
  {
    name: '@x/tensor/skinny',
    kind: 'core',
    target: 'src/backends/wasm/generated/skinny.ts',
    exportName: 'SKINNY_WASM',
    description:
      'The skinny products of packed weights (`project`): a few rows times a weight matrix packed once',
    wat: (variant: WasmVariant) =>
      `(module\n  ${coreImports(variant)}\n${skinnyWat({ fma: variant.fma })}\n)\n`,
  },
];
