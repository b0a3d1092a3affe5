/**
 * IEEE 754 binary16 (half precision): 1 sign, 5 exponent, 10 mantissa bits, bias 15; largest finite 65504 (0x7bff), smallest subnormal 2^-24 (0x0001), infinities 0x7c00 / 0xfc00, canonical NaN 0x7e00.
 *
 * Named wrappers over the generic codec: scalar conversions of JS numbers
 * (rounded once, from float64) and bulk conversions of typed arrays (the fast
 * kernels; see `convert.ts`).
 */
import { type CodeArrayFor, decodeArray, encodeArray } from './convert.js';
import type { ConvertOptions, KernelChoice } from './options.js';
import { fromFormatBits, roundToFormat, toFormatBits } from './scalar.js';

/**
 * Rounds a JS number to float16 and returns its code.
 * @param x - any number (rounded once from float64; NaN gives the canonical quiet NaN)
 * @param options - rounding mode (default nearest-even), `saturate`, random source
 * @returns the code
 * @throws InvalidArgumentError when `x` is not a number or an option is invalid
 * @example
 * toFloat16Bits(65504).toString(16) // '7bff'
 * toFloat16Bits(2 ** -24) // 1
 * toFloat16Bits(65520).toString(16) // '7c00' (rounds to Infinity)
 */
export function toFloat16Bits(x: number, options?: ConvertOptions): number {
  return toFormatBits('float16', x, options);
}

/**
 * The value of a float16 code, exactly.
 * @param bits - the code
 * @returns the value
 * @throws InvalidArgumentError when `bits` is not a valid code
 * @example fromFloat16Bits(0x3555) // 0.333251953125
 */
export function fromFloat16Bits(bits: number): number {
  return fromFormatBits('float16', bits);
}

/**
 * Rounds a JS number to the nearest float16 value and returns that value.
 * @param x - any number
 * @param options - rounding mode, `saturate`, random source
 * @returns the rounded value
 * @throws InvalidArgumentError when `x` is not a number or an option is invalid
 * @example roundToFloat16(0.1) // 0.0999755859375
 */
export function roundToFloat16(x: number, options?: ConvertOptions): number {
  return roundToFormat('float16', x, options);
}

/**
 * Converts a Float32Array to float16 codes (round-to-nearest-even unless `options` say
 * otherwise), exact to the bit; NaNs keep their sign and top payload bits.
 * @param src - the values
 * @param dst - where to write; allocated when omitted
 * @param options - rounding mode, `saturate`, random source, kernel
 * @returns `dst`
 * @throws InvalidArgumentError when `src` is not a Float32Array, `dst` is not a Uint16Array,
 * or an option is invalid
 * @throws LengthMismatchError when `dst.length !== src.length`
 * @throws UnsupportedError for `kernel: 'wasm'` where WebAssembly SIMD is missing
 * @example float32ToFloat16(new Float32Array([1, -2, 65504, 1e-8])) // Uint16Array [15360, 49152, 31743, 0]
 */
export function float32ToFloat16(
  src: Float32Array,
  dst?: Uint16Array,
  options?: ConvertOptions,
): Uint16Array {
  return encodeArray(
    'float32ToFloat16',
    'float16',
    src,
    dst as CodeArrayFor<'float16'> | undefined,
    options,
  );
}

/**
 * Converts float16 codes to a Float32Array, exactly.
 * @param src - the codes
 * @param dst - where to write; allocated when omitted
 * @param options - `kernel`: 'auto' (default), 'js' or 'wasm'
 * @returns `dst`
 * @throws InvalidArgumentError when `src` is not a Uint16Array or `dst` not a Float32Array
 * @throws LengthMismatchError when `dst.length !== src.length`
 * @throws UnsupportedError for `kernel: 'wasm'` where WebAssembly SIMD is missing
 * @example float16ToFloat32(new Uint16Array([0x3c00, 0x7c00, 0x0001])) // Float32Array [1, Infinity, 5.960464477539063e-8]
 */
export function float16ToFloat32(
  src: Uint16Array,
  dst?: Float32Array,
  options?: { kernel?: KernelChoice },
): Float32Array {
  return decodeArray('float16ToFloat32', 'float16', src as CodeArrayFor<'float16'>, dst, options);
}
