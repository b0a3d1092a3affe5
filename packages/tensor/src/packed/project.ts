/**
 * `project(x, packed, bias?)`: y = x W (+ bias) for activations x [..., K]
 * (few rows: M = product of the leading dims, 1..16 in a decode step, any M
 * works) against weights packed once by `packWeights` (see its file for the
 * layout). An extension kernel (`tensor.project`), so it runs on every
 * backend:
 * - `js`: the reference, one float64 sum per output over dequantized
 *   weights, rounded to float32 once (the oracle the wasm kernel is tested
 *   against);
 * - `wasm`: the skinny-product module (`wasm/skinny.ts`: 16-column panels,
 *   f32x4 multiply-adds, int8 groups accumulated in f32 and scaled per
 *   group), panels split across the worker pool; the packed values are
 *   copied into the wasm memory on the first product and kept there;
 * - any other backend: the js reference on downloaded copies.
 * Inference only: the output carries no gradient (training keeps `matmul`).
 * On wasm a row's result does not depend on how many rows share the call
 * (the same k order and rounding in every micro-kernel), so a verification
 * pass over M draft tokens reproduces one-token steps bit for bit.
 */
import { formatToFloat32 } from '@x/precision';
import { wasmContext } from '../backends/wasm/context.js';
import { SKINNY_WASM } from '../backends/wasm/generated/skinny.js';
import { ShapeError } from '../errors.js';
import { defineKernel, type HostTensor } from '../kernels/kernel.js';
import type { WasmKernelContext } from '../kernels/wasm.js';
import type { Tensor } from '../tensor.js';
import { PANEL_COLUMNS, type PackedWeights } from './pack-weights.js';

interface ProjectAttributes {
  readonly packed: PackedWeights;
}

/** Scratch bytes per thread: 4 rows of 16 float32 accumulators, then (more than 2 rows of a 16-bit or int8 panel) the panel widened to float32, K x 16. */
const tmpBytes = (K: number, widened: boolean) =>
  4 * PANEL_COLUMNS * 4 + (widened ? K * PANEL_COLUMNS * 4 : 0);

/** The panel p of `packed` as float32 values [K, 16] (int8 left unscaled). */
function panelValues(packed: PackedWeights, p: number, into: Float32Array): Float32Array {
  const span = packed.K * PANEL_COLUMNS;
  const start = p * span;
  switch (packed.format) {
    case 'f32':
      return (packed.data as Float32Array).subarray(start, start + span);
    case 'bf16':
    case 'f16':
      return formatToFloat32(
        packed.format === 'bf16' ? 'bfloat16' : 'float16',
        (packed.data as Uint16Array).subarray(start, start + span),
        into,
      );
    case 'int8':
      into.set((packed.data as Int8Array).subarray(start, start + span));
      return into;
  }
}

/**
 * The js reference: every output one float64 sum over k of x * w, with w
 * the dequantized weight (q * scale for int8), rounded to float32 once.
 */
function projectReference(
  x: HostTensor,
  bias: HostTensor | null,
  y: HostTensor,
  packed: PackedWeights,
): void {
  const { K, N, groupSize, groups } = packed;
  const M = x.data.length / K;
  const xs = x.data as Float32Array;
  const out = y.data as Float32Array;
  const scratch = new Float32Array(K * PANEL_COLUMNS);
  const sums = new Float64Array(PANEL_COLUMNS);
  const scales = packed.scales;
  for (let p = 0; p < packed.panels; p++) {
    const w = panelValues(packed, p, scratch);
    const n0 = p * PANEL_COLUMNS;
    const width = Math.min(PANEL_COLUMNS, N - n0);
    for (let r = 0; r < M; r++) {
      sums.fill(0);
      for (let k = 0; k < K; k++) {
        const xv = xs[r * K + k]!;
        const row = k * PANEL_COLUMNS;
        if (scales) {
          const s = (p * groups + Math.floor(k / groupSize)) * PANEL_COLUMNS;
          for (let j = 0; j < width; j++) sums[j]! += xv * (w[row + j]! * scales[s + j]!);
        } else {
          for (let j = 0; j < width; j++) sums[j]! += xv * w[row + j]!;
        }
      }
      for (let j = 0; j < width; j++)
        out[r * N + n0 + j] = sums[j]! + (bias ? (bias.data[n0 + j] as number) : 0);
    }
  }
}

/**
 * The packed values' copy in the wasm memory: made on the first wasm product
 * (the host arrays are then dropped), remade if the memory changed.
 */
function wasmCopy(packed: PackedWeights, wasm: WasmKernelContext) {
  const existing = packed.wasmCopy;
  if (existing && existing.memory === wasm.memory) return existing;
  const dataBytes = packed.data.byteLength;
  const scaleBytes = packed.scales?.byteLength ?? 0;
  const block = wasm.alloc(dataBytes + scaleBytes);
  // read the values after allocating (growth moves a wasm copy's buffer)
  const data = packed.data;
  const scales = packed.scales;
  const u8 = wasm.u8();
  u8.set(new Uint8Array(data.buffer, data.byteOffset, dataBytes), block.ptr);
  if (scales)
    u8.set(new Uint8Array(scales.buffer, scales.byteOffset, scaleBytes), block.ptr + dataBytes);
  packed.adoptWasmCopy({
    memory: wasm.memory,
    ptr: block.ptr,
    scales: scales ? block.ptr + dataBytes : 0,
    free: () => block.free(),
  });
  return packed.wasmCopy!;
}

const WASM_FUNCTION = {
  f32: 'skinny_f32',
  bf16: 'skinny_bf16',
  f16: 'skinny_f16',
  int8: 'skinny_i8',
};

/** The `tensor.project` kernel (see the file header). */
export const projectKernel = defineKernel<ProjectAttributes>({
  name: 'tensor.project',
  inputs: [
    { name: 'x', dtypes: ['float32'] },
    { name: 'bias', dtypes: ['float32'], optional: true },
  ],
  outputs: ([x, bias], { packed }) => {
    const K = x!.shape.at(-1);
    if (x!.shape.length === 0 || K !== packed.K)
      throw new ShapeError(
        'project',
        `project: x [${x!.shape.join(', ')}] must end in the packed weight's ${packed.K} input features`,
        [x!.shape, [packed.K, packed.N]],
      );
    if (bias && (bias.shape.length !== 1 || bias.shape[0] !== packed.N))
      throw new ShapeError(
        'project',
        `project: bias [${bias.shape.join(', ')}] must be [${packed.N}]`,
        [bias.shape],
      );
    return [{ shape: [...x!.shape.slice(0, -1), packed.N], dtype: 'float32' }];
  },
  differentiable: [],
  js: ({ inputs: [x, bias], outputs: [y], attributes: { packed } }) =>
    projectReference(x!, bias ?? null, y!, packed),
  wasm: {
    module: SKINNY_WASM,
    run: ({ inputs: [x, bias], outputs: [y], attributes: { packed }, wasm }) => {
      const { K, N } = packed;
      const M = x!.size / K;
      if (M === 0) return true;
      const copy = wasmCopy(packed, wasm);
      const perThread = tmpBytes(K, packed.format !== 'f32' && M > 2);
      const tmp = wasm.scratch(Math.max(1, wasmContext().threads) * perThread);
      const group = packed.format === 'int8' ? packed.groupSize : K;
      wasm.parallel(
        WASM_FUNCTION[packed.format],
        { units: packed.panels, work: M * K * N },
        (part) => [
          x!.address,
          K * 4,
          M,
          K,
          copy.ptr,
          part.start,
          part.end,
          y!.address,
          N * 4,
          N,
          bias ? bias.address : 0,
          tmp + part.thread * perThread,
          copy.scales,
          group,
        ],
      );
      return true;
    },
  },
});

/**
 * The skinny product y = x W (+ bias) against weights packed once by
 * `packWeights`: the decode-step product of a language model (a few rows
 * of x, every weight read once per call). Inference only (no gradient).
 * @param x - float32 activations [..., K]
 * @param packed - the packed weight (K inputs, N outputs)
 * @param bias - optional float32 [N]
 * @returns float32 [..., N] on x's backend
 * @throws ShapeError when x's last dim is not K or the bias is not [N]; DTypeError for a non-float32 x or bias
 * @example
 * ```ts
 * const packed = packWeights(tensor([[1, 2], [3, 4]]), { format: 'int8' });
 * project(tensor([[1, 1]]), packed, tensor([0.5, 0.5])).toArray() // [[4.5, 6.5]] (within int8 error)
 * ```
 */
export function project(x: Tensor, packed: PackedWeights, bias?: Tensor | null): Tensor {
  return projectKernel.run([x, bias ?? null], { packed })[0]!;
}
