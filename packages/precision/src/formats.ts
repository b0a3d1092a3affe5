/**
 * The number formats of the package, as data. Every conversion, the oracle in
 * `@x/precision/test`, the error measures and the docs read their constants
 * from this one table.
 *
 * | format        | bits | exponent | mantissa | bias | largest finite | smallest subnormal | infinities | NaN encodings |
 * | ------------- | ---- | -------- | -------- | ---- | -------------- | ------------------ | ---------- | ------------- |
 * | `float16`     | 16   | 5        | 10       | 15   | 65504          | 2^-24              | yes        | exponent all ones, mantissa != 0 |
 * | `bfloat16`    | 16   | 8        | 7        | 127  | 3.3895e38      | 2^-133             | yes        | exponent all ones, mantissa != 0 |
 * | `float8e4m3`  | 8    | 4        | 3        | 7    | 448            | 2^-9               | no         | S.1111.111 only (OCP "E4M3", PyTorch `float8_e4m3fn`) |
 * | `float8e5m2`  | 8    | 5        | 2        | 15   | 57344          | 2^-16              | yes        | exponent all ones, mantissa != 0 (IEEE-like) |
 *
 * References: IEEE 754-2019 (binary16); the OCP 8-bit Floating Point
 * Specification (OFP8) rev 1.0, 2023; Google Brain bfloat16 (the top half of
 * an IEEE binary32).
 */

/** The names of the storage formats. */
export type FormatName = 'float16' | 'bfloat16' | 'float8e4m3' | 'float8e5m2';

/** The constants of one storage format. */
export interface FormatInfo {
  /** The format's name. */
  readonly name: FormatName;
  /** Bits in one encoded value (16 or 8). */
  readonly bits: 16 | 8;
  /** Width of the exponent field. */
  readonly exponentBits: number;
  /** Width of the stored mantissa (fraction) field; the precision is this plus one. */
  readonly mantissaBits: number;
  /** The exponent bias. */
  readonly bias: number;
  /** The exponent of the smallest normal number, `1 - bias`. */
  readonly minExponent: number;
  /** Whether the format has infinities (false for E4M3, whose top exponent holds finite values). */
  readonly hasInfinity: boolean;
  /** The largest finite value. */
  readonly maxFinite: number;
  /** The smallest positive normal value, `2^minExponent`. */
  readonly minNormal: number;
  /** The smallest positive subnormal value, `2^(minExponent - mantissaBits)`. */
  readonly minSubnormal: number;
  /** Encoding of the largest finite value (the largest positive finite code). */
  readonly maxFiniteBits: number;
  /** Encoding of +Infinity, or -1 when the format has none. */
  readonly infinityBits: number;
  /** Encoding of the canonical positive quiet NaN. */
  readonly nanBits: number;
  /** The sign bit. */
  readonly signBit: number;
}

function describeFormat(
  name: FormatName,
  bits: 16 | 8,
  exponentBits: number,
  mantissaBits: number,
  hasInfinity: boolean,
): FormatInfo {
  const bias = 2 ** (exponentBits - 1) - 1;
  const minExponent = 1 - bias;
  const topExponent = 2 ** exponentBits - 1;
  const mantissaMax = 2 ** mantissaBits - 1;
  // IEEE-like: the top exponent is reserved; E4M3: only S.1111.111 is reserved (NaN).
  const maxFiniteBits = hasInfinity
    ? (topExponent - 1) * 2 ** mantissaBits + mantissaMax
    : topExponent * 2 ** mantissaBits + mantissaMax - 1;
  const maxExponent = hasInfinity ? topExponent - 1 - bias : topExponent - bias;
  const maxMantissa = hasInfinity ? mantissaMax : mantissaMax - 1;
  return {
    name,
    bits,
    exponentBits,
    mantissaBits,
    bias,
    minExponent,
    hasInfinity,
    maxFinite: (1 + maxMantissa / 2 ** mantissaBits) * 2 ** maxExponent,
    minNormal: 2 ** minExponent,
    minSubnormal: 2 ** (minExponent - mantissaBits),
    maxFiniteBits,
    infinityBits: hasInfinity ? topExponent * 2 ** mantissaBits : -1,
    nanBits: hasInfinity
      ? topExponent * 2 ** mantissaBits + 2 ** (mantissaBits - 1)
      : topExponent * 2 ** mantissaBits + mantissaMax,
    signBit: 2 ** (bits - 1),
  };
}

/**
 * The constants of every format, keyed by name.
 * @example
 * FORMATS.float8e4m3.maxFinite // 448
 * FORMATS.float16.maxFiniteBits.toString(16) // '7bff'
 */
export const FORMATS: { readonly [name in FormatName]: FormatInfo } = {
  float16: describeFormat('float16', 16, 5, 10, true),
  bfloat16: describeFormat('bfloat16', 16, 8, 7, true),
  float8e4m3: describeFormat('float8e4m3', 8, 4, 3, false),
  float8e5m2: describeFormat('float8e5m2', 8, 5, 2, true),
};

/**
 * Every format name, in the order the docs and the verify script list them.
 * @example FORMAT_NAMES[2] // 'float8e4m3'
 */
export const FORMAT_NAMES = [
  'float16',
  'bfloat16',
  'float8e4m3',
  'float8e5m2',
] as const satisfies readonly FormatName[];

/**
 * True when `name` is one of the format names.
 * @param name - any value
 * @returns whether it names a format
 * @example isFormatName('float16') // true
 */
export function isFormatName(name: unknown): name is FormatName {
  return typeof name === 'string' && Object.hasOwn(FORMATS, name);
}
