/**
 * The generic scalar API, for any format by name: JS numbers to codes and
 * back, and float32 bit patterns to codes and back. The per-format files
 * (`float16.ts`, ...) are thin named wrappers over these.
 */
import { decodeToFloat32Bits, encodeFloat32Bits } from './encode-bits.js';
import { decodeNumber, encodeNumber } from './encode-number.js';
import { InvalidArgumentError } from './errors.js';
import { FORMAT_NAMES, FORMATS, type FormatName, isFormatName } from './formats.js';
import { type ConvertOptions, resolveOptions } from './options.js';

/**
 * Checks a format name given by a user.
 * @param op - the calling function
 * @param format - the value to check
 * @returns the name, typed
 * @throws InvalidArgumentError when it is not a format name
 */
export function checkFormat(op: string, format: unknown): FormatName {
  if (isFormatName(format)) return format;
  throw new InvalidArgumentError(op, 'format', format, `one of ${FORMAT_NAMES.join(', ')}`);
}

function checkNumber(op: string, x: unknown): number {
  if (typeof x !== 'number') throw new InvalidArgumentError(op, 'x', x, 'a number');
  return x;
}

function checkCode(op: string, format: FormatName, code: unknown): number {
  const size = 2 ** FORMATS[format].bits;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code >= size) {
    throw new InvalidArgumentError(op, 'bits', code, `an integer in [0, ${size})`);
  }
  return code;
}

/**
 * Rounds a JS number to `format` and returns its code. Rounds once, from float64.
 * NaN gives the canonical positive quiet NaN.
 * @param format - the target format
 * @param x - any number
 * @param options - rounding mode, saturation, random source
 * @returns the code, an integer in `[0, 2^bits)`
 * @throws InvalidArgumentError for an unknown format, a non-number or invalid options
 * @example toFormatBits('float8e4m3', 448).toString(16) // '7e'
 */
export function toFormatBits(format: FormatName, x: number, options?: ConvertOptions): number {
  const op = 'toFormatBits';
  return encodeNumber(checkFormat(op, format), checkNumber(op, x), resolveOptions(op, options));
}

/**
 * The value of a code, exactly.
 * @param format - the source format
 * @param bits - the code, an integer in `[0, 2^bits)`
 * @returns the value (NaN for NaN codes, ±Infinity, -0 for the negative zero)
 * @throws InvalidArgumentError for an unknown format or a code out of range
 * @example fromFormatBits('float8e5m2', 0x7b) // 57344
 */
export function fromFormatBits(format: FormatName, bits: number): number {
  const op = 'fromFormatBits';
  const f = checkFormat(op, format);
  return decodeNumber(f, checkCode(op, f, bits));
}

/**
 * Rounds a JS number to the nearest value of `format` (or as `options.rounding`
 * says) and returns that value: `fromFormatBits(format, toFormatBits(format, x))`.
 * @param format - the target format
 * @param x - any number
 * @param options - rounding mode, saturation, random source
 * @returns the rounded value
 * @throws InvalidArgumentError for an unknown format, a non-number or invalid options
 * @example roundToFormat('bfloat16', 1 / 3) // 0.333984375
 */
export function roundToFormat(format: FormatName, x: number, options?: ConvertOptions): number {
  const op = 'roundToFormat';
  const f = checkFormat(op, format);
  return decodeNumber(f, encodeNumber(f, checkNumber(op, x), resolveOptions(op, options)));
}

/**
 * Encodes a float32 bit pattern: exactly what the bulk conversions do for one
 * element, NaN sign and top payload bits included.
 * @param format - the target format
 * @param pattern - the float32 bit pattern, an integer in `[0, 2^32)`
 * @param options - rounding mode, saturation, random source
 * @returns the code
 * @throws InvalidArgumentError for an unknown format, a bad pattern or invalid options
 * @example float32BitsToFormatBits('float16', 0x7fc00001).toString(16) // '7e00'
 */
export function float32BitsToFormatBits(
  format: FormatName,
  pattern: number,
  options?: ConvertOptions,
): number {
  const op = 'float32BitsToFormatBits';
  const f = checkFormat(op, format);
  if (!Number.isInteger(pattern) || pattern < 0 || pattern >= 2 ** 32) {
    throw new InvalidArgumentError(op, 'pattern', pattern, 'an integer in [0, 2^32)');
  }
  const { rounding, saturate, random } = resolveOptions(op, options);
  return encodeFloat32Bits(f, pattern, rounding, saturate, random);
}

/**
 * Decodes a code to its float32 bit pattern, exactly (NaN payloads widened bit for bit).
 * @param format - the source format
 * @param bits - the code
 * @returns the float32 pattern, an integer in `[0, 2^32)`
 * @throws InvalidArgumentError for an unknown format or a code out of range
 * @example formatBitsToFloat32Bits('bfloat16', 0x3f80).toString(16) // '3f800000'
 */
export function formatBitsToFloat32Bits(format: FormatName, bits: number): number {
  const op = 'formatBitsToFloat32Bits';
  const f = checkFormat(op, format);
  return decodeToFloat32Bits(f, checkCode(op, f, bits));
}
