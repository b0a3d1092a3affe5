/**
 * The selective scan as two @x/tensor extension kernels: `ssm.selectiveScan`
 * (the forward recurrence; its gradient rule runs the backward kernel) and
 * `ssm.selectiveScanBackward` (the reverse scan). Each has the plain loops
 * of `selective-scan-kernel.ts` as its js reference (float64 for gradient
 * checks, any backend) and the WebAssembly SIMD driver of
 * `scan-wasm-driver.ts` as its `wasm` implementation, which runs on the
 * tensors where they lie in the core's memory (float32, n % 4 == 0; it
 * declines anything else, and the reference runs on the same memory).
 *
 * Inputs, channels-last: u, delta, z [b, l, d]; A [d, n]; B, C [b, l, n] or
 * [d, n]; D, deltaBias [d]; h0 [b, d, n] (D, z, deltaBias, h0 optional).
 * Forward outputs: out [b, l, d], hLast [b, d, n], and for the backward dt
 * and y before D and the gate, [b, l, d] each ([0] when `save` is false).
 * Backward outputs: the gradients of the nine inputs ([0] for absent ones).
 */
import { defineKernel, type HostTensor, type Tensor, type WasmTensor } from '@x/tensor';
import { SCAN_WASM } from './generated/scan-wasm.js';
import {
  type ScanAddresses,
  type ScanShape,
  scanBackwardAt,
  scanForwardAt,
} from './scan-wasm-driver.js';
import {
  type ScanArrays,
  type ScanSaved,
  scanBackward,
  scanForward,
} from './selective-scan-kernel.js';
import { wasmScanEnabled } from './selective-scan-wasm.js';

/** Attributes of the forward kernel. */
export interface ScanAttributes {
  /** dt = softplus(delta + deltaBias). */
  readonly softplus: boolean;
  /** Keep dt and y for a backward pass. */
  readonly save: boolean;
}

/** Attributes of the backward kernel. */
export interface ScanBackwardAttributes {
  readonly softplus: boolean;
  /** What the js forward kept (its float64 dt, y and decays), if it ran. */
  readonly saved: ScanSaved | undefined;
}

const FLOAT = ['float32', 'float64'] as const;
const INPUTS = [
  { name: 'u', dtypes: FLOAT },
  { name: 'delta', dtypes: FLOAT },
  { name: 'A', dtypes: FLOAT },
  { name: 'B', dtypes: FLOAT },
  { name: 'C', dtypes: FLOAT },
  { name: 'D', dtypes: FLOAT, optional: true },
  { name: 'z', dtypes: FLOAT, optional: true },
  { name: 'deltaBias', dtypes: FLOAT, optional: true },
  { name: 'initialState', dtypes: FLOAT, optional: true },
] as const;

/** Sizes of a call from u [b, l, d] and A [d, n]. */
function sizes(
  u: { shape: readonly number[] },
  A: { shape: readonly number[] },
  B: { shape: readonly number[] },
) {
  const [b, l, d] = u.shape as [number, number, number];
  return { b, l, d, n: A.shape[1]!, varying: B.shape.length === 3 };
}

/** ScanArrays over host tensors. */
function arraysOf(inputs: readonly (HostTensor | null)[], softplus: boolean): ScanArrays {
  const [u, delta, A, B, C, D, z, deltaBias, h0] = inputs;
  return {
    ...sizes(u!, A!, B!),
    u: u!.data,
    delta: delta!.data,
    A: A!.data,
    B: B!.data,
    C: C!.data,
    D: D?.data ?? null,
    z: z?.data ?? null,
    deltaBias: deltaBias?.data ?? null,
    softplus,
    h0: h0?.data ?? null,
  };
}

/** Whether the wasm driver takes a call: float32, n % 4 == 0, within 2 GiB, turned on. */
function wasmTakes(s: ScanShape, dtype: string, bcLength: number): boolean {
  const { b, l, d, n } = s;
  const floats = 10 * b * l * d + 4 * bcLength + (2 * b + 2 * l + 4) * d * n;
  return wasmScanEnabled() && dtype === 'float32' && n > 0 && n % 4 === 0 && floats * 4 < 2 ** 31;
}

/** The byte addresses of the nine scan inputs (0 for absent optional ones). */
function addressesOf(inputs: readonly (WasmTensor | null)[]): ScanAddresses {
  const [u, delta, A, B, C, D, z, deltaBias, h0] = inputs.map((t) => t?.address ?? 0);
  return {
    u: u!,
    delta: delta!,
    A: A!,
    B: B!,
    C: C!,
    D: D!,
    z: z!,
    deltaBias: deltaBias!,
    h0: h0!,
  };
}

/** The forward kernel (see the file header). */
export const selectiveScanKernel = defineKernel<ScanAttributes>({
  name: 'ssm.selectiveScan',
  inputs: INPUTS,
  outputs: ([u, , A, B], { save }) => {
    const { b, l, d, n } = sizes(u!, A!, B!);
    const kept = save ? [b, l, d] : [0];
    return [
      { shape: [b, l, d], dtype: u!.dtype },
      { shape: [b, d, n], dtype: u!.dtype },
      { shape: kept, dtype: u!.dtype },
      { shape: kept, dtype: u!.dtype },
    ];
  },
  differentiable: [0],
  gradient: (grad, { inputs, outputs, attributes, saved }) => {
    const [, , dt, yRaw] = outputs as [Tensor, Tensor, Tensor, Tensor];
    const grads = selectiveScanBackwardKernel.run([...inputs, dt, yRaw, grad], {
      softplus: attributes.softplus,
      saved: saved as ScanSaved | undefined,
    });
    return inputs.map((t, i) => (t?.requiresGrad ? grads[i]! : null));
  },
  js: ({ inputs, outputs: [out, hLast, dt, yRaw], attributes, save }) => {
    const arrays = arraysOf(inputs, attributes.softplus);
    const kept = scanForward(arrays, out!.data, hLast!.data, attributes.save);
    if (!kept) return;
    dt!.data.set(kept.dt);
    yRaw!.data.set(kept.y);
    save(kept);
  },
  wasm: {
    module: SCAN_WASM,
    run: ({ inputs, outputs: [out, hLast, dt, yRaw], attributes, wasm }) => {
      const [u, , A, B, C] = inputs;
      const shape = { ...sizes(u!, A!, B!), softplus: attributes.softplus };
      if (!wasmTakes(shape, u!.dtype, B!.size + C!.size)) return false;
      const bytes = ((u!.size + 3) & ~3) * 4;
      const at = addressesOf(inputs);
      scanForwardAt(wasm, shape, at, {
        out: out!.address,
        hLast: hLast!.address,
        dt: attributes.save ? dt!.address : wasm.scratch(bytes),
        yRaw: attributes.save ? yRaw!.address : wasm.scratch(bytes),
      });
      return true;
    },
  },
});

/** The backward kernel: gradients of the nine inputs from dL/d(out). */
export const selectiveScanBackwardKernel = defineKernel<ScanBackwardAttributes>({
  name: 'ssm.selectiveScanBackward',
  inputs: [
    ...INPUTS,
    { name: 'dt', dtypes: FLOAT },
    { name: 'yRaw', dtypes: FLOAT },
    { name: 'gradOut', dtypes: FLOAT },
  ],
  outputs: (inputs) =>
    inputs.slice(0, INPUTS.length).map((t) => ({
      shape: t ? t.shape : [0],
      dtype: inputs[0]!.dtype,
    })),
  js: ({ inputs, outputs, attributes }) => {
    const arrays = arraysOf(inputs.slice(0, INPUTS.length), attributes.softplus);
    const [dt, yRaw, gOut] = inputs.slice(INPUTS.length) as HostTensor[];
    const saved = attributes.saved ?? {
      dt: Float64Array.from(dt!.data),
      y: Float64Array.from(yRaw!.data),
      decay: null,
    };
    const g = scanBackward(arrays, saved, gOut!.data);
    const ordered = [g.u, g.delta, g.A, g.B, g.C, g.D, g.z, g.deltaBias, g.h0];
    ordered.forEach((values, i) => {
      if (values) outputs[i]!.data.set(values);
    });
  },
  wasm: {
    module: SCAN_WASM,
    run: ({ inputs, outputs, attributes, wasm }) => {
      const [u, , A, B, C] = inputs;
      const [dt, yRaw, gOut] = inputs.slice(INPUTS.length);
      const shape = { ...sizes(u!, A!, B!), softplus: attributes.softplus };
      if (!wasmTakes(shape, u!.dtype, B!.size + C!.size)) return false;
      const present = (i: number) => (inputs[i] ? outputs[i]!.address : 0);
      scanBackwardAt(
        wasm,
        shape,
        addressesOf(inputs),
        { dt: dt!.address, yRaw: yRaw!.address },
        gOut!.address,
        {
          u: outputs[0]!.address,
          delta: outputs[1]!.address,
          A: outputs[2]!.address,
          B: outputs[3]!.address,
          C: outputs[4]!.address,
          D: present(5),
          z: present(6),
          deltaBias: present(7),
          h0: present(8),
        },
      );
      return true;
    },
  },
});
