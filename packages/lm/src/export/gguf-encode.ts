/**
 * Tensor encodings of GGUF files: F32 and F16 values little-endian, and
 * Q8_0 (ggml's `block_q8_0`): blocks of 32 values along the innermost
 * dimension, each stored as a float16 scale `d` and 32 int8 quants `q`,
 * value = d * q (34 bytes per 32 values, 8.5 bits per weight).
 *
 * Quantization follows ggml's `quantize_row_q8_0_ref` in float32
 * arithmetic: amax = max |x| over the block, d = amax / 127,
 * id = d != 0 ? 1 / d : 0, q = roundf(x * id) (half away from zero), and
 * the scale written is float16(d) (round to nearest even). The quants are
 * computed with the float32 `d`, not the rounded one, exactly as ggml does.
 */
import { float16ToFloat32, float32ToFloat16 } from '@x/precision';

/** Values per Q8_0 block. */
export const Q8_0_BLOCK = 32;
/** Bytes per Q8_0 block: a float16 scale and 32 int8 quants. */
export const Q8_0_BLOCK_BYTES = 34;

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * F32 bytes (little-endian) of `values`.
 * @param values - the values
 * @returns 4 bytes per value
 * @example encodeF32(new Float32Array([1])) // Uint8Array [0, 0, 128, 63]
 */
export function encodeF32(values: Float32Array): Uint8Array {
  if (littleEndian)
    return new Uint8Array(
      values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength),
    );
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return out;
}

/**
 * F16 bytes (little-endian) of `values`, rounded to nearest even.
 * @param values - the values
 * @returns 2 bytes per value
 * @example encodeF16(new Float32Array([1])) // Uint8Array [0, 60]
 */
export function encodeF16(values: Float32Array): Uint8Array {
  const codes = float32ToFloat16(values);
  if (littleEndian) return new Uint8Array(codes.buffer, codes.byteOffset, codes.byteLength);
  const out = new Uint8Array(codes.length * 2);
  const view = new DataView(out.buffer);
  codes.forEach((c, i) => view.setUint16(2 * i, c, true));
  return out;
}

/**
 * Q8_0 blocks of `values` (whose length must be a multiple of 32; rows of a
 * matrix are consecutive runs of whole blocks when the row width is).
 * @param values - the values, innermost dimension first
 * @returns 34 bytes per 32 values
 * @example quantizeQ8_0(new Float32Array(32).fill(0.5)).length // 34
 */
export function quantizeQ8_0(values: Float32Array): Uint8Array {
  const blocks = Math.floor(values.length / Q8_0_BLOCK);
  const out = new Uint8Array(blocks * Q8_0_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  const scales = new Float32Array(blocks);
  for (let b = 0; b < blocks; b++) {
    const base = b * Q8_0_BLOCK;
    let amax = 0;
    for (let j = 0; j < Q8_0_BLOCK; j++) amax = Math.max(amax, Math.abs(values[base + j]!));
    scales[b] = amax / 127; // rounded to float32 by the store, as ggml's float division
  }
  const codes = float32ToFloat16(scales);
  for (let b = 0; b < blocks; b++) {
    const base = b * Q8_0_BLOCK;
    const d = scales[b]!;
    const id = d !== 0 ? Math.fround(1 / d) : 0;
    const at = b * Q8_0_BLOCK_BYTES;
    view.setUint16(at, codes[b]!, true);
    for (let j = 0; j < Q8_0_BLOCK; j++) {
      const x = Math.fround(values[base + j]! * id);
      // roundf: half away from zero
      view.setInt8(at + 2 + j, Math.sign(x) * Math.floor(Math.abs(x) + 0.5));
    }
  }
  return out;
}

/**
 * The values that Q8_0 blocks stand for (d * q in float32), for checks.
 * @param blocks - Q8_0 bytes (a multiple of 34)
 * @returns 32 values per block
 * @example dequantizeQ8_0(quantizeQ8_0(x)) // x within half a step per block
 */
export function dequantizeQ8_0(blocks: Uint8Array): Float32Array {
  const n = Math.floor(blocks.length / Q8_0_BLOCK_BYTES);
  const out = new Float32Array(n * Q8_0_BLOCK);
  const view = new DataView(blocks.buffer, blocks.byteOffset, blocks.byteLength);
  const code = new Uint16Array(1);
  for (let b = 0; b < n; b++) {
    const at = b * Q8_0_BLOCK_BYTES;
    code[0] = view.getUint16(at, true);
    const d = float16ToFloat32(code)[0]!;
    for (let j = 0; j < Q8_0_BLOCK; j++) out[b * Q8_0_BLOCK + j] = d * view.getInt8(at + 2 + j);
  }
  return out;
}
