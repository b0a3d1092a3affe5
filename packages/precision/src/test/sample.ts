/**
 * Test inputs: a seeded sample of float32 bit patterns plus every special
 * value and every boundary of the four formats — the CI-sized stand-in for
 * the exhaustive `npm run verify`.
 */
import { FORMAT_NAMES, type FormatName } from '../formats.js';
import { Xoshiro128 } from '../random.js';
import { codeOfValue, formatValue, ORACLE_SPECS } from './oracle.js';

/**
 * The float32 patterns every check includes: zeros, infinities, NaNs, extremes.
 * @example SPECIAL_PATTERNS.length // 22
 */
export const SPECIAL_PATTERNS: readonly number[] = [
  0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001,
  0x7fbfffff, 0x7fffffff, 0xffffffff, 0x7fa00000, 0x7f802000, 0x7fe00000, 0x00000001, 0x80000001,
  0x007fffff, 0x00800000, 0x7f7fffff, 0xff7fffff, 0x3f800000, 0xbf800000,
];

function push(out: number[], pattern: number): void {
  out.push(pattern >>> 0);
}

/**
 * The float32 patterns at and around every rounding boundary of `format`:
 * for each pair of neighbouring values (including 0 and the smallest
 * subnormal, and the largest finite value and the first value beyond it), the
 * exact midpoint and the float32 numbers one unit either side of it; each
 * representable value and its float32 neighbours; both signs.
 * @param format - the format
 * @param stride - use every `stride`-th code (1: all of them)
 * @returns float32 bit patterns
 * @example boundaryPatterns('float8e4m3').length // 1524
 */
export function boundaryPatterns(format: FormatName, stride = 1): number[] {
  const spec = ORACLE_SPECS[format];
  const out: number[] = [];
  const scratch = new Float32Array(1);
  const bits = new Uint32Array(scratch.buffer);
  const maxCode = codeOfValue(format, spec.max);
  const around = (value: number) => {
    scratch[0] = value;
    const pattern = bits[0]!;
    if (scratch[0] !== value) return; // not a float32 (midpoints of bfloat16 near 2^128)
    for (const delta of [-1, 0, 1]) {
      push(out, pattern + delta);
      push(out, (pattern + delta) ^ 0x80000000);
    }
  };
  for (let code = 0; code <= maxCode; code += code < 64 || maxCode - code < 64 ? 1 : stride) {
    const value = formatValue(format, code);
    const next =
      code === maxCode
        ? spec.max + (spec.max - formatValue(format, code - 1))
        : formatValue(format, code + 1);
    around(value);
    around((value + next) / 2);
  }
  return out;
}

/**
 * A seeded sample of float32 patterns: specials, the boundaries of every
 * format, patterns uniform over all 2^32, and patterns with exponents in the
 * range where each format's rounding happens.
 * @param uniformCount - how many uniformly drawn patterns
 * @param seed - the seed
 * @returns the patterns (deterministic for a seed)
 * @example samplePatterns(1000).length // 117978
 */
export function samplePatterns(uniformCount: number, seed = 1): Uint32Array {
  const random = new Xoshiro128(seed);
  const out: number[] = [...SPECIAL_PATTERNS];
  for (const format of FORMAT_NAMES) {
    const stride = format === 'bfloat16' || format === 'float16' ? 7 : 1;
    for (const pattern of boundaryPatterns(format, stride)) out.push(pattern);
  }
  for (let i = 0; i < uniformCount; i++) out.push(random.nextUint32());
  // Exponents from below the smallest subnormal to above the largest finite value.
  for (const format of FORMAT_NAMES) {
    const spec = ORACLE_SPECS[format];
    const low = 127 + spec.minExponent - spec.precision - 2;
    const high = Math.min(254, 127 + Math.ceil(Math.log2(spec.max)) + 2);
    for (let i = 0; i < uniformCount / 4; i++) {
      const field = low + (random.nextUint32() % (high - low + 1));
      const pattern = (random.nextUint32() & 0x807fffff) | (Math.max(field, 0) << 23);
      out.push(pattern >>> 0);
    }
  }
  return Uint32Array.from(out);
}
