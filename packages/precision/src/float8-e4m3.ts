/**
 * OCP FP8 E4M3 (the "fn" variant: PyTorch `float8_e4m3fn`, ml_dtypes `float8_e4m3fn`): 1 sign, 4 exponent, 3 mantissa bits, bias 7; no infinities, the top exponent holds finite values up to 448 (0x7e), and S.1111.111 (0x7f / 0xff) is the only NaN; smallest subnormal 2^-9. Overflow gives NaN, or ±448 with `saturate: true`.
 *
 * Named wrappers over the generic codec: scalar conversions of JS numbers
 * (rounded once, from float64) and bulk conversions of typed arrays (the fast
 * kernels; see `convert.ts`).
 */
import { type CodeArrayFor, decodeArray, encodeArray } from './convert.js';
import type { ConvertOptions, KernelChoice } from './options.js';
import { fromFormatBits, roundToFormat, toFormatBits } from './scalar.js';

/**
 * Rounds a JS number to float8e4m3 and returns its code.
 * @param x - any number (rounded once from float64; NaN gives the canonical quiet NaN)
 * @param options - rounding mode (default nearest-even), `saturate`, random source
 * @returns the code
 * @throws InvalidArgumentError when `x` is not a number or an option is invalid
 * @example
 * toFloat8E4M3Bits(448).toString(16) // '7e'
 * toFloat8E4M3Bits(500).toString(16) // '7f' (NaN: overflow)
 * toFloat8E4M3Bits(500, { saturate: true }).toString(16) // '7e'
 */
export function toFloat8E4M3Bits(x: number, options?: ConvertOptions): number {
  return toFormatBits('float8e4m3', x, options);
}

/**
 * The value of a float8e4m3 code, exactly.
 * @param bits - the code
 * @returns the value
 * @throws InvalidArgumentError when `bits` is not a valid code
 * @example fromFloat8E4M3Bits(0x01) // 0.001953125 (2^-9)
 */
export function fromFloat8E4M3Bits(bits: number): number {
  return fromFormatBits('float8e4m3', bits);
}

/**
 * Rounds a JS number to the nearest float8e4m3 value and returns that value.
 * @param x - any number
 * @param options - rounding mode, `saturate`, random source
 * @returns the rounded value
 * @throws InvalidArgumentError when `x` is not a number or an option is invalid
 * @example roundToFloat8E4M3(0.3) // 0.3125
 */
export function roundToFloat8E4M3(x: number, options?: ConvertOptions): number {
  return roundToFormat('float8e4m3', x, options);
}

/**
 * Converts a Float32Array to float8e4m3 codes (round-to-nearest-even unless `options` say
 * otherwise), exact to the bit; NaNs keep their sign and top payload bits.
 * @param src - the values
 * @param dst - where to write; allocated when omitted
 * @param options - rounding mode, `saturate`, random source, kernel
 * @returns `dst`
 * @throws InvalidArgumentError when `src` is not a Float32Array, `dst` is not a Uint8Array,
 * or an option is invalid
 * @throws LengthMismatchError when `dst.length !== src.length`
 * @throws UnsupportedError for `kernel: 'wasm'` where WebAssembly SIMD is missing
 * @example float32ToFloat8E4M3(new Float32Array([1, -448, 1000]), undefined, { saturate: true }) // Uint8Array [56, 254, 126]
 */
export function float32ToFloat8E4M3(
  src: Float32Array,
  dst?: Uint8Array,
  options?: ConvertOptions,
): Uint8Array {
  return encodeArray(
    'float32ToFloat8E4M3',
    'float8e4m3',
    src,
    dst as CodeArrayFor<'float8e4m3'> | undefined,
    options,
  );
}

/**
 * Converts float8e4m3 codes to a Float32Array, exactly.
 * @param src - the codes
 * @param dst - where to write; allocated when omitted
 * @param options - `kernel`: 'auto' (default), 'js' or 'wasm'
 * @returns `dst`
 * @throws InvalidArgumentError when `src` is not a Uint8Array or `dst` not a Float32Array
 * @throws LengthMismatchError when `dst.length !== src.length`
 * @throws UnsupportedError for `kernel: 'wasm'` where WebAssembly SIMD is missing
 * @example float8E4M3ToFloat32(new Uint8Array([0x38, 0x7e, 0x7f])) // Float32Array [1, 448, NaN]
 */
export function float8E4M3ToFloat32(
  src: Uint8Array,
  dst?: Float32Array,
  options?: { kernel?: KernelChoice },
): Float32Array {
  return decodeArray(
    'float8E4M3ToFloat32',
    'float8e4m3',
    src as CodeArrayFor<'float8e4m3'>,
    dst,
    options,
  );
}
