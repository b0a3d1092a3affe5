/**
 * The backends every @x/tensor has: `js` (the reference, priority 0) and,
 * where the host validates WebAssembly SIMD, `wasm` (priority 10). Creating
 * them allocates nothing (the wasm module is instantiated on first use);
 * `backend/registry.ts` registers them on the first backend lookup, so
 * importing the package has no side effect.
 */
import type { Backend } from '../backend/backend.js';
import { createJsBackend } from './js/index.js';
import { createWasmBackend, wasmSupported } from './wasm/index.js';

/** A backend and its `auto` priority. */
export interface DefaultBackend {
  readonly backend: Backend;
  readonly priority: number;
}

/**
 * The default backends of this host (new instances on every call).
 * @returns js, and wasm where WebAssembly SIMD validates
 */
export function defaultBackends(): DefaultBackend[] {
  const list: DefaultBackend[] = [{ backend: createJsBackend(), priority: 0 }];
  if (wasmSupported()) list.push({ backend: createWasmBackend(), priority: 10 });
  return list;
}
