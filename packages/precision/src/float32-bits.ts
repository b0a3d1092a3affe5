/**
 * Reinterpreting between a float32 value and its 32-bit pattern, through one
 * shared 4-byte scratch buffer (little or big endian alike: both views share
 * the platform's byte order).
 */

const scratch = new ArrayBuffer(4);
const scratchFloat = new Float32Array(scratch);
const scratchBits = new Uint32Array(scratch);

/**
 * The bit pattern of `x` rounded to float32 (round-to-nearest-even, as `Math.fround`).
 * NaN gives the platform's canonical NaN pattern (0x7fc00000 in V8).
 * @param x - any number
 * @returns the unsigned 32-bit pattern
 * @example float32ToBits(1).toString(16) // '3f800000'
 */
export function float32ToBits(x: number): number {
  scratchFloat[0] = x;
  return scratchBits[0]!;
}

/**
 * The float32 value with bit pattern `bits`. NaN patterns give NaN (a JS number
 * cannot be relied on to keep the payload).
 * @param bits - an unsigned 32-bit pattern (only the low 32 bits are used)
 * @returns the value, exactly
 * @example bitsToFloat32(0x3eaaaaab) // 0.3333333432674408
 */
export function bitsToFloat32(bits: number): number {
  scratchBits[0] = bits;
  return scratchFloat[0]!;
}
