/**
 * The scalar codec between JS numbers (float64) and the narrow formats.
 *
 * Encoding rounds the float64 value once, directly to the target format (no
 * intermediate float32, so no double rounding: `encodeNumber('float16', x)`
 * agrees with `Math.f16round`). For float32 inputs it gives the same code as the
 * bit-level `encodeFloat32Bits` and the bulk kernels, with the same use of the
 * random stream in stochastic mode.
 *
 * Algorithm: find the binade `e` of `|x|` (clamped below to the format's
 * smallest normal exponent), scale `|x|` by `2^(mantissaBits - e)` (exact: a
 * power of two), split into integer part and fraction, round on the fraction,
 * and assemble `code = (e - minExponent) * 2^mantissaBits + integer part`.
 *
 * A JS number has no reliable NaN sign or payload, so NaN encodes to the
 * canonical positive quiet NaN (0x7e00, 0x7fc0, 0x7f, 0x7e).
 */
import { CODEC, overflowCode } from './encode-bits.js';
import type { FormatName } from './formats.js';
import type { ResolvedOptions } from './options.js';

/**
 * Encodes a JS number, rounding once from float64 (options already validated).
 * @param format - the target format
 * @param x - any number
 * @param options - resolved conversion options
 * @returns the encoded bits
 * @example encodeNumber('bfloat16', 1 / 3, resolveOptions('x', {})).toString(16) // '3eab'
 */
export function encodeNumber(format: FormatName, x: number, options: ResolvedOptions): number {
  const c = CODEC[format];
  const f = c.format;
  const rounding = options.rounding;
  const draw = rounding === 'stochastic' ? options.random!.nextUint32() : 0;
  if (Number.isNaN(x)) return f.nanBits;
  const sign = x < 0 || Object.is(x, -0) ? f.signBit : 0;
  const magnitude = Math.abs(x);
  if (magnitude === Number.POSITIVE_INFINITY) return sign | overflowCode(c, options.saturate);
  if (magnitude === 0) return sign;
  let exponent = Math.floor(Math.log2(magnitude));
  // Math.log2 may be off by one next to a power of two; 2 ** e is exact.
  if (2 ** exponent > magnitude) exponent--;
  else if (2 ** (exponent + 1) <= magnitude) exponent++;
  if (exponent < f.minExponent) exponent = f.minExponent;
  const scaled = magnitude * 2 ** (f.mantissaBits - exponent);
  const integer = Math.floor(scaled);
  const fraction = scaled - integer;
  let up = 0;
  if (rounding === 'nearest-even') {
    up = fraction > 0.5 || (fraction === 0.5 && integer % 2 === 1) ? 1 : 0;
  } else if (rounding === 'stochastic') {
    up = draw < fraction * 4294967296 ? 1 : 0;
  }
  const code = (exponent - f.minExponent) * 2 ** f.mantissaBits + integer + up;
  if (code > f.maxFiniteBits) {
    return sign | overflowCode(c, options.saturate || rounding === 'toward-zero');
  }
  return sign | code;
}

/**
 * Decodes a code to the JS number it stands for, exactly.
 * @param format - the source format
 * @param code - the encoded bits (only the low `bits` bits are used)
 * @returns the value; NaN for every NaN code
 * @example decodeNumber('float8e4m3', 0x7e) // 448
 */
export function decodeNumber(format: FormatName, code: number): number {
  const f = CODEC[format].format;
  const negative = (code & f.signBit) !== 0;
  const magnitude = code & (f.signBit - 1);
  const mantissaUnit = 2 ** f.mantissaBits;
  const field = Math.floor(magnitude / mantissaUnit);
  const mantissa = magnitude % mantissaUnit;
  let value: number;
  if (f.hasInfinity && field === 2 ** f.exponentBits - 1) {
    value = mantissa === 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  } else if (!f.hasInfinity && magnitude === f.nanBits) {
    value = Number.NaN;
  } else if (field === 0) {
    value = mantissa * f.minSubnormal;
  } else {
    value = (mantissaUnit + mantissa) * 2 ** (field - f.bias - f.mantissaBits);
  }
  return negative ? -value : value;
}
