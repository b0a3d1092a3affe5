/**
 * What a package's WebAssembly module is, for the one generator
 * (`generate.ts`): every package with kernels lists its modules in
 * `packages/<name>/wasm/modules.ts` (`export const modules: WasmModuleSpec[]`).
 *
 * Two kinds:
 * - `core`: a kernel module of @x/tensor's wasm runtime (@x/tensor's own, and
 *   those of the packages that register kernels with `defineKernel`). It has
 *   no memory, data or mutable state of its own: it imports the core's linear
 *   memory (`env.memory`, shared where threads are possible) and may import
 *   `env.log` (Math.log), so the core instantiates it on the main thread and
 *   in every pool worker over one memory. Compiled in four variants: relaxed
 *   SIMD FMA or plain SIMD, shared or unshared memory; the core loads the one
 *   its runtime uses.
 * - `standalone`: a module with its own memory for a package below the core
 *   in the dependency graph (@x/precision), one plain-SIMD variant.
 */

/** One compilation of a module. */
export interface WasmVariant {
  /** Relaxed-SIMD fused multiply-add. */
  readonly fma: boolean;
  /** Import a shared memory (threads). */
  readonly shared: boolean;
}

/** The variants of a `core` module, by the names the core's loader picks them by. */
export const CORE_VARIANTS = {
  fmaShared: { fma: true, shared: true },
  fma: { fma: true, shared: false },
  plainShared: { fma: false, shared: true },
  plain: { fma: false, shared: false },
} as const satisfies Record<string, WasmVariant>;

/** The one variant of a `standalone` module. */
export const STANDALONE_VARIANTS = {
  plain: { fma: false, shared: false },
} as const satisfies Record<string, WasmVariant>;

/** Maximum memory pages (64 KiB each) a core module's import declares: 4 GiB, as the core's memory. */
export const MAX_PAGES = 65536;

/** A package's module, as its `wasm/modules.ts` describes it. */
export interface WasmModuleSpec {
  /** The module's name at run time (unique), e.g. `@x/attention`. */
  readonly name: string;
  readonly kind: 'core' | 'standalone';
  /**
   * The generated TypeScript file, relative to the package root, inside a
   * git-ignored `generated/` folder, e.g. `src/kernels/generated/wasm.ts`.
   */
  readonly target: string;
  /** The exported constant: `{ name, variants }` with base64 bytes per variant. */
  readonly exportName: string;
  /** Also export the `variants` object alone under this name. */
  readonly variantsExportName?: string;
  /** Doc comment of the constant, e.g. `The WebAssembly SIMD attention kernels`. */
  readonly description: string;
  /** The WAT text of a variant. */
  wat(variant: WasmVariant): string;
}

/**
 * The import section of a `core` module: the core's memory (shared for the
 * shared variants) and, with `log`, `Math.log` as `$log` (f64 -> f64).
 * @param variant - shared or not
 * @param options - whether the module calls `$log`
 * @returns WAT module fields
 */
export function coreImports(variant: WasmVariant, options: { log?: boolean } = {}): string {
  const memory = `(import "env" "memory" (memory 1 ${MAX_PAGES}${variant.shared ? ' shared' : ''}))`;
  return options.log
    ? `${memory}\n  (import "env" "log" (func $log (param f64) (result f64)))`
    : memory;
}
