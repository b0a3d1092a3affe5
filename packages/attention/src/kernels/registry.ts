/**
 * The typed-array interface of the attention kernels (`AttentionKernels`):
 * the js reference kernels (`jsKernels`), the WebAssembly SIMD ones on the
 * same interface (`wasmSimdKernels`), and, deprecated, a per-backend-name
 * override (`registerAttentionKernels`).
 *
 * The ops no longer dispatch through this table: flash, sparse and the
 * linear scan are @x/tensor extension kernels (`../kernel-ops.ts`), whose
 * `wasm` implementations run on the `wasm` tensors in the core's memory and
 * whose js reference calls the kernels returned here for the tensors'
 * backend (`jsKernels` unless overridden). An override for a backend takes
 * precedence over that backend's own implementation, so code that
 * registered instrumented or experimental kernels keeps working; new code
 * adds an implementation with @x/tensor's `registerKernelImplementation`
 * instead.
 */
import { type FlashGradients, flashBackward } from './flash-backward.js';
import { flashForward } from './flash-forward.js';
import {
  type LinearGradients,
  type LinearProblem,
  linearScanBackward,
  linearScanForward,
} from './linear-scan.js';
import type { AttentionProblem, FloatArray } from './problem.js';
import { wasmFlashBackward, wasmFlashForward, wasmLinearScanForward } from './wasm/arrays.js';

/** The kernels one backend provides; arrays are flat and row-major (shapes in `problem.ts`). */
export interface AttentionKernels {
  /** A name for messages and benchmarks, e.g. `js`. */
  readonly name: string;
  /** FlashAttention-2 forward: writes out and lse. */
  flashForward(
    problem: AttentionProblem,
    q: FloatArray,
    k: FloatArray,
    v: FloatArray,
    out: FloatArray,
    lse: FloatArray,
  ): void;
  /** FlashAttention-2 backward by recomputation: writes dq, dk, dv. */
  flashBackward(
    problem: AttentionProblem,
    q: FloatArray,
    k: FloatArray,
    v: FloatArray,
    out: FloatArray,
    lse: FloatArray,
    dOut: FloatArray,
    grads: FlashGradients,
  ): void;
  /** Causal linear attention by a running prefix sum. */
  linearScanForward(
    problem: LinearProblem,
    phiQ: FloatArray,
    phiK: FloatArray,
    v: FloatArray,
    out: FloatArray,
  ): void;
  /** Its gradients. */
  linearScanBackward(
    problem: LinearProblem,
    phiQ: FloatArray,
    phiK: FloatArray,
    v: FloatArray,
    out: FloatArray,
    dOut: FloatArray,
    grads: LinearGradients,
  ): void;
}

/** The typed-array reference kernels. */
export const jsKernels: AttentionKernels = {
  name: 'js',
  flashForward,
  flashBackward,
  linearScanForward,
  linearScanBackward,
};

/**
 * The WebAssembly SIMD kernels on typed arrays (float32; float64 arrays, and
 * platforms without WebAssembly SIMD, run the js kernels): the drivers the
 * `wasm` tensor backend runs, here on arrays wherever they are (views of
 * @x/tensor's memory in place, others through scratch blocks of it).
 * FlashAttention forward and backward (so flash and sparse attention) and
 * the causal linear scan's forward sweep run in wasm (its backward is the js
 * kernel's).
 * @example
 * registerAttentionKernels('js', wasmSimdKernels); // opt in on the js backend
 */
export const wasmSimdKernels: AttentionKernels = {
  name: 'wasm-simd',
  flashForward: wasmFlashForward,
  flashBackward: wasmFlashBackward,
  linearScanForward: wasmLinearScanForward,
  linearScanBackward,
};

/** The typed-array kernels each backend runs by default: `wasmSimdKernels` for `wasm`, `jsKernels` elsewhere. */
const defaults = new Map<string, AttentionKernels>([['wasm', wasmSimdKernels]]);
const overrides = new Map<string, AttentionKernels>();

/**
 * Overrides the attention kernels of a tensor backend (by name): flash,
 * sparse and linear attention on tensors of that backend then run `kernels`
 * on typed arrays (views of the backend's storage) instead of the backend's
 * own implementation. Registering a backend's default restores it.
 * @deprecated Add an implementation with @x/tensor's `registerKernelImplementation`
 * (kernels `attention.flashForward`, `attention.flashBackward`,
 * `attention.linearScanForward`, `attention.linearScanBackward`); this stays for
 * instrumented kernels and existing callers.
 * @param backend - the @x/tensor backend name, e.g. `wasm`
 * @param kernels - its implementations
 * @example
 * registerAttentionKernels('js-instrumented', { ...jsKernels, name: 'js-instrumented' });
 */
export function registerAttentionKernels(backend: string, kernels: AttentionKernels): void {
  if (kernels === (defaults.get(backend) ?? jsKernels)) overrides.delete(backend);
  else overrides.set(backend, kernels);
}

/**
 * The typed-array kernels for tensors on `backend`: an override, else the
 * backend's default (`wasmSimdKernels` for `wasm`, the js reference elsewhere).
 * @param backend - a backend name
 * @returns the kernels
 */
export function attentionKernels(backend: string): AttentionKernels {
  return overrides.get(backend) ?? defaults.get(backend) ?? jsKernels;
}

/**
 * Internal: the override registered for `backend`, if any (the ops then run
 * it in place of the backend's own implementation).
 * @param backend - a backend name
 * @returns the kernels, or undefined
 */
export function attentionOverride(backend: string): AttentionKernels | undefined {
  return overrides.get(backend);
}
