/**
 * The generic bulk conversions behind the per-format functions: argument
 * checks, then dispatch to a kernel.
 *
 * - Round-to-nearest-even runs the fast kernels: WebAssembly SIMD or the
 *   branch-free TypeScript loops of `kernels/js-encode.ts` (float16 and
 *   bfloat16 saturation is a second pass turning ±Infinity codes into ±max).
 * - Toward-zero and stochastic rounding run `kernels/js-encode-directed.ts`.
 * - Decoding is exact: WebAssembly SIMD arithmetic, or lookup tables in TypeScript.
 *
 * `kernel: 'auto'` picks, per format and direction, what measured fastest on
 * Node 20 / x64 (see README "Speed"); arrays shorter than
 * {@link WASM_MIN_LENGTH} stay in TypeScript, where the copy in and out of the
 * module's memory would not pay.
 */
import { CODEC } from './encode-bits.js';
import { InvalidArgumentError, LengthMismatchError, UnsupportedError } from './errors.js';
import type { FormatName } from './formats.js';
import { decodeBFloat16Js, decodeTable, decodeWithTable } from './kernels/js-decode.js';
import {
  encodeBFloat16Js,
  encodeFloat8E4M3Js,
  encodeFloat8E5M2Js,
  encodeFloat16Js,
} from './kernels/js-encode.js';
import { encodeDirectedJs } from './kernels/js-encode-directed.js';
import { wasmDecode, wasmEncode, wasmKernels } from './kernels/wasm.js';
import { type ConvertOptions, type KernelChoice, resolveOptions } from './options.js';

/** The typed array that stores codes of each format. */
export type CodeArrayFor<F extends FormatName> = F extends 'float16' | 'bfloat16'
  ? Uint16Array
  : Uint8Array;

/**
 * Below this many elements `kernel: 'auto'` stays in TypeScript (measured
 * crossover on Node 20: about 64 elements to encode, 128 to decode).
 * @example WASM_MIN_LENGTH // 128
 */
export const WASM_MIN_LENGTH = 128;

/** What `kernel: 'auto'` runs for long arrays, per direction and format. */
const AUTO_KERNEL: {
  readonly encode: { readonly [name in FormatName]: 'js' | 'wasm' };
  readonly decode: { readonly [name in FormatName]: 'js' | 'wasm' };
} = {
  encode: { float16: 'wasm', bfloat16: 'wasm', float8e4m3: 'wasm', float8e5m2: 'wasm' },
  decode: { float16: 'wasm', bfloat16: 'wasm', float8e4m3: 'wasm', float8e5m2: 'wasm' },
};

function is16(format: FormatName): boolean {
  return format === 'float16' || format === 'bfloat16';
}

function bitsView(array: Float32Array): Uint32Array {
  return new Uint32Array(array.buffer, array.byteOffset, array.length);
}

function chooseWasm(
  op: string,
  choice: KernelChoice,
  direction: 'encode' | 'decode',
  format: FormatName,
  length: number,
) {
  if (choice === 'js') return null;
  if (choice === 'wasm') {
    const wasm = wasmKernels();
    if (wasm === null) throw new UnsupportedError(op, 'WebAssembly SIMD');
    return wasm;
  }
  if (length < WASM_MIN_LENGTH || AUTO_KERNEL[direction][format] === 'js') return null;
  return wasmKernels();
}

/**
 * Converts a Float32Array to codes of `format`.
 * @param op - the public function's name, for errors
 * @param format - target format
 * @param src - the values
 * @param dst - where to write (allocated when omitted)
 * @param options - conversion options
 * @returns `dst`
 * @throws InvalidArgumentError when `src` is not a Float32Array, `dst` has the wrong type,
 * or an option is invalid
 * @throws LengthMismatchError when `dst.length !== src.length`
 * @throws UnsupportedError for `kernel: 'wasm'` without WebAssembly SIMD
 */
export function encodeArray<F extends FormatName>(
  op: string,
  format: F,
  src: Float32Array,
  dst: CodeArrayFor<F> | undefined,
  options: ConvertOptions | undefined,
): CodeArrayFor<F> {
  if (!(src instanceof Float32Array)) {
    throw new InvalidArgumentError(op, 'src', src, 'a Float32Array');
  }
  const resolved = resolveOptions(op, options);
  const wide = is16(format);
  const out = (dst ?? (wide ? new Uint16Array(src.length) : new Uint8Array(src.length))) as
    | Uint16Array
    | Uint8Array;
  if (!(wide ? out instanceof Uint16Array : out instanceof Uint8Array)) {
    throw new InvalidArgumentError(op, 'dst', dst, wide ? 'a Uint16Array' : 'a Uint8Array');
  }
  if (out.length !== src.length) {
    throw new LengthMismatchError(op, 'dst', src.length, out.length);
  }
  const bits = bitsView(src);
  const n = src.length;
  const { rounding, saturate, random } = resolved;
  if (rounding !== 'nearest-even') {
    encodeDirectedJs(CODEC[format], bits, out, rounding === 'stochastic', saturate, random);
    return out as CodeArrayFor<F>;
  }
  const wasm = chooseWasm(op, resolved.kernel, 'encode', format, n);
  if (wasm !== null) {
    wasmEncode(wasm, format, bits, out, saturate);
  } else if (format === 'float16') {
    encodeFloat16Js(bits, out as Uint16Array, 0, n);
  } else if (format === 'bfloat16') {
    encodeBFloat16Js(bits, out as Uint16Array, 0, n);
  } else if (format === 'float8e4m3') {
    encodeFloat8E4M3Js(bits, out as Uint8Array, 0, n, saturate);
  } else {
    encodeFloat8E5M2Js(bits, out as Uint8Array, 0, n, saturate);
  }
  if (saturate && wide) {
    const { infinityBits, maxFiniteBits } = CODEC[format].format;
    for (let i = 0; i < n; i++) {
      const code = out[i]!;
      if ((code & 0x7fff) === infinityBits) out[i] = (code & 0x8000) | maxFiniteBits;
    }
  }
  return out as CodeArrayFor<F>;
}

/**
 * Converts codes of `format` to a Float32Array, exactly.
 * @param op - the public function's name, for errors
 * @param format - source format
 * @param src - the codes
 * @param dst - where to write (allocated when omitted)
 * @param options - `kernel` choice
 * @returns `dst`
 * @throws InvalidArgumentError when `src` or `dst` has the wrong type
 * @throws LengthMismatchError when `dst.length !== src.length`
 * @throws UnsupportedError for `kernel: 'wasm'` without WebAssembly SIMD
 */
export function decodeArray<F extends FormatName>(
  op: string,
  format: F,
  src: CodeArrayFor<F>,
  dst: Float32Array | undefined,
  options: Pick<ConvertOptions, 'kernel'> | undefined,
): Float32Array {
  const wide = is16(format);
  if (!(wide ? src instanceof Uint16Array : src instanceof Uint8Array)) {
    throw new InvalidArgumentError(op, 'src', src, wide ? 'a Uint16Array' : 'a Uint8Array');
  }
  const { kernel } = resolveOptions(
    op,
    options === undefined ? undefined : { kernel: options.kernel },
  );
  const out = dst ?? new Float32Array(src.length);
  if (!(out instanceof Float32Array)) {
    throw new InvalidArgumentError(op, 'dst', dst, 'a Float32Array');
  }
  if (out.length !== src.length) {
    throw new LengthMismatchError(op, 'dst', src.length, out.length);
  }
  const bits = bitsView(out);
  const wasm = chooseWasm(op, kernel, 'decode', format, src.length);
  if (wasm !== null) wasmDecode(wasm, format, src, bits);
  else if (format === 'bfloat16') decodeBFloat16Js(src as Uint16Array, bits, 0, src.length);
  else decodeWithTable(decodeTable(format), src, bits, 0, src.length);
  return out;
}
