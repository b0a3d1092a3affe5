/**
 * Assembles the WAT of the whole wasm backend module: the imported linear
 * memory (shared when the module is built for threads) and `Math.log`, plus
 * the kernels of `gemm.ts`, `elementwise.ts`, `rows.ts` and `columns.ts`. The module has no
 * data, no globals and no stack, so one instance per thread can run on one
 * shared memory.
 */
import { columnsWat } from './columns.js';
import { elementwiseWat } from './elementwise.js';
import { gemmWat } from './gemm.js';
import { rowsWat } from './rows.js';

/** Variants of the module. */
export interface ModuleVariant {
  /** Relaxed-SIMD fused multiply-add in the matmul micro-kernel. */
  readonly fma: boolean;
  /** Import a shared memory (threads). */
  readonly shared: boolean;
}

/** Maximum memory pages (64 KiB each) the module declares: 4 GiB. */
export const MAX_PAGES = 65536;

/**
 * The module text of one variant.
 * @param variant - fma and shared flags
 * @returns the WAT source
 */
export function moduleWat(variant: ModuleVariant): string {
  return `(module
  (import "env" "memory" (memory 1 ${MAX_PAGES}${variant.shared ? ' shared' : ''}))
  (import "env" "log" (func $log (param f64) (result f64)))
${gemmWat({ fma: variant.fma })}
${elementwiseWat({ fma: variant.fma })}
${rowsWat({ fma: variant.fma })}
${columnsWat()}
)
`;
}
