/**
 * Portable bulk encoder for the rounding modes other than nearest-even:
 * toward zero and stochastic. One loop for every format, with the format's
 * constants read once per call.
 *
 * Stochastic rounding keeps `s` low bits of the scaled magnitude (the dropped
 * part `d`, out of `2^s`) and rounds up when the element's 32-bit draw
 * satisfies `draw < d * 2^(32 - s)`: probability `d / 2^s`, the distance to the
 * lower neighbour in units of the gap. For normal results `s <= 23` and the
 * test is the integer comparison `(draw >>> (32 - s)) < d`; subnormal results
 * (any `s`) use the same comparison in float64, exactly.
 */
import { type CodecConstants, nanCode, overflowCode } from '../encode-bits.js';
import type { RandomSource } from '../random.js';

/**
 * float32 patterns to codes, toward zero or stochastically.
 * @param c - codec constants of the target format
 * @param src - float32 bit patterns
 * @param dst - codes
 * @param stochastic - true: stochastic rounding; false: toward zero
 * @param saturate - clamp overflow and infinities to the largest finite value
 * @param random - the random source (stochastic only; one draw per element)
 */
export function encodeDirectedJs(
  c: CodecConstants,
  src: Uint32Array,
  dst: Uint16Array | Uint8Array,
  stochastic: boolean,
  saturate: boolean,
  random: RandomSource | undefined,
): void {
  const { shift, rebias, minNormalField, minNormalPattern, signShift } = c;
  const maxCode = c.format.maxFiniteBits;
  const infinityCode = overflowCode(c, saturate);
  // A finite value beyond the range: truncation stops at the largest finite value.
  const finiteOverflow = overflowCode(c, saturate || !stochastic);
  const mask = 2 ** shift - 1;
  const drawShift = 32 - shift;
  for (let i = 0; i < src.length; i++) {
    const draw = stochastic ? random!.nextUint32() : 0;
    const u = src[i]!;
    const a = u & 0x7fffffff;
    const sign = (u >>> 31) << signShift;
    if (a >= 0x7f800000) {
      dst[i] = sign | (a === 0x7f800000 ? infinityCode : nanCode(c, a));
      continue;
    }
    let code: number;
    if (a >= minNormalPattern) {
      const scaled = a - rebias;
      code = scaled >>> shift;
      if (stochastic && draw >>> drawShift < (scaled & mask)) code++;
    } else {
      const field = a >>> 23;
      const significand = field === 0 ? a : (a & 0x7fffff) | 0x800000;
      const unit = 2 ** (shift + minNormalField - Math.max(field, 1));
      code = Math.floor(significand / unit);
      if (stochastic && draw < (significand - code * unit) * (4294967296 / unit)) code++;
    }
    dst[i] = sign | (code > maxCode ? finiteOverflow : code);
  }
}
