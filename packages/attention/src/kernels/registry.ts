/**
 * Attention kernels by tensor backend. The ops in `src/` never loop over
 * elements themselves: they validate, allocate outputs and call the kernels
 * registered for the inputs' backend, so a faster backend (wasm SIMD,
 * WebGPU) speeds up flash, sparse and linear attention by registering its
 * own implementations of these four functions, with no change to the ops or
 * their autograd rules. The js kernels (typed arrays, this folder) are the
 * reference and the fallback for every backend.
 *
 * `wasmSimdKernels` (WebAssembly SIMD tile products and online softmax, see
 * `wasm/`) are registered for the `wasm` tensor backend by default; on the
 * js backend they are opt-in (`registerAttentionKernels('js',
 * wasmSimdKernels)`), so the js backend stays the readable float64-capable
 * reference. They run float32 arrays only and hand float64 to the js kernels.
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
import { wasmFlashBackward } from './wasm/flash-backward.js';
import { wasmFlashForward } from './wasm/flash-forward.js';
import { wasmLinearScanForward } from './wasm/linear-scan.js';

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
 * The WebAssembly SIMD kernels (float32; float64 arrays, and platforms
 * without WebAssembly SIMD, run the js kernels). FlashAttention forward and
 * backward (so flash and sparse attention) run their tile products and
 * online softmax in wasm, and the causal linear scan's forward sweep runs in
 * wasm (its backward is the js kernel's).
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

const registry = new Map<string, AttentionKernels>([['wasm', wasmSimdKernels]]);

/**
 * Registers the attention kernels of a tensor backend (replacing earlier ones).
 * @param backend - the @x/tensor backend name, e.g. `wasm`
 * @param kernels - its implementations
 * @example
 * registerAttentionKernels('js-instrumented', { ...jsKernels, name: 'js-instrumented' });
 */
export function registerAttentionKernels(backend: string, kernels: AttentionKernels): void {
  registry.set(backend, kernels);
}

/**
 * The kernels used for tensors on `backend`: the registered ones, else the js reference.
 * @param backend - a backend name
 * @returns the kernels
 */
export function attentionKernels(backend: string): AttentionKernels {
  return registry.get(backend) ?? jsKernels;
}
