/**
 * The attention kernels as @x/tensor extension kernels (`defineKernel`):
 * the core validates, allocates the outputs on the inputs' backend, records
 * the tape and dispatches, so the ops in `flash.ts` and `linear.ts` are a
 * few lines each.
 *
 * - `attention.flashForward` (q, k, v, mask?) -> out [B, H, N, dv], lse [B, H, N],
 *   differentiable in out through `attention.flashBackward` (q, k, v, out,
 *   lse, dOut, mask?) -> dq, dk, dv. Flash and sparse attention.
 * - `attention.linearScanForward` (phiQ, phiK, v) -> out, through
 *   `attention.linearScanBackward` (phiQ, phiK, v, out, dOut) -> the three
 *   gradients. Causal linear attention.
 * - `attention.firstNonFinite` (x) -> the flat index of its first NaN or
 *   infinity (-1 if none), read where the tensor lies.
 *
 * Implementations: the `wasm` ones run the WebAssembly SIMD drivers of
 * `kernels/wasm/` on the tensors in @x/tensor's memory (float32; the dense
 * flash forward split across the core's threads); the js reference runs the
 * typed-array kernels `attentionKernels(backend)` returns on views of the
 * storage (the js kernels unless an override was registered, which also
 * takes the `wasm` backend's place). Shapes and the position convention:
 * `kernels/problem.ts`.
 */
import { defineKernel, type HostTensor, type Tensor, type WasmTensor } from '@x/tensor';
import type { LinearProblem } from './kernels/linear-scan.js';
import type { AttentionProblem, FloatArray, MaskView } from './kernels/problem.js';
import { attentionKernels, attentionOverride } from './kernels/registry.js';
import { wasmFlashBackwardAt } from './kernels/wasm/flash-backward.js';
import { wasmFlashForwardAt } from './kernels/wasm/flash-forward.js';
import { wasmLinearScanForwardAt } from './kernels/wasm/linear-scan.js';
import { ATTENTION_WASM } from './kernels/wasm/simd.js';

/** The attributes of the flash kernels: the problem without its mask (the mask is an input). */
export type FlashAttributes = Omit<AttentionProblem, 'mask'>;

const FLOAT = ['float32', 'float64'] as const;
const MASK = { name: 'mask', dtypes: ['bool'], optional: true, layout: 'strided' } as const;

/** Strides of a [.., N, M] bool mask broadcast to [B, H, N, M] (0 on broadcast axes). */
function broadcastStrides(
  mask: { readonly shape: readonly number[]; readonly strides: readonly number[] },
  problem: FlashAttributes,
): [number, number, number, number] {
  const target = [problem.batch, problem.heads, problem.queries, problem.keys];
  const strides: [number, number, number, number] = [0, 0, 0, 0];
  const shift = 4 - mask.shape.length;
  for (let axis = 0; axis < mask.shape.length; axis++) {
    strides[axis + shift] =
      mask.shape[axis] === 1 && target[axis + shift] !== 1 ? 0 : mask.strides[axis]!;
  }
  return strides;
}

/** The mask of a js call: a view of its storage. */
function hostMask(mask: HostTensor | null, problem: FlashAttributes): MaskView | null {
  return mask
    ? {
        data: mask.data as Uint8Array,
        offset: mask.offset,
        strides: broadcastStrides(mask, problem),
      }
    : null;
}

/** The mask of a wasm call: bytes of the memory from its address. */
function memoryMask(
  mask: WasmTensor | null,
  memory: Uint8Array,
  problem: FlashAttributes,
): MaskView | null {
  return mask
    ? { data: memory, offset: mask.address, strides: broadcastStrides(mask, problem) }
    : null;
}

const arrays = (tensors: readonly (HostTensor | null)[]) =>
  tensors.map((t) => t?.data as FloatArray);

/** FlashAttention-2 forward: out and the log-sum-exp of every row. */
export const flashForwardKernel = defineKernel<FlashAttributes>({
  name: 'attention.flashForward',
  inputs: [
    { name: 'q', dtypes: FLOAT },
    { name: 'k', dtypes: FLOAT },
    { name: 'v', dtypes: FLOAT },
    MASK,
  ],
  outputs: ([q], p) => [
    { shape: [p.batch, p.heads, p.queries, p.valueDim], dtype: q!.dtype },
    { shape: [p.batch, p.heads, p.queries], dtype: q!.dtype },
  ],
  differentiable: [0],
  gradient: (grad, { inputs: [q, k, v, mask], outputs: [out, lse], attributes }) => {
    const [dq, dk, dv] = flashBackwardKernel.run([q!, k!, v!, out!, lse!, grad, mask!], attributes);
    return [dq!, dk!, dv!, null];
  },
  js: ({ inputs, outputs, attributes, backend }) => {
    const [q, k, v] = arrays(inputs);
    const [out, lse] = arrays(outputs);
    const problem = { ...attributes, mask: hostMask(inputs[3]!, attributes) };
    attentionKernels(backend.name).flashForward(problem, q!, k!, v!, out!, lse!);
  },
  wasm: {
    module: ATTENTION_WASM,
    run: ({ inputs: [q, k, v, mask], outputs: [out, lse], attributes, backend, wasm }) => {
      if (q!.dtype !== 'float32' || attentionOverride(backend.name)) return false;
      const problem = { ...attributes, mask: memoryMask(mask!, wasm.u8(), attributes) };
      wasmFlashForwardAt(wasm, problem, {
        q: q!.address,
        k: k!.address,
        v: v!.address,
        out: out!.address,
        lse: lse!.address,
      });
      return true;
    },
  },
});

/** FlashAttention-2 backward by recomputation: dq, dk, dv. */
export const flashBackwardKernel = defineKernel<FlashAttributes>({
  name: 'attention.flashBackward',
  inputs: [
    { name: 'q', dtypes: FLOAT },
    { name: 'k', dtypes: FLOAT },
    { name: 'v', dtypes: FLOAT },
    { name: 'out', dtypes: FLOAT },
    { name: 'lse', dtypes: FLOAT },
    { name: 'dOut', dtypes: FLOAT },
    MASK,
  ],
  outputs: ([q, k, v]) => [
    { shape: q!.shape, dtype: q!.dtype },
    { shape: k!.shape, dtype: q!.dtype },
    { shape: v!.shape, dtype: q!.dtype },
  ],
  js: ({ inputs, outputs, attributes, backend }) => {
    const [q, k, v, out, lse, dOut] = arrays(inputs);
    const [dq, dk, dv] = arrays(outputs);
    const problem = { ...attributes, mask: hostMask(inputs[6]!, attributes) };
    attentionKernels(backend.name).flashBackward(problem, q!, k!, v!, out!, lse!, dOut!, {
      dq: dq!,
      dk: dk!,
      dv: dv!,
    });
  },
  wasm: {
    module: ATTENTION_WASM,
    run: ({ inputs, outputs: [dq, dk, dv], attributes, backend, wasm }) => {
      const [q, k, v, out, lse, dOut, mask] = inputs;
      if (q!.dtype !== 'float32' || attentionOverride(backend.name)) return false;
      const problem = { ...attributes, mask: memoryMask(mask!, wasm.u8(), attributes) };
      wasmFlashBackwardAt(wasm, problem, {
        q: q!.address,
        k: k!.address,
        v: v!.address,
        out: out!.address,
        lse: lse!.address,
        dOut: dOut!.address,
        dq: dq!.address,
        dk: dk!.address,
        dv: dv!.address,
      });
      return true;
    },
  },
});

/** Causal linear attention by a running prefix sum. */
export const linearScanForwardKernel = defineKernel<LinearProblem>({
  name: 'attention.linearScanForward',
  inputs: [
    { name: 'phiQ', dtypes: FLOAT },
    { name: 'phiK', dtypes: FLOAT },
    { name: 'v', dtypes: FLOAT },
  ],
  outputs: ([phiQ], p) => [
    { shape: [p.batch, p.heads, p.queries, p.valueDim], dtype: phiQ!.dtype },
  ],
  gradient: (grad, { inputs: [phiQ, phiK, v], outputs: [out], attributes }) =>
    linearScanBackwardKernel.run([phiQ!, phiK!, v!, out!, grad], attributes),
  js: ({ inputs, outputs, attributes, backend }) => {
    const [phiQ, phiK, v] = arrays(inputs);
    attentionKernels(backend.name).linearScanForward(
      attributes,
      phiQ!,
      phiK!,
      v!,
      outputs[0]!.data as FloatArray,
    );
  },
  wasm: {
    module: ATTENTION_WASM,
    run: ({ inputs: [phiQ, phiK, v], outputs: [out], attributes, backend, wasm }) => {
      if (phiQ!.dtype !== 'float32' || attentionOverride(backend.name)) return false;
      wasmLinearScanForwardAt(wasm, attributes, {
        phiQ: phiQ!.address,
        phiK: phiK!.address,
        v: v!.address,
        out: out!.address,
      });
      return true;
    },
  },
});

/** The gradients of the causal linear scan (the js kernel on every backend). */
export const linearScanBackwardKernel = defineKernel<LinearProblem>({
  name: 'attention.linearScanBackward',
  inputs: ['phiQ', 'phiK', 'v', 'out', 'dOut'].map((name) => ({ name, dtypes: FLOAT })),
  outputs: ([phiQ, phiK, v]) => [
    { shape: phiQ!.shape, dtype: phiQ!.dtype },
    { shape: phiK!.shape, dtype: phiQ!.dtype },
    { shape: v!.shape, dtype: phiQ!.dtype },
  ],
  js: ({ inputs, outputs, attributes, backend }) => {
    const [phiQ, phiK, v, out, dOut] = arrays(inputs);
    const [dPhiQ, dPhiK, dV] = arrays(outputs);
    attentionKernels(backend.name).linearScanBackward(attributes, phiQ!, phiK!, v!, out!, dOut!, {
      dPhiQ: dPhiQ!,
      dPhiK: dPhiK!,
      dV: dV!,
    });
  },
});

/** The flat index of a tensor's first NaN or infinity, or -1 (one pass where the tensor lies). */
export const firstNonFiniteKernel = defineKernel<Record<string, never>>({
  name: 'attention.firstNonFinite',
  inputs: [{ name: 'x', dtypes: FLOAT }],
  outputs: () => [{ shape: [], dtype: 'int32' }],
  js: ({ inputs: [x], outputs: [index] }) => {
    const values = x!.data;
    let found = -1;
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) {
        found = i;
        break;
      }
    }
    index!.data[0] = found;
  },
});

/**
 * The flat index of the first NaN or infinity of `t` (row-major), or -1.
 * @param t - a float32 / float64 tensor
 * @returns the index
 */
export function firstNonFinite(t: Tensor): number {
  const [index] = firstNonFiniteKernel.run([t], {});
  const value = index!.item();
  index!.dispose();
  return value;
}
