/**
 * bfloat16 (brain floating point): the top 16 bits of an IEEE binary32 — 1 sign, 8 exponent, 7 mantissa bits, bias 127, the float32 range with 8 bits of precision; largest finite 3.3895e38 (0x7f7f), smallest subnormal 2^-133, canonical NaN 0x7fc0.
 *
 * Named wrappers over the generic codec: scalar conversions of JS numbers
 * (rounded once, from float64) and bulk conversions of typed arrays (the fast
 * kernels; see `convert.ts`).
 */
import { type CodeArrayFor, decodeArray, encodeArray } from './convert.js';
import type { ConvertOptions, KernelChoice } from './options.js';
import { fromFormatBits, roundToFormat, toFormatBits } from './scalar.js';

/**
 * Rounds a JS number to bfloat16 and returns its code.
 * @param x - any number (rounded once from float64; NaN gives the canonical quiet NaN)
 * @param options - rounding mode (default nearest-even), `saturate`, random source
 * @returns the code
 * @throws InvalidArgumentError when `x` is not a number or an option is invalid
 * @example
 * toBFloat16Bits(1 / 3).toString(16) // '3eab'
 * toBFloat16Bits(-1).toString(16) // 'bf80'
 */
export function toBFloat16Bits(x: number, options?: ConvertOptions): number {
  return toFormatBits('bfloat16', x, options);
}

/**
 * The value of a bfloat16 code, exactly.
 * @param bits - the code
 * @returns the value
 * @throws InvalidArgumentError when `bits` is not a valid code
 * @example fromBFloat16Bits(0x3eab) // 0.333984375
 */
export function fromBFloat16Bits(bits: number): number {
  return fromFormatBits('bfloat16', bits);
}

/**
 * Rounds a JS number to the nearest bfloat16 value and returns that value.
 * @param x - any number
 * @param options - rounding mode, `saturate`, random source
 * @returns the rounded value
 * @throws InvalidArgumentError when `x` is not a number or an option is invalid
 * @example roundToBFloat16(Math.PI) // 3.140625
 */
export function roundToBFloat16(x: number, options?: ConvertOptions): number {
  return roundToFormat('bfloat16', x, options);
}

/**
 * Converts a Float32Array to bfloat16 codes (round-to-nearest-even unless `options` say
 * otherwise), exact to the bit; NaNs keep their sign and top payload bits.
 * @param src - the values
 * @param dst - where to write; allocated when omitted
 * @param options - rounding mode, `saturate`, random source, kernel
 * @returns `dst`
 * @throws InvalidArgumentError when `src` is not a Float32Array, `dst` is not a Uint16Array,
 * or an option is invalid
 * @throws LengthMismatchError when `dst.length !== src.length`
 * @throws UnsupportedError for `kernel: 'wasm'` where WebAssembly SIMD is missing
 * @example float32ToBFloat16(new Float32Array([1, 1 / 3, -0])) // Uint16Array [16256, 16043, 32768]
 */
export function float32ToBFloat16(
  src: Float32Array,
  dst?: Uint16Array,
  options?: ConvertOptions,
): Uint16Array {
  return encodeArray(
    'float32ToBFloat16',
    'bfloat16',
    src,
    dst as CodeArrayFor<'bfloat16'> | undefined,
    options,
  );
}

/**
 * Converts bfloat16 codes to a Float32Array, exactly.
 * @param src - the codes
 * @param dst - where to write; allocated when omitted
 * @param options - `kernel`: 'auto' (default), 'js' or 'wasm'
 * @returns `dst`
 * @throws InvalidArgumentError when `src` is not a Uint16Array or `dst` not a Float32Array
 * @throws LengthMismatchError when `dst.length !== src.length`
 * @throws UnsupportedError for `kernel: 'wasm'` where WebAssembly SIMD is missing
 * @example bfloat16ToFloat32(new Uint16Array([0x3f80, 0x3eab])) // Float32Array [1, 0.333984375]
 */
export function bfloat16ToFloat32(
  src: Uint16Array,
  dst?: Float32Array,
  options?: { kernel?: KernelChoice },
): Float32Array {
  return decodeArray(
    'bfloat16ToFloat32',
    'bfloat16',
    src as CodeArrayFor<'bfloat16'>,
    dst,
    options,
  );
}
