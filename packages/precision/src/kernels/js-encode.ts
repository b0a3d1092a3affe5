/**
 * Portable bulk encoders, round-to-nearest-even: float32 patterns (a
 * `Uint32Array` view of the source) to float16 / bfloat16 / E4M3 / E5M2 codes.
 *
 * Each loop body is branch-free bit arithmetic: both the normal and the
 * subnormal result are computed, and `mask = (x - y) >> 31` (all ones exactly
 * when x < y, for x, y in [0, 2^31)) selects between them, then the overflow
 * and NaN results, so the time per element does not depend on the data. These
 * are the specialisations of `encodeFloat32Bits` (see `encode-bits.ts`) for
 * one format each, with the constants folded in:
 *
 * - normal: `(a - rebias + (2^(s-1) - 1) + lastKeptBit) >>> s`, s = 23 - mantissaBits:
 *   round-half-even by adding just under one half plus the parity of the last kept bit.
 * - subnormal: the same rounding on the integer significand, shifted by one more
 *   bit per binade below the smallest normal (the shift is clamped where the
 *   result is 0 anyway, because JS shift counts wrap at 32).
 */

/** Selects `whenTrue` where `mask` is all ones and `whenFalse` where it is zero. */
function select(mask: number, whenTrue: number, whenFalse: number): number {
  return whenFalse ^ ((whenFalse ^ whenTrue) & mask);
}

/**
 * float32 patterns to float16 codes, round-to-nearest-even.
 * @param src - float32 bit patterns
 * @param dst - float16 codes
 * @param start - first index
 * @param end - one past the last index
 */
export function encodeFloat16Js(src: Uint32Array, dst: Uint16Array, start: number, end: number) {
  for (let i = start; i < end; i++) {
    const u = src[i]!;
    const a = u & 0x7fffffff;
    const normal = (a - 0x37fff001 + ((a >>> 13) & 1)) >>> 13;
    const s = Math.min(126 - (a >>> 23), 25);
    const significand = (a & 0x7fffff) | 0x800000;
    const subnormal = (significand + (1 << (s - 1)) - 1 + ((significand >>> s) & 1)) >>> s;
    let h = select((a - 0x38800000) >> 31, subnormal, normal);
    h = select((0x477fefff - a) >> 31, 0x7c00, h);
    h = select((0x7f800000 - a) >> 31, 0x7e00 | ((a >>> 13) & 0x3ff), h);
    dst[i] = h | ((u >>> 16) & 0x8000);
  }
}

/**
 * float32 patterns to bfloat16 codes, round-to-nearest-even. The rounding carry
 * may run into the exponent and on to infinity, which is the right overflow.
 * @param src - float32 bit patterns
 * @param dst - bfloat16 codes
 * @param start - first index
 * @param end - one past the last index
 */
export function encodeBFloat16Js(src: Uint32Array, dst: Uint16Array, start: number, end: number) {
  for (let i = start; i < end; i++) {
    const u = src[i]!;
    const rounded = (u + 0x7fff + ((u >>> 16) & 1)) >>> 16;
    dst[i] = select((0x7f800000 - (u & 0x7fffffff)) >> 31, (u >>> 16) | 0x40, rounded);
  }
}

/**
 * float32 patterns to E4M3 codes, round-to-nearest-even.
 * @param src - float32 bit patterns
 * @param dst - E4M3 codes
 * @param start - first index
 * @param end - one past the last index
 * @param saturate - overflow (and infinity) to ±448 instead of NaN
 */
export function encodeFloat8E4M3Js(
  src: Uint32Array,
  dst: Uint8Array,
  start: number,
  end: number,
  saturate: boolean,
) {
  const overflow = saturate ? 0x7e : 0x7f;
  for (let i = start; i < end; i++) {
    const u = src[i]!;
    const a = u & 0x7fffffff;
    const normal = (a - 0x3bf80001 + ((a >>> 20) & 1)) >>> 20;
    const s = Math.min(141 - (a >>> 23), 25);
    const significand = (a & 0x7fffff) | 0x800000;
    const subnormal = (significand + (1 << (s - 1)) - 1 + ((significand >>> s) & 1)) >>> s;
    let q = select((a - 0x3c800000) >> 31, subnormal, normal);
    q = select((0x43e80000 - a) >> 31, overflow, q);
    q = select((0x7f800000 - a) >> 31, 0x7f, q);
    dst[i] = q | ((u >>> 24) & 0x80);
  }
}

/**
 * float32 patterns to E5M2 codes, round-to-nearest-even.
 * @param src - float32 bit patterns
 * @param dst - E5M2 codes
 * @param start - first index
 * @param end - one past the last index
 * @param saturate - overflow (and infinity) to ±57344 instead of infinity
 */
export function encodeFloat8E5M2Js(
  src: Uint32Array,
  dst: Uint8Array,
  start: number,
  end: number,
  saturate: boolean,
) {
  const overflow = saturate ? 0x7b : 0x7c;
  for (let i = start; i < end; i++) {
    const u = src[i]!;
    const a = u & 0x7fffffff;
    const normal = (a - 0x37f00001 + ((a >>> 21) & 1)) >>> 21;
    const s = Math.min(134 - (a >>> 23), 25);
    const significand = (a & 0x7fffff) | 0x800000;
    const subnormal = (significand + (1 << (s - 1)) - 1 + ((significand >>> s) & 1)) >>> s;
    let q = select((a - 0x38800000) >> 31, subnormal, normal);
    q = select((0x476fffff - a) >> 31, overflow, q);
    q = select((0x7f800000 - a) >> 31, 0x7e | ((a >>> 21) & 1), q);
    dst[i] = q | ((u >>> 24) & 0x80);
  }
}
