/**
 * The independent oracle: rounding in float64 arithmetic, on values, written
 * apart from the bit-level codec and the kernels it checks.
 *
 * It knows each format only through the numbers its specification publishes
 * (precision, smallest normal exponent, largest finite value, whether it has
 * infinities) — not through `formats.ts` — and it never looks at the bits of a
 * result: a value is decoded from its fields by multiplication with powers of
 * two, and rounded by
 *
 *   quantum = 2^(max(e, emin) - (precision - 1))    e: the binade of |x|, found by comparison
 *   t = |x| / quantum                               exact (a power of two)
 *   k = floor(t), plus one when the fraction t - k says so (ties to even k)
 *   y = k * quantum                                 (step one: roundUnbounded)
 *   overflow when y > max                           (step two: applyOverflow)
 *
 * which is the definition of IEEE 754 rounding for a format with unbounded
 * exponent range above and gradual underflow below. Codes are compared by
 * value (and sign); only NaN results, which have no value, are compared as
 * bit patterns against the NaN policy (sign kept, quiet bit set, top payload
 * bits kept; E4M3 has the single NaN S.1111.111).
 */
import type { FormatName } from '../formats.js';
import type { RoundingMode } from '../options.js';

/** A format as its specification states it. */
export interface OracleSpec {
  /** Total bits. */
  readonly bits: number;
  /** Significand precision in bits, the hidden bit included. */
  readonly precision: number;
  /** Exponent of the smallest normal number. */
  readonly minExponent: number;
  /** The largest finite value. */
  readonly max: number;
  /** Whether the top exponent encodes infinities and NaNs (false: E4M3, one NaN pattern). */
  readonly infinity: boolean;
}

/**
 * The specifications: IEEE 754-2019 Table 3.5 (binary16), bfloat16 (binary32's
 * range, 8-bit precision), OCP OFP8 rev 1.0 Table 1 (E4M3, E5M2).
 * @example ORACLE_SPECS.float8e4m3.max // 448
 */
export const ORACLE_SPECS: { readonly [name in FormatName]: OracleSpec } = {
  float16: { bits: 16, precision: 11, minExponent: -14, max: 65504, infinity: true },
  bfloat16: {
    bits: 16,
    precision: 8,
    minExponent: -126,
    max: 3.3895313892515355e38,
    infinity: true,
  },
  float8e4m3: { bits: 8, precision: 4, minExponent: -6, max: 448, infinity: false },
  float8e5m2: { bits: 8, precision: 3, minExponent: -14, max: 57344, infinity: true },
};

/**
 * The binade of a positive finite number: the e with 2^e <= x < 2^(e+1),
 * found by halving and doubling (no logarithms, no bits).
 * @param x - a positive finite number
 * @returns e
 * @example binade(0.75) // -1
 */
export function binade(x: number): number {
  let e = 0;
  while (x >= 4294967296) {
    x /= 4294967296;
    e += 32;
  }
  while (x < 2 ** -32) {
    x *= 4294967296;
    e -= 32;
  }
  while (x >= 2) {
    x /= 2;
    e++;
  }
  while (x < 1) {
    x *= 2;
    e--;
  }
  return e;
}

/**
 * The value of a float32 bit pattern, from its fields.
 * @param pattern - an integer in `[0, 2^32)`
 * @returns the value
 * @example float32Value(0x3f800000) // 1
 */
export function float32Value(pattern: number): number {
  const negative = pattern >= 2147483648;
  const field = Math.floor(pattern / 8388608) % 256;
  const fraction = pattern % 8388608;
  let magnitude: number;
  if (field === 255) magnitude = fraction === 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  else if (field === 0) magnitude = fraction * 2 ** -149;
  else magnitude = (8388608 + fraction) * 2 ** (field - 150);
  return negative ? -magnitude : magnitude;
}

/**
 * The value of a code of `format`, from its fields.
 * @param format - the format
 * @param code - an integer in `[0, 2^bits)`
 * @returns the value (NaN for NaN codes)
 * @example formatValue('float16', 0x7bff) // 65504
 */
export function formatValue(format: FormatName, code: number): number {
  const spec = ORACLE_SPECS[format];
  const mantissaBits = spec.precision - 1;
  const exponentBits = spec.bits - spec.precision;
  const half = 2 ** (spec.bits - 1);
  const negative = code >= half;
  const magnitudeCode = code % half;
  const field = Math.floor(magnitudeCode / 2 ** mantissaBits);
  const fraction = magnitudeCode % 2 ** mantissaBits;
  const top = 2 ** exponentBits - 1;
  const bias = 1 - spec.minExponent;
  let magnitude: number;
  if (spec.infinity && field === top) {
    magnitude = fraction === 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  } else if (!spec.infinity && field === top && fraction === 2 ** mantissaBits - 1) {
    magnitude = Number.NaN;
  } else if (field === 0) {
    magnitude = fraction * 2 ** (spec.minExponent - mantissaBits);
  } else {
    magnitude = (1 + fraction / 2 ** mantissaBits) * 2 ** (field - bias);
  }
  return negative ? -magnitude : magnitude;
}

/** Options of {@link oracleRound}. */
export interface OracleOptions {
  /** @default 'nearest-even' */
  readonly rounding?: RoundingMode;
  /** @default false */
  readonly saturate?: boolean;
  /** The 32 random bits of stochastic rounding (round up when `draw < fraction * 2^32`). */
  readonly draw?: number;
}

/**
 * The quantum (last-place unit) of `format` in the binade of `magnitude`.
 * @param format - the format
 * @param magnitude - a positive finite number
 * @returns a power of two
 * @example quantumOf('float16', 3) // 0.001953125 (2^-9)
 */
export function quantumOf(format: FormatName, magnitude: number): number {
  const spec = ORACLE_SPECS[format];
  return 2 ** (Math.max(binade(magnitude), spec.minExponent) - (spec.precision - 1));
}

/**
 * Step one of rounding: round a non-negative finite magnitude to a multiple of
 * `quantum`, as if the format's exponent range were unbounded above.
 * @param magnitude - a non-negative finite number
 * @param quantum - `quantumOf(format, magnitude)` (any value for zero)
 * @param rounding - rounding mode
 * @param draw - random bits for stochastic rounding
 * @returns the rounded magnitude (possibly beyond the largest finite value)
 * @example roundUnbounded(1.3, 0.5, 'nearest-even', 0) // 1.5
 */
export function roundUnbounded(
  magnitude: number,
  quantum: number,
  rounding: RoundingMode,
  draw: number,
): number {
  const t = magnitude / quantum;
  const lower = Math.floor(t);
  const fraction = t - lower;
  let k = lower;
  if (rounding === 'nearest-even') {
    const odd = Math.floor(lower / 2) * 2 !== lower;
    if (fraction > 0.5 || (fraction === 0.5 && odd)) k = lower + 1;
  } else if (rounding === 'stochastic') {
    if (draw < fraction * 4294967296) k = lower + 1;
  }
  return k * quantum;
}

/**
 * Step two of rounding: a magnitude beyond the largest finite value overflowed;
 * it becomes the largest finite value (saturating, or rounding toward zero),
 * Infinity, or NaN (formats without infinities).
 * @param spec - the format's specification, `ORACLE_SPECS[format]`
 * @param y - a rounded magnitude from {@link roundUnbounded}
 * @param rounding - rounding mode
 * @param saturate - overflow to the largest finite value
 * @returns the final magnitude, Infinity or NaN
 * @example applyOverflow(ORACLE_SPECS.float8e4m3, 480, 'nearest-even', false) // NaN
 */
export function applyOverflow(
  spec: OracleSpec,
  y: number,
  rounding: RoundingMode,
  saturate: boolean,
): number {
  if (y <= spec.max) return y;
  if (saturate || rounding === 'toward-zero') return spec.max;
  return spec.infinity ? Number.POSITIVE_INFINITY : Number.NaN;
}

/**
 * Rounds a non-negative finite magnitude whose quantum is known: both steps.
 * @param spec - the format's specification, `ORACLE_SPECS[format]`
 * @param magnitude - a non-negative finite number
 * @param quantum - `quantumOf(format, magnitude)` (any value for zero)
 * @param rounding - rounding mode
 * @param saturate - overflow to the largest finite value
 * @param draw - random bits for stochastic rounding
 * @returns the rounded magnitude, Infinity or NaN on overflow
 * @example roundMagnitude(ORACLE_SPECS.float16, 65520, 32, 'nearest-even', false, 0) // Infinity
 */
export function roundMagnitude(
  spec: OracleSpec,
  magnitude: number,
  quantum: number,
  rounding: RoundingMode,
  saturate: boolean,
  draw: number,
): number {
  return applyOverflow(
    spec,
    roundUnbounded(magnitude, quantum, rounding, draw),
    rounding,
    saturate,
  );
}

/**
 * Rounds any float64 number to `format`, as a value.
 * @param format - the format
 * @param x - the number
 * @param options - rounding mode, saturation, random draw
 * @returns the rounded value: NaN, ±Infinity, ±0 or a finite value of the format
 * @example oracleRound('float8e4m3', 464) // 448 (a tie, to even)
 */
export function oracleRound(format: FormatName, x: number, options: OracleOptions = {}): number {
  if (Number.isNaN(x)) return Number.NaN;
  const spec = ORACLE_SPECS[format];
  const rounding = options.rounding ?? 'nearest-even';
  const saturate = options.saturate ?? false;
  const negative = x < 0 || Object.is(x, -0);
  const magnitude = Math.abs(x);
  let y: number;
  if (magnitude === Number.POSITIVE_INFINITY) {
    y = saturate ? spec.max : spec.infinity ? magnitude : Number.NaN;
  } else if (magnitude === 0) {
    y = 0;
  } else {
    const quantum = quantumOf(format, magnitude);
    y = roundMagnitude(spec, magnitude, quantum, rounding, saturate, options.draw ?? 0);
  }
  return negative ? -y : y;
}

/**
 * The code of a non-NaN value of `format`, found from the value by arithmetic.
 * @param format - the format
 * @param value - ±0, ±Infinity (formats with infinities) or a finite value of the format
 * @returns the code
 * @example codeOfValue('float16', -2) // 49152 (0xc000)
 */
export function codeOfValue(format: FormatName, value: number): number {
  const spec = ORACLE_SPECS[format];
  const mantissaBits = spec.precision - 1;
  const sign = value < 0 || Object.is(value, -0) ? 2 ** (spec.bits - 1) : 0;
  const magnitude = Math.abs(value);
  const bias = 1 - spec.minExponent;
  if (magnitude === Number.POSITIVE_INFINITY) {
    return sign + (2 ** (spec.bits - spec.precision) - 1) * 2 ** mantissaBits;
  }
  if (magnitude < 2 ** spec.minExponent) {
    return sign + magnitude / 2 ** (spec.minExponent - mantissaBits);
  }
  const e = binade(magnitude);
  return (
    sign +
    (e + bias) * 2 ** mantissaBits +
    (magnitude / 2 ** (e - mantissaBits) - 2 ** mantissaBits)
  );
}

/**
 * The NaN code a float32 NaN pattern converts to: sign kept, quiet bit set,
 * top payload bits kept (E4M3: S.1111.111).
 * @param format - the format
 * @param pattern - a float32 NaN bit pattern
 * @returns the code
 * @example nanCodeOf('float16', 0xffc00000).toString(16) // 'fe00'
 */
export function nanCodeOf(format: FormatName, pattern: number): number {
  const spec = ORACLE_SPECS[format];
  const mantissaBits = spec.precision - 1;
  const sign = pattern >= 2147483648 ? 2 ** (spec.bits - 1) : 0;
  const top = (2 ** (spec.bits - spec.precision) - 1) * 2 ** mantissaBits;
  if (!spec.infinity) return sign + top + 2 ** mantissaBits - 1;
  const payload = Math.floor((pattern % 8388608) / 2 ** (23 - mantissaBits));
  const quiet = 2 ** (mantissaBits - 1);
  return sign + top + (payload >= quiet ? payload : payload + quiet);
}

/**
 * The code a float32 bit pattern converts to.
 * @param format - the format
 * @param pattern - an integer in `[0, 2^32)`
 * @param options - rounding mode, saturation, random draw
 * @returns the expected code
 * @example oracleEncodePattern('bfloat16', 0x3eaaaaab).toString(16) // '3eab'
 */
export function oracleEncodePattern(
  format: FormatName,
  pattern: number,
  options: OracleOptions = {},
): number {
  const x = float32Value(pattern);
  if (Number.isNaN(x)) return nanCodeOf(format, pattern);
  const y = oracleRound(format, x, options);
  if (Number.isNaN(y)) return nanCodeOf(format, x < 0 ? 0xffc00000 : 0x7fc00000);
  return codeOfValue(format, y);
}

/**
 * The float32 bit pattern a code decodes to: its value's pattern, or for NaN
 * the payload widened bit for bit (E4M3: 0x7fc00000 with the sign).
 * @param format - the format
 * @param code - the code
 * @returns the expected float32 pattern
 * @example oracleDecodePattern('float8e4m3', 0x7f).toString(16) // '7fc00000'
 */
export function oracleDecodePattern(format: FormatName, code: number): number {
  const spec = ORACLE_SPECS[format];
  const value = formatValue(format, code);
  const negative = code >= 2 ** (spec.bits - 1);
  const sign = negative ? 2147483648 : 0;
  if (Number.isNaN(value)) {
    if (!spec.infinity) return sign + 0x7fc00000;
    const mantissaBits = spec.precision - 1;
    return sign + 0x7f800000 + (code % 2 ** mantissaBits) * 2 ** (23 - mantissaBits);
  }
  const magnitude = Math.abs(value);
  if (magnitude === Number.POSITIVE_INFINITY) return sign + 0x7f800000;
  if (magnitude < 2 ** -126) return sign + magnitude / 2 ** -149;
  const e = binade(magnitude);
  return sign + (e + 127) * 8388608 + (magnitude / 2 ** (e - 23) - 8388608);
}
