/**
 * The generic bulk API, for any format by name (the per-format functions such
 * as `float32ToFloat16` are the same with the format fixed).
 */
import { type CodeArrayFor, decodeArray, encodeArray } from './convert.js';
import type { FormatName } from './formats.js';
import type { ConvertOptions, KernelChoice } from './options.js';
import { checkFormat } from './scalar.js';

/**
 * Converts a Float32Array to codes of `format`.
 * @param format - the target format
 * @param src - the values
 * @param dst - where to write (Uint16Array for 16-bit formats, Uint8Array for fp8); allocated
 * when omitted
 * @param options - rounding mode, `saturate`, random source, kernel
 * @returns `dst`
 * @throws InvalidArgumentError for an unknown format, wrong array types or invalid options
 * @throws LengthMismatchError when `dst.length !== src.length`
 * @throws UnsupportedError for `kernel: 'wasm'` where WebAssembly SIMD is missing
 * @example float32ToFormat('float8e5m2', new Float32Array([0.5, 3])) // Uint8Array [56, 66]
 */
export function float32ToFormat<F extends FormatName>(
  format: F,
  src: Float32Array,
  dst?: CodeArrayFor<F>,
  options?: ConvertOptions,
): CodeArrayFor<F> {
  return encodeArray(
    'float32ToFormat',
    checkFormat('float32ToFormat', format) as F,
    src,
    dst,
    options,
  );
}

/**
 * Converts codes of `format` to a Float32Array, exactly.
 * @param format - the source format
 * @param src - the codes
 * @param dst - where to write; allocated when omitted
 * @param options - `kernel`: 'auto' (default), 'js' or 'wasm'
 * @returns `dst`
 * @throws InvalidArgumentError for an unknown format or wrong array types
 * @throws LengthMismatchError when `dst.length !== src.length`
 * @throws UnsupportedError for `kernel: 'wasm'` where WebAssembly SIMD is missing
 * @example formatToFloat32('float8e5m2', new Uint8Array([56, 66])) // Float32Array [0.5, 3]
 */
export function formatToFloat32<F extends FormatName>(
  format: F,
  src: CodeArrayFor<F>,
  dst?: Float32Array,
  options?: { kernel?: KernelChoice },
): Float32Array {
  return decodeArray(
    'formatToFloat32',
    checkFormat('formatToFloat32', format) as F,
    src,
    dst,
    options,
  );
}
