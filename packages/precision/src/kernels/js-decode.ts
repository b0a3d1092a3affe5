/**
 * Portable bulk decoders: narrow codes to float32 bit patterns (a `Uint32Array`
 * view of the destination), exact.
 *
 * float16 and the fp8 formats go through lookup tables of every code's float32
 * pattern (65536 and 256 entries), built once, lazily, from the scalar
 * `decodeToFloat32Bits`: one load per element, no arithmetic. bfloat16 is the
 * top half of a float32, so decoding is one shift.
 */
import { decodeToFloat32Bits } from '../encode-bits.js';
import type { FormatName } from '../formats.js';

const tables: { [name in FormatName]?: Uint32Array } = {};

/**
 * The float32 pattern of every code of a format, built on first use.
 * @param format - the format
 * @returns a table indexed by code (65536 or 256 entries)
 */
export function decodeTable(format: FormatName): Uint32Array {
  let table = tables[format];
  if (table === undefined) {
    const size = format === 'float16' || format === 'bfloat16' ? 65536 : 256;
    table = new Uint32Array(size);
    for (let code = 0; code < size; code++) table[code] = decodeToFloat32Bits(format, code);
    tables[format] = table;
  }
  return table;
}

/**
 * float16 (or fp8) codes to float32 patterns through the lookup table.
 * @param table - from {@link decodeTable}
 * @param src - codes
 * @param dst - float32 bit patterns
 * @param start - first index
 * @param end - one past the last index
 */
export function decodeWithTable(
  table: Uint32Array,
  src: Uint16Array | Uint8Array,
  dst: Uint32Array,
  start: number,
  end: number,
) {
  for (let i = start; i < end; i++) dst[i] = table[src[i]!]!;
}

/**
 * bfloat16 codes to float32 patterns: a 16-bit shift.
 * @param src - bfloat16 codes
 * @param dst - float32 bit patterns
 * @param start - first index
 * @param end - one past the last index
 */
export function decodeBFloat16Js(src: Uint16Array, dst: Uint32Array, start: number, end: number) {
  for (let i = start; i < end; i++) dst[i] = src[i]! << 16;
}
