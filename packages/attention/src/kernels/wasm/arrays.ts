/**
 * The WebAssembly SIMD kernels behind the typed-array interface of
 * `AttentionKernels` (`wasmSimdKernels`, `checkAttentionKernels`): the same
 * drivers as the `wasm` tensor backend's kernels, on arrays wherever they
 * are. Arrays that are views of @x/tensor's memory (a `wasm` storage's host
 * view) are used in place; others are placed in scratch blocks of that
 * memory for the call and the outputs copied back. float64 arrays, and hosts
 * without WebAssembly SIMD, run the js kernels.
 */
import type { WasmKernelContext } from '@x/tensor';
import { type FlashGradients, flashBackward as jsFlashBackward } from '../flash-backward.js';
import { flashForward as jsFlashForward } from '../flash-forward.js';
import { linearScanForward as jsLinearScanForward, type LinearProblem } from '../linear-scan.js';
import type { AttentionProblem, FloatArray, MaskView } from '../problem.js';
import { wasmFlashBackwardAt } from './flash-backward.js';
import { wasmFlashForwardAt } from './flash-forward.js';
import { wasmLinearScanForwardAt } from './linear-scan.js';
import { attentionWasm } from './simd.js';

/** Addresses for a call's arrays: in place where they lie in the memory, else scratch (outputs copied back by `finish`). */
function placement(
  wasm: WasmKernelContext,
  inputs: readonly ArrayBufferView[],
  outputs: readonly Float32Array[],
) {
  // addresses first: a scratch allocation may grow (and, unshared, detach) the memory
  const inPlace = [...inputs, ...outputs].map((array) => wasm.addressOf(array));
  const addresses = inPlace.map((address, i) => {
    if (address >= 0) return address;
    const array = i < inputs.length ? inputs[i]! : outputs[i - inputs.length]!;
    return wasm.scratch(array.byteLength + 64);
  });
  const u8 = wasm.u8();
  inputs.forEach((array, i) => {
    if (inPlace[i]! < 0)
      u8.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), addresses[i]!);
  });
  return {
    addresses,
    finish: () => {
      const f32 = wasm.f32();
      outputs.forEach((array, o) => {
        const i = inputs.length + o;
        if (inPlace[i]! < 0)
          array.set(f32.subarray(addresses[i]! / 4, addresses[i]! / 4 + array.length));
      });
    },
  };
}

/** The mask as bytes of the memory: its data's address plus its offset. */
function maskIn(wasm: WasmKernelContext, mask: MaskView | null, address: number): MaskView | null {
  return mask ? { data: wasm.u8(), offset: address + mask.offset, strides: mask.strides } : null;
}

/**
 * FlashAttention forward (float32 on wasm; anything else on the js kernel).
 * @param problem - sizes and rules of the call
 * @param out - output [B, H, N, dv] (overwritten)
 * @param lse - log-sum-exp per row [B, H, N] (overwritten)
 */
export function wasmFlashForward(
  problem: AttentionProblem,
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  out: FloatArray,
  lse: FloatArray,
): void {
  const module = attentionWasm();
  if (module === null || !(q instanceof Float32Array) || problem.batch * problem.heads === 0) {
    jsFlashForward(problem, q, k, v, out, lse);
    return;
  }
  module.scope((wasm) => {
    const mask = problem.mask?.data ?? new Uint8Array(0);
    const { addresses, finish } = placement(
      wasm,
      [q, k, v, mask],
      [out as Float32Array, lse as Float32Array],
    );
    const [qa, ka, va, ma, oa, la] = addresses as number[];
    wasmFlashForwardAt(
      wasm,
      { ...problem, mask: maskIn(wasm, problem.mask, ma!) },
      {
        q: qa!,
        k: ka!,
        v: va!,
        out: oa!,
        lse: la!,
      },
    );
    finish();
  });
}

/**
 * FlashAttention backward by recomputation (float32 on wasm; anything else on the js kernel).
 * @param problem - the same problem the forward pass ran
 * @param grads - where to write dq, dk, dv
 */
export function wasmFlashBackward(
  problem: AttentionProblem,
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  out: FloatArray,
  lse: FloatArray,
  dOut: FloatArray,
  grads: FlashGradients,
): void {
  const module = attentionWasm();
  if (module === null || !(q instanceof Float32Array) || problem.batch * problem.heads === 0) {
    jsFlashBackward(problem, q, k, v, out, lse, dOut, grads);
    return;
  }
  module.scope((wasm) => {
    const mask = problem.mask?.data ?? new Uint8Array(0);
    const { addresses, finish } = placement(
      wasm,
      [q, k, v, out, lse, dOut, mask],
      [grads.dq as Float32Array, grads.dk as Float32Array, grads.dv as Float32Array],
    );
    const [qa, ka, va, oa, la, ga, ma, dq, dk, dv] = addresses as number[];
    wasmFlashBackwardAt(
      wasm,
      { ...problem, mask: maskIn(wasm, problem.mask, ma!) },
      {
        q: qa!,
        k: ka!,
        v: va!,
        out: oa!,
        lse: la!,
        dOut: ga!,
        dq: dq!,
        dk: dk!,
        dv: dv!,
      },
    );
    finish();
  });
}

/**
 * out = causal linear attention of the feature-mapped inputs (float32 on wasm, else js).
 * @param problem - sizes
 * @param out - [B, H, N, dv], overwritten
 */
export function wasmLinearScanForward(
  problem: LinearProblem,
  phiQ: FloatArray,
  phiK: FloatArray,
  v: FloatArray,
  out: FloatArray,
): void {
  const module = attentionWasm();
  if (module === null || !(phiQ instanceof Float32Array)) {
    jsLinearScanForward(problem, phiQ, phiK, v, out);
    return;
  }
  module.scope((wasm) => {
    const { addresses, finish } = placement(wasm, [phiQ, phiK, v], [out as Float32Array]);
    const [qa, ka, va, oa] = addresses as number[];
    wasmLinearScanForwardAt(wasm, problem, { phiQ: qa!, phiK: ka!, v: va!, out: oa! });
    finish();
  });
}
