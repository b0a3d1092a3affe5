/**
 * The portable scalar codec between float32 bit patterns and the narrow
 * formats: integer arithmetic on the pattern, every rounding mode, saturation.
 * It is the readable specification of the bit-level algorithm; the fast bulk
 * kernels in `kernels/` are specialisations of it for round-to-nearest-even,
 * and all of them are checked against the float64 oracle in `test/oracle.ts`.
 *
 * Algorithm (encode): take the magnitude `a` of the float32 pattern.
 * - Normal results (`a` at least the format's smallest normal): subtract the
 *   exponent-bias difference from the pattern, so that its top bits are already
 *   the target code; the low `23 - mantissaBits` bits are the remainder.
 * - Subnormal results: the integer significand, shifted right by one more bit
 *   per binade below the smallest normal.
 * - Round: add one to the code when the remainder says so (ties to even,
 *   truncation, or a random draw). The carry runs into the exponent field by
 *   itself, because codes of positive numbers are ordered like their values.
 * - A code above the largest finite code overflowed: infinity, NaN (E4M3) or,
 *   when saturating or truncating, the largest finite code.
 *
 * NaN: the result keeps the sign, sets the quiet bit and keeps the top payload
 * bits that fit (E4M3 has one NaN per sign, S.1111.111). Decoding widens the
 * payload back bit for bit; E4M3's NaN decodes to the canonical 0x7fc00000
 * with its sign.
 */
import { FORMATS, type FormatInfo, type FormatName } from './formats.js';
import type { RoundingMode } from './options.js';
import type { RandomSource } from './random.js';

/** Per-format constants of the bit-level codec, derived from {@link FORMATS}. */
export interface CodecConstants {
  readonly format: FormatInfo;
  /** `23 - mantissaBits`: the bits dropped from a normal float32 significand. */
  readonly shift: number;
  /** `(127 - bias) << 23`: subtracting it re-biases a float32 exponent field. */
  readonly rebias: number;
  /** The float32 exponent field of the format's smallest normal number. */
  readonly minNormalField: number;
  /** The float32 pattern of the smallest normal number. */
  readonly minNormalPattern: number;
  /** Where the sign bit goes: `bits - 1`. */
  readonly signShift: number;
}

function constantsOf(format: FormatInfo): CodecConstants {
  const minNormalField = 127 + format.minExponent;
  return {
    format,
    shift: 23 - format.mantissaBits,
    rebias: (127 - format.bias) * 2 ** 23,
    minNormalField,
    minNormalPattern: minNormalField * 2 ** 23,
    signShift: format.bits - 1,
  };
}

/** The codec constants of every format. */
export const CODEC: { readonly [name in FormatName]: CodecConstants } = {
  float16: constantsOf(FORMATS.float16),
  bfloat16: constantsOf(FORMATS.bfloat16),
  float8e4m3: constantsOf(FORMATS.float8e4m3),
  float8e5m2: constantsOf(FORMATS.float8e5m2),
};

const POW2 = new Float64Array(200);
for (let k = 0; k < POW2.length; k++) POW2[k] = 2 ** k;

/**
 * The code of a NaN: sign kept, quiet bit set, top payload bits kept.
 * @param c - codec constants
 * @param a - the NaN's float32 pattern without its sign
 * @returns the code without the sign
 */
export function nanCode(c: CodecConstants, a: number): number {
  const f = c.format;
  if (!f.hasInfinity) return f.nanBits;
  return f.nanBits | ((a & 0x7fffff) >>> c.shift);
}

/**
 * The code of a value that overflowed (or of an infinite input).
 * @param c - codec constants
 * @param saturate - clamp to the largest finite value
 * @returns the code without the sign
 */
export function overflowCode(c: CodecConstants, saturate: boolean): number {
  const f = c.format;
  if (saturate) return f.maxFiniteBits;
  return f.hasInfinity ? f.infinityBits : f.nanBits;
}

/**
 * Encodes one float32 bit pattern (the reference bit-level algorithm; see the file
 * comment). Stochastic rounding draws exactly one `nextUint32()` per call.
 * @param format - the target format
 * @param pattern - the float32 bit pattern (low 32 bits used)
 * @param rounding - the rounding mode
 * @param saturate - clamp overflow to the largest finite value
 * @param random - the random source, used only for `'stochastic'`
 * @returns the encoded bits
 * @example encodeFloat32Bits('float16', 0x3f800000).toString(16) // '3c00' (1.0)
 */
export function encodeFloat32Bits(
  format: FormatName,
  pattern: number,
  rounding: RoundingMode = 'nearest-even',
  saturate = false,
  random?: RandomSource,
): number {
  const c = CODEC[format];
  const draw = rounding === 'stochastic' && random !== undefined ? random.nextUint32() : 0;
  const u = pattern >>> 0;
  const sign = (u >>> 31) << c.signShift;
  const a = u & 0x7fffffff;
  if (a > 0x7f800000) return sign | nanCode(c, a);
  if (a === 0x7f800000) return sign | overflowCode(c, saturate);
  // `scaled` holds the magnitude in units of 2^-s of the target code's last place.
  let scaled: number;
  let s: number;
  const field = a >>> 23;
  if (field >= c.minNormalField) {
    scaled = a - c.rebias;
    s = c.shift;
  } else {
    scaled = (field === 0 ? 0 : 0x800000) | (a & 0x7fffff);
    s = c.shift + c.minNormalField - Math.max(field, 1);
  }
  const unit = POW2[s]!;
  const code = Math.floor(scaled / unit);
  const remainder = scaled - code * unit;
  let up = 0;
  if (rounding === 'nearest-even') {
    const half = unit / 2;
    up = remainder > half || (remainder === half && (code & 1) === 1) ? 1 : 0;
  } else if (rounding === 'stochastic') {
    // Round up with probability remainder / unit, resolved with 32 random bits.
    up = draw < remainder * (4294967296 / unit) ? 1 : 0;
  }
  const rounded = code + up;
  if (rounded > c.format.maxFiniteBits) {
    return sign | overflowCode(c, saturate || rounding === 'toward-zero');
  }
  return sign | rounded;
}

/**
 * Decodes one code to its float32 bit pattern, exactly (every value of every
 * format is a float32 value). NaN payloads are widened bit for bit; E4M3's NaN
 * gives 0x7fc00000 with its sign.
 * @param format - the source format
 * @param code - the encoded bits
 * @returns the float32 bit pattern, unsigned
 * @example decodeToFloat32Bits('float16', 0x7bff).toString(16) // '477fe000' (65504)
 */
export function decodeToFloat32Bits(format: FormatName, code: number): number {
  const c = CODEC[format];
  const f = c.format;
  const sign = ((code >>> c.signShift) & 1) << 31;
  const magnitude = code & (f.signBit - 1);
  const mantissaMask = 2 ** f.mantissaBits - 1;
  const field = magnitude >>> f.mantissaBits;
  let mantissa = magnitude & mantissaMask;
  const topField = 2 ** f.exponentBits - 1;
  if (f.hasInfinity && field === topField) {
    return (sign | 0x7f800000 | (mantissa << c.shift)) >>> 0;
  }
  if (!f.hasInfinity && magnitude === f.nanBits) return (sign | 0x7fc00000) >>> 0;
  if (field === 0) {
    if (mantissa === 0) return sign >>> 0;
    if (c.minNormalField === 1) return (sign | (mantissa << c.shift)) >>> 0; // bfloat16
    // Normalise: a subnormal of these formats is a normal float32.
    let exponentField = c.minNormalField;
    while ((mantissa & (mantissaMask + 1)) === 0) {
      mantissa <<= 1;
      exponentField--;
    }
    return (sign | (exponentField << 23) | ((mantissa & mantissaMask) << c.shift)) >>> 0;
  }
  return (sign | ((field + c.minNormalField - 1) << 23) | (mantissa << c.shift)) >>> 0;
}
