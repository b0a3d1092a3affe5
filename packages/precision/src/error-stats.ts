/**
 * Error measurement between a reference array and its approximation, and
 * distances in units in the last place (ULP).
 *
 * - `ulpDistance(a, b, format)`: how many representable values of `format` lie
 *   between a and b, counting one endpoint (0 when equal, 1 for neighbours,
 *   +0 and -0 are the same point, the largest finite value and infinity are
 *   neighbours).
 * - `ulpOf(x, format)`: the gap between consecutive values of `format` in the
 *   binade of x (the quantum: `2^(max(e, emin) - mantissaBits)`), for
 *   expressing an error in ULPs.
 * - `errorStats(reference, approximation)`: max absolute / relative error (with
 *   their indices), mean absolute error, mean signed error (bias), RMSE and SQNR.
 */
import { InvalidArgumentError, LengthMismatchError } from './errors.js';
import { float32ToBits } from './float32-bits.js';
import { FORMATS, type FormatName } from './formats.js';
import { fromFormatBits, toFormatBits } from './scalar.js';

/** A storage format, or `'float32'`. */
export type UlpFormat = FormatName | 'float32';

function checkUlpFormat(op: string, format: unknown): UlpFormat {
  if (format === 'float32' || (typeof format === 'string' && Object.hasOwn(FORMATS, format))) {
    return format as UlpFormat;
  }
  throw new InvalidArgumentError(op, 'format', format, "'float32' or a format name");
}

/** The position of a value on the number line of the format (sign-magnitude folded). */
function ordinal(op: string, name: string, x: number, format: UlpFormat): number {
  if (format === 'float32') {
    if (Math.fround(x) !== x) throw new InvalidArgumentError(op, name, x, 'a float32 value');
    const bits = float32ToBits(x);
    return bits >= 0x80000000 ? -(bits - 0x80000000) : bits;
  }
  const code = toFormatBits(format, x);
  if (fromFormatBits(format, code) !== x) {
    throw new InvalidArgumentError(op, name, x, `a ${format} value`);
  }
  const sign = FORMATS[format].signBit;
  return code >= sign ? -(code - sign) : code;
}

/**
 * The number of representable values of `format` from a to b.
 * @param a - a value of the format (or NaN)
 * @param b - a value of the format (or NaN)
 * @param format - the number system
 * @default format 'float32'
 * @returns the distance (NaN when either is NaN)
 * @throws InvalidArgumentError when a or b is not a value of the format
 * @example
 * ulpDistance(1, 1 + 2 ** -23) // 1
 * ulpDistance(65504, Infinity, 'float16') // 1
 * ulpDistance(-0, 2 ** -24, 'float16') // 1
 */
export function ulpDistance(a: number, b: number, format: UlpFormat = 'float32'): number {
  const op = 'ulpDistance';
  const f = checkUlpFormat(op, format);
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.NaN;
  return Math.abs(ordinal(op, 'a', a, f) - ordinal(op, 'b', b, f));
}

/**
 * The spacing of `format` in the binade of x: the value of one unit in the last place.
 * @param x - a finite number
 * @param format - the number system
 * @default format 'float32'
 * @returns a power of two (the smallest subnormal for |x| below the smallest normal)
 * @throws InvalidArgumentError when x is not finite
 * @example
 * ulpOf(1, 'float16') // 0.0009765625
 * ulpOf(300, 'float8e4m3') // 32
 */
export function ulpOf(x: number, format: UlpFormat = 'float32'): number {
  const op = 'ulpOf';
  const f = checkUlpFormat(op, format);
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new InvalidArgumentError(op, 'x', x, 'a finite number');
  }
  const mantissaBits = f === 'float32' ? 23 : FORMATS[f].mantissaBits;
  const minExponent = f === 'float32' ? -126 : FORMATS[f].minExponent;
  return spacing(x, mantissaBits, minExponent);
}

/**
 * The spacing of a format with `mantissaBits` and smallest normal exponent
 * `minExponent` in the binade of x (no validation; for loops).
 * @param x - a finite number
 * @param mantissaBits - stored mantissa bits
 * @param minExponent - exponent of the smallest normal number
 * @returns the spacing, a power of two
 */
export function spacing(x: number, mantissaBits: number, minExponent: number): number {
  const magnitude = Math.abs(x);
  let e = minExponent;
  if (magnitude >= 2 ** minExponent) {
    e = Math.floor(Math.log2(magnitude));
    if (2 ** e > magnitude) e--;
    else if (2 ** (e + 1) <= magnitude) e++;
  }
  return 2 ** (e - mantissaBits);
}

/** Summary of the error of an approximation. */
export interface ErrorStats {
  /** Elements compared with finite values on both sides. */
  readonly count: number;
  /** Elements where reference and approximation are not both finite and not identical (NaN vs NaN and equal infinities count as identical). */
  readonly nonFiniteMismatches: number;
  /** max |approximation - reference|. */
  readonly maxAbsError: number;
  /** Index of the first element with the largest absolute error (-1 when count is 0). */
  readonly maxAbsErrorIndex: number;
  /** max |approximation - reference| / |reference| over elements with a non-zero reference. */
  readonly maxRelError: number;
  /** Index of the first element with the largest relative error (-1 when none). */
  readonly maxRelErrorIndex: number;
  /** mean |approximation - reference|. */
  readonly meanAbsError: number;
  /** mean (approximation - reference): the bias. */
  readonly meanError: number;
  /** sqrt(mean (approximation - reference)^2). */
  readonly rmse: number;
  /** Signal-to-quantization-noise ratio in dB: 10 log10(sum reference^2 / sum error^2); Infinity when exact. */
  readonly sqnrDb: number;
}

type Values = Float32Array | Float64Array | readonly number[];

/**
 * Measures the error of `approximation` against `reference`, in float64.
 * @param reference - the exact values
 * @param approximation - the values to judge, same length
 * @returns the statistics
 * @throws InvalidArgumentError when an argument is not an array of numbers
 * @throws LengthMismatchError when the lengths differ
 * @example
 * const x = new Float32Array([0.1, 0.2, 0.3]);
 * errorStats(x, float16ToFloat32(float32ToFloat16(x))).maxAbsError // 0.00004883110523223877
 */
export function errorStats(reference: Values, approximation: Values): ErrorStats {
  const op = 'errorStats';
  for (const [name, values] of [
    ['reference', reference],
    ['approximation', approximation],
  ] as const) {
    if (
      !(values instanceof Float32Array || values instanceof Float64Array || Array.isArray(values))
    ) {
      throw new InvalidArgumentError(op, name, values, 'a Float32Array, Float64Array or number[]');
    }
  }
  if (approximation.length !== reference.length) {
    throw new LengthMismatchError(op, 'approximation', reference.length, approximation.length);
  }
  let count = 0;
  let nonFiniteMismatches = 0;
  let maxAbsError = 0;
  let maxAbsErrorIndex = -1;
  let maxRelError = 0;
  let maxRelErrorIndex = -1;
  let sumAbs = 0;
  let sum = 0;
  let sumSquares = 0;
  let signal = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]!;
    const a = approximation[i]!;
    if (!Number.isFinite(r) || !Number.isFinite(a)) {
      if (!(Object.is(r, a) || (Number.isNaN(r) && Number.isNaN(a)))) nonFiniteMismatches++;
      continue;
    }
    const error = a - r;
    const absolute = Math.abs(error);
    count++;
    sum += error;
    sumAbs += absolute;
    sumSquares += error * error;
    signal += r * r;
    if (absolute > maxAbsError || maxAbsErrorIndex < 0) {
      maxAbsError = absolute;
      maxAbsErrorIndex = i;
    }
    if (r !== 0) {
      const relative = absolute / Math.abs(r);
      if (relative > maxRelError || maxRelErrorIndex < 0) {
        maxRelError = relative;
        maxRelErrorIndex = i;
      }
    }
  }
  return {
    count,
    nonFiniteMismatches,
    maxAbsError,
    maxAbsErrorIndex,
    maxRelError,
    maxRelErrorIndex,
    meanAbsError: count === 0 ? 0 : sumAbs / count,
    meanError: count === 0 ? 0 : sum / count,
    rmse: count === 0 ? 0 : Math.sqrt(sumSquares / count),
    sqnrDb: sumSquares === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(signal / sumSquares),
  };
}
