/**
 * Weights packed once for the skinny product `project` (a few rows of
 * activations times a weight matrix: the decode step of a language model).
 *
 * Layout: W [K, N] (in-by-out: y = x W) is cut into P = ceil(N / 16) panels
 * of 16 output columns; panel p holds, for k = 0..K-1, the 16 values
 * W[k, 16p .. 16p + 15] (zero past N), so the panel is K x 16 contiguous
 * values and one product streams every weight once, in address order.
 * Element [p, k, j] is at `(p * K + k) * 16 + j`. Formats:
 * - `f32`: float32 values;
 * - `bf16` / `f16`: 16-bit codes, rounded to nearest even by @x/precision;
 * - `int8`: symmetric weight-only int8 per group of `groupSize` along K
 *   (each column of each group has its own float32 scale, `max |w| / 127`,
 *   1 for an all-zero group; `q = round_half_even(w / scale)` clamped to
 *   ±127), scales at `(p * groups + g) * 16 + j`, groups = ceil(K / groupSize).
 * Dequantized weight: `q * scale`.
 */
import { float32ToFormat } from '@x/precision';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { roundHalfEven } from '../scalar/unary.js';
import type { Tensor } from '../tensor.js';

/** The formats weights can be packed in. */
export const PACKED_FORMATS = ['f32', 'bf16', 'f16', 'int8'] as const;
/** A packed weight format. */
export type PackedFormat = (typeof PACKED_FORMATS)[number];

/** Options of {@link packWeights}. */
export interface PackWeightsOptions {
  /** The stored format. @default 'f32' */
  format?: PackedFormat;
  /** k values per int8 scale (the quantization group along K). @default 32 */
  groupSize?: 32 | 64;
  /**
   * How `w` is laid out: `in-out` is [K, N] (GPT-2's Conv1D, `x W`), `out-in`
   * is [N, K] (`Linear.weight`, `x W^T`). @default 'in-out'
   */
  layout?: 'in-out' | 'out-in';
}

/** Output columns per panel. */
export const PANEL_COLUMNS = 16;

/** Internal: a copy of the packed bytes in the wasm backend's memory. */
export interface PackedWasmCopy {
  readonly memory: WebAssembly.Memory;
  readonly ptr: number;
  /** Byte address of the scales (int8), else 0. */
  readonly scales: number;
  free(): void;
}

type PackedValues = Float32Array | Uint16Array | Int8Array;

/**
 * A weight matrix packed for `project` (opaque: read only its fields).
 * Holds its values on the host until the wasm backend first uses it: they
 * are then copied once into the wasm memory and the host copy is dropped
 * (`data` and `scales` then view the wasm copy), so a packed model costs
 * its packed bytes once.
 */
export class PackedWeights {
  private host: PackedValues | null;
  private hostScales: Float32Array | null;
  private copy: PackedWasmCopy | null = null;
  private readonly length: number;
  private readonly scaleCount: number;
  /**
   * @param format - the stored format
   * @param K - input features (rows of W)
   * @param N - output features (columns of W)
   * @param groupSize - k values per int8 scale (K for the float formats)
   * @param data - the panels (Float32Array, Uint16Array codes, or Int8Array)
   * @param scales - int8 scales, else null
   */
  constructor(
    readonly format: PackedFormat,
    readonly K: number,
    readonly N: number,
    readonly groupSize: number,
    data: PackedValues,
    scales: Float32Array | null,
  ) {
    this.host = data;
    this.hostScales = scales;
    this.length = data.length;
    this.scaleCount = scales?.length ?? 0;
  }
  /** The packed values (a view of the wasm copy once there is one: re-read after anything allocates). */
  get data(): PackedValues {
    if (this.host) return this.host;
    const { memory, ptr } = this.copy!;
    const Type =
      this.format === 'f32' ? Float32Array : this.format === 'int8' ? Int8Array : Uint16Array;
    return new Type(memory.buffer, ptr, this.length);
  }
  /** The int8 scales, else null (a view of the wasm copy once there is one). */
  get scales(): Float32Array | null {
    if (this.scaleCount === 0) return null;
    if (this.hostScales) return this.hostScales;
    const { memory, scales } = this.copy!;
    return new Float32Array(memory.buffer, scales, this.scaleCount);
  }
  /** Panels of 16 columns. */
  get panels(): number {
    return Math.ceil(this.N / PANEL_COLUMNS);
  }
  /** Scale groups along K (1 for the float formats). */
  get groups(): number {
    return Math.ceil(this.K / this.groupSize);
  }
  /** Bytes of the packed values and scales. */
  get bytes(): number {
    return this.length * this.data.BYTES_PER_ELEMENT + this.scaleCount * 4;
  }
  /** @internal the copy in the wasm memory, or null */
  get wasmCopy(): PackedWasmCopy | null {
    return this.copy;
  }
  /** @internal keeps `copy` (which holds every value) and drops the host arrays */
  adoptWasmCopy(copy: PackedWasmCopy): void {
    const previous = this.copy;
    this.copy = copy;
    this.host = null;
    this.hostScales = null;
    previous?.free();
  }
  /** Moves the values back to the host and frees the wasm copy (a later wasm product copies again). */
  releaseWasmCopy(): void {
    if (!this.copy) return;
    this.host = this.data.slice();
    this.hostScales = this.scales?.slice() ?? null;
    this.copy.free();
    this.copy = null;
  }
}

/**
 * Packs a weight matrix once for `project`: panels of 16 output columns, K
 * contiguous, in float32, bfloat16, float16 or symmetric int8 per group of
 * 32 / 64 along K with float32 scales (see the file header for the layout).
 * @param w - the weight, [K, N] (`layout: 'in-out'`) or [N, K] (`'out-in'`), any float dtype, any backend
 * @param options - format, groupSize, layout
 * @returns the packed weights
 * @throws ShapeError for a weight that is not a non-empty matrix; InvalidArgumentError for an unknown format, group size or layout
 * @example
 * ```ts
 * const packed = packWeights(tensor([[1, 2], [3, 4]]), { format: 'f32' });
 * project(tensor([[1, 1]]), packed).toArray() // [[4, 6]]
 * ```
 */
export function packWeights(w: Tensor, options: PackWeightsOptions = {}): PackedWeights {
  const op = 'packWeights';
  const format = options.format ?? 'f32';
  const layout = options.layout ?? 'in-out';
  if (!PACKED_FORMATS.includes(format))
    throw new InvalidArgumentError(op, 'format', format, `one of ${PACKED_FORMATS.join(', ')}`);
  if (layout !== 'in-out' && layout !== 'out-in')
    throw new InvalidArgumentError(op, 'layout', layout, "'in-out' or 'out-in'");
  const groupSize = options.groupSize ?? 32;
  if (format === 'int8' && groupSize !== 32 && groupSize !== 64)
    throw new InvalidArgumentError(op, 'groupSize', groupSize, '32 or 64');
  if (w.rank !== 2 || w.size === 0)
    throw new ShapeError(op, `the weight must be a non-empty matrix, got [${w.shape.join(', ')}]`, [
      w.shape,
    ]);
  const [rows, cols] = w.shape as [number, number];
  const [K, N] = layout === 'in-out' ? [rows, cols] : [cols, rows];
  const values = (w.dtype === 'float32' ? w : w.to('float32')).toTypedArray() as Float32Array;
  // W[k, n] in the source
  const at =
    layout === 'in-out' ? (k: number, n: number) => k * N + n : (k: number, n: number) => n * K + k;
  const P = Math.ceil(N / PANEL_COLUMNS);
  const panels = new Float32Array(P * K * PANEL_COLUMNS);
  for (let p = 0; p < P; p++) {
    const n0 = p * PANEL_COLUMNS;
    const width = Math.min(PANEL_COLUMNS, N - n0);
    for (let k = 0; k < K; k++) {
      const base = (p * K + k) * PANEL_COLUMNS;
      for (let j = 0; j < width; j++) panels[base + j] = values[at(k, n0 + j)]!;
    }
  }
  if (format === 'f32') return new PackedWeights('f32', K, N, K, panels, null);
  if (format === 'bf16' || format === 'f16') {
    const codes = float32ToFormat(format === 'bf16' ? 'bfloat16' : 'float16', panels);
    return new PackedWeights(format, K, N, K, codes as Uint16Array, null);
  }
  const groups = Math.ceil(K / groupSize);
  const q = new Int8Array(panels.length);
  const scales = new Float32Array(P * groups * PANEL_COLUMNS);
  for (let p = 0; p < P; p++) {
    for (let g = 0; g < groups; g++) {
      const k0 = g * groupSize;
      const k1 = Math.min(K, k0 + groupSize);
      for (let j = 0; j < PANEL_COLUMNS; j++) {
        let max = 0;
        for (let k = k0; k < k1; k++)
          max = Math.max(max, Math.abs(panels[(p * K + k) * PANEL_COLUMNS + j]!));
        const scale = Math.fround(max > 0 ? max / 127 : 1);
        scales[(p * groups + g) * PANEL_COLUMNS + j] = scale;
        for (let k = k0; k < k1; k++) {
          const i = (p * K + k) * PANEL_COLUMNS + j;
          q[i] = Math.max(-127, Math.min(127, roundHalfEven(panels[i]! / scale)));
        }
      }
    }
  }
  return new PackedWeights('int8', K, N, groupSize, q, scales);
}
