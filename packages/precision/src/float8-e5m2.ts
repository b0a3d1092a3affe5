/**
 * OCP FP8 E5M2 (IEEE-like: PyTorch `float8_e5m2`): 1 sign, 5 exponent, 2 mantissa bits, bias 15; largest finite 57344 (0x7b), infinities 0x7c / 0xfc, NaNs 0x7d-0x7f; smallest subnormal 2^-16. Overflow gives infinity, or ±57344 with `saturate: true`.
 *
 * Named wrappers over the generic codec: scalar conversions of JS numbers
 * (rounded once, from float64) and bulk conversions of typed arrays (the fast
 * kernels; see `convert.ts`).
 */
import { type CodeArrayFor, decodeArray, encodeArray } from './convert.js';
import type { ConvertOptions, KernelChoice } from './options.js';
import { fromFormatBits, roundToFormat, toFormatBits } from './scalar.js';

/**
 * Rounds a JS number to float8e5m2 and returns its code.
 * @param x - any number (rounded once from float64; NaN gives the canonical quiet NaN)
 * @param options - rounding mode (default nearest-even), `saturate`, random source
 * @returns the code
 * @throws InvalidArgumentError when `x` is not a number or an option is invalid
 * @example
 * toFloat8E5M2Bits(57344).toString(16) // '7b'
 * toFloat8E5M2Bits(61440).toString(16) // '7c' (Infinity)
 */
export function toFloat8E5M2Bits(x: number, options?: ConvertOptions): number {
  return toFormatBits('float8e5m2', x, options);
}

/**
 * The value of a float8e5m2 code, exactly.
 * @param bits - the code
 * @returns the value
 * @throws InvalidArgumentError when `bits` is not a valid code
 * @example fromFloat8E5M2Bits(0x01) // 0.0000152587890625 (2^-16)
 */
export function fromFloat8E5M2Bits(bits: number): number {
  return fromFormatBits('float8e5m2', bits);
}

/**
 * Rounds a JS number to the nearest float8e5m2 value and returns that value.
 * @param x - any number
 * @param options - rounding mode, `saturate`, random source
 * @returns the rounded value
 * @throws InvalidArgumentError when `x` is not a number or an option is invalid
 * @example roundToFloat8E5M2(0.3) // 0.3125
 */
export function roundToFloat8E5M2(x: number, options?: ConvertOptions): number {
  return roundToFormat('float8e5m2', x, options);
}

/**
 * Converts a Float32Array to float8e5m2 codes (round-to-nearest-even unless `options` say
 * otherwise), exact to the bit; NaNs keep their sign and top payload bits.
 * @param src - the values
 * @param dst - where to write; allocated when omitted
 * @param options - rounding mode, `saturate`, random source, kernel
 * @returns `dst`
 * @throws InvalidArgumentError when `src` is not a Float32Array, `dst` is not a Uint8Array,
 * or an option is invalid
 * @throws LengthMismatchError when `dst.length !== src.length`
 * @throws UnsupportedError for `kernel: 'wasm'` where WebAssembly SIMD is missing
 * @example float32ToFloat8E5M2(new Float32Array([1, -2, Infinity])) // Uint8Array [60, 192, 124]
 */
export function float32ToFloat8E5M2(
  src: Float32Array,
  dst?: Uint8Array,
  options?: ConvertOptions,
): Uint8Array {
  return encodeArray(
    'float32ToFloat8E5M2',
    'float8e5m2',
    src,
    dst as CodeArrayFor<'float8e5m2'> | undefined,
    options,
  );
}

/**
 * Converts float8e5m2 codes to a Float32Array, exactly.
 * @param src - the codes
 * @param dst - where to write; allocated when omitted
 * @param options - `kernel`: 'auto' (default), 'js' or 'wasm'
 * @returns `dst`
 * @throws InvalidArgumentError when `src` is not a Uint8Array or `dst` not a Float32Array
 * @throws LengthMismatchError when `dst.length !== src.length`
 * @throws UnsupportedError for `kernel: 'wasm'` where WebAssembly SIMD is missing
 * @example float8E5M2ToFloat32(new Uint8Array([0x3c, 0x7b, 0x7c])) // Float32Array [1, 57344, Infinity]
 */
export function float8E5M2ToFloat32(
  src: Uint8Array,
  dst?: Float32Array,
  options?: { kernel?: KernelChoice },
): Float32Array {
  return decodeArray(
    'float8E5M2ToFloat32',
    'float8e5m2',
    src as CodeArrayFor<'float8e5m2'>,
    dst,
    options,
  );
}
