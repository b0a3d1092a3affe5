/**
 * The attention module on @x/tensor's memory: the core instantiates
 * `wasm/kernels-source.ts` (generated into `generated/attention-wasm.ts`)
 * once, on first use, or asynchronously through `initWasmAttention` where a
 * browser page's main thread refuses synchronous compilation.
 */
import { initWasmBackend, loadWasmModule, type WasmModuleHandle, wasmModule } from '@x/tensor';
import { ATTENTION_WASM } from './generated/attention-wasm.js';

export { ATTENTION_WASM };

let handle: WasmModuleHandle | null = null;

/**
 * The module's handle, or null where WebAssembly SIMD (or synchronous
 * compilation on this thread) is unavailable.
 * @returns the handle
 */
export function attentionWasm(): WasmModuleHandle | null {
  handle ??= wasmModule(ATTENTION_WASM);
  return handle;
}

/**
 * True when the WebAssembly SIMD attention kernels can run here (Node.js
 * 16.4+ and every current browser; on a page's main thread that refuses
 * synchronous compilation, after `initWasmAttention()`). Instantiates the
 * module on first call.
 * @returns whether `wasmSimdKernels` and the `wasm` backend's flash / linear kernels run SIMD code (else the js kernels run)
 * @example wasmSimdAvailable() // true on Node.js 20
 */
export function wasmSimdAvailable(): boolean {
  return attentionWasm() !== null;
}

/**
 * Compiles the WebAssembly SIMD attention kernels asynchronously (and starts
 * @x/tensor's wasm backend, `initWasmBackend`). Only needed on a browser
 * page's main thread of an engine that refuses to compile modules over
 * 4 KB synchronously (older Chrome); elsewhere it resolves at once.
 * @returns whether the kernels are available
 * @example
 * ```ts
 * await initWasmAttention(); // true where WebAssembly SIMD works
 * ```
 */
export async function initWasmAttention(): Promise<boolean> {
  if (attentionWasm()) return true;
  handle = await loadWasmModule(ATTENTION_WASM);
  await initWasmBackend();
  return handle !== null;
}

/** Rounds up to a multiple of `step`. */
export const roundUp = (n: number, step: number): number => Math.ceil(n / step) * step;
