/**
 * int8 quantization: symmetric and asymmetric (affine), per tensor or per
 * channel, with float32 scales and integer zero points, and dequantization.
 *
 * Formulas (PyTorch's `MinMaxObserver` / `PerChannelMinMaxObserver` with
 * `quant_min = -128, quant_max = 127`, and the restricted symmetric range of
 * TensorRT and LLM.int8()):
 *
 * - symmetric: `scale = max|x| / 127`, `zeroPoint = 0`, `q = clamp(round(x / scale), -127, 127)`
 * - asymmetric: `lo = min(min x, 0)`, `hi = max(max x, 0)`, `scale = (hi - lo) / 255`,
 *   `zeroPoint = clamp(-128 - round(lo / scale), -128, 127)`,
 *   `q = clamp(round(x / scale) + zeroPoint, -128, 127)`
 * - dequantize: `x' = (q - zeroPoint) * scale`
 *
 * `round` is round-half-to-even (as `torch.round`). Scales are stored as
 * float32 and quantization uses the stored scale, so dequantizing reproduces
 * exactly what a float32 runtime would. A channel that is all zeros gets scale 1.
 * Keeping 0 inside `[lo, hi]` makes zero exactly representable (padding, ReLU).
 */
import { InvalidArgumentError, LengthMismatchError, NonFiniteError } from './errors.js';

/** Symmetric (zero point 0, range ±127) or asymmetric (affine, range -128..127). */
export type QuantizationScheme = 'symmetric' | 'asymmetric';

/** Options of {@link quantizeInt8}. */
export interface QuantizeInt8Options {
  /**
   * The scheme.
   * @default 'symmetric'
   */
  scheme?: QuantizationScheme;
  /** The shape of the data (row-major); required with `axis`. @default [src.length] */
  shape?: readonly number[];
  /**
   * The channel axis for per-channel quantization (negative counts from the end, as in
   * PyTorch: 0 for the output channels of a `[out, in]` weight). Omit for per-tensor.
   */
  axis?: number;
}

/** An int8-quantized array with what is needed to dequantize it. */
export interface QuantizedInt8 {
  /** The quantized values, in the layout of the input. */
  readonly values: Int8Array;
  /** One scale per channel (one in all for per-tensor). */
  readonly scales: Float32Array;
  /** One zero point per channel (all 0 for symmetric). */
  readonly zeroPoints: Int32Array;
  /** The scheme used. */
  readonly scheme: QuantizationScheme;
  /** The data's shape. */
  readonly shape: readonly number[];
  /** The channel axis (non-negative), or null for per-tensor. */
  readonly axis: number | null;
}

/** Round half to even on a float64. */
function roundHalfEven(v: number): number {
  const lower = Math.floor(v);
  const fraction = v - lower;
  if (fraction > 0.5) return lower + 1;
  if (fraction < 0.5) return lower;
  return lower % 2 === 0 ? lower : lower + 1;
}

interface Layout {
  readonly shape: readonly number[];
  readonly axis: number | null;
  /** Product of the dims before the axis, the channel count, product after. */
  readonly outer: number;
  readonly channels: number;
  readonly inner: number;
}

function layoutOf(op: string, length: number, options: QuantizeInt8Options): Layout {
  const shape = options.shape ?? [length];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new InvalidArgumentError(op, 'shape', shape, 'an array of non-negative integers');
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== length) throw new LengthMismatchError(op, 'src', size, length);
  if (options.axis === undefined) {
    return { shape: [...shape], axis: null, outer: 1, channels: 1, inner: length };
  }
  const rank = shape.length;
  const axis = options.axis;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new InvalidArgumentError(op, 'axis', axis, `an integer in [${-rank}, ${rank})`);
  }
  const a = axis < 0 ? axis + rank : axis;
  const outer = shape.slice(0, a).reduce((x, y) => x * y, 1);
  const inner = shape.slice(a + 1).reduce((x, y) => x * y, 1);
  return { shape: [...shape], axis: a, outer, channels: shape[a]!, inner };
}

/**
 * Quantizes to int8.
 * @param src - the values (finite)
 * @param options - scheme, and `shape` + `axis` for per-channel
 * @returns values, scales, zero points and layout
 * @throws InvalidArgumentError for a bad scheme, shape or axis, or `src` not a float array
 * @throws LengthMismatchError when the shape's size differs from `src.length`
 * @throws NonFiniteError when `src` holds NaN or an infinity
 * @example
 * const q = quantizeInt8(new Float32Array([-1, 0, 0.5, 2]), { scheme: 'asymmetric' });
 * q.values // Int8Array [-128, -43, -1, 127]
 * q.scales[0] // 0.011764706112444401 (3 / 255 as float32)
 * q.zeroPoints[0] // -43
 */
export function quantizeInt8(
  src: Float32Array | Float64Array,
  options: QuantizeInt8Options = {},
): QuantizedInt8 {
  const op = 'quantizeInt8';
  if (!(src instanceof Float32Array || src instanceof Float64Array)) {
    throw new InvalidArgumentError(op, 'src', src, 'a Float32Array or Float64Array');
  }
  const scheme = options.scheme ?? 'symmetric';
  if (scheme !== 'symmetric' && scheme !== 'asymmetric') {
    throw new InvalidArgumentError(op, 'scheme', scheme, "'symmetric' or 'asymmetric'");
  }
  const layout = layoutOf(op, src.length, options);
  const { outer, channels, inner } = layout;
  const low = new Float64Array(channels);
  const high = new Float64Array(channels);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = (o * channels + c) * inner;
      let lo = low[c]!;
      let hi = high[c]!;
      for (let k = 0; k < inner; k++) {
        const x = src[base + k]!;
        if (x - x !== 0) throw new NonFiniteError(op, base + k, x);
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      low[c] = lo;
      high[c] = hi;
    }
  }
  const scales = new Float32Array(channels);
  const zeroPoints = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const lo = low[c]!;
    const hi = high[c]!;
    if (scheme === 'symmetric') {
      const amax = Math.max(-lo, hi);
      scales[c] = amax === 0 ? 1 : amax / 127;
    } else {
      scales[c] = hi === lo ? 1 : (hi - lo) / 255;
      const zero = -128 - roundHalfEven(lo / scales[c]!);
      zeroPoints[c] = Math.min(127, Math.max(-128, zero));
    }
  }
  const values = new Int8Array(src.length);
  const qmin = scheme === 'symmetric' ? -127 : -128;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = (o * channels + c) * inner;
      const scale = scales[c]!;
      const zero = zeroPoints[c]!;
      for (let k = 0; k < inner; k++) {
        const q = roundHalfEven(src[base + k]! / scale) + zero;
        values[base + k] = Math.max(qmin, Math.min(127, q));
      }
    }
  }
  return { values, scales, zeroPoints, scheme, shape: layout.shape, axis: layout.axis };
}

/**
 * Dequantizes: `(q - zeroPoint) * scale`, per channel.
 * @param quantized - the result of {@link quantizeInt8}
 * @param dst - where to write; allocated when omitted
 * @returns `dst`
 * @throws InvalidArgumentError when `quantized` is malformed
 * @throws LengthMismatchError when `dst` has the wrong length
 * @example
 * dequantizeInt8(quantizeInt8(new Float32Array([-1, 0, 0.5, 2]), { scheme: 'asymmetric' }))
 * // Float32Array [-1, 0, 0.4941176474094391, 2]
 */
export function dequantizeInt8(quantized: QuantizedInt8, dst?: Float32Array): Float32Array {
  const op = 'dequantizeInt8';
  const { values, scales, zeroPoints } = quantized ?? {};
  if (
    !(values instanceof Int8Array) ||
    !(scales instanceof Float32Array) ||
    !(zeroPoints instanceof Int32Array)
  ) {
    throw new InvalidArgumentError(op, 'quantized', quantized, 'a QuantizedInt8');
  }
  const layout = layoutOf(op, values.length, {
    shape: quantized.shape,
    ...(quantized.axis === null ? {} : { axis: quantized.axis }),
  });
  if (scales.length !== layout.channels) {
    throw new LengthMismatchError(op, 'scales', layout.channels, scales.length);
  }
  const out = dst ?? new Float32Array(values.length);
  if (out.length !== values.length)
    throw new LengthMismatchError(op, 'dst', values.length, out.length);
  const { outer, channels, inner } = layout;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = (o * channels + c) * inner;
      const scale = scales[c]!;
      const zero = zeroPoints[c]!;
      for (let k = 0; k < inner; k++) out[base + k] = (values[base + k]! - zero) * scale;
    }
  }
  return out;
}
