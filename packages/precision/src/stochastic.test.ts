/**
 * Stochastic rounding: exact agreement with the oracle given the same random
 * draws (one `nextUint32()` per element, in order), reproducibility from a
 * seed, and unbiasedness.
 */
import { describe, expect, it } from 'vitest';
import { float32ToFormat, formatToFloat32 } from './bulk.js';
import { float32ToFloat16, toFloat16Bits } from './float16.js';
import { FORMAT_NAMES } from './formats.js';
import { Xoshiro128 } from './random.js';
import { oracleEncodePattern } from './test/oracle.js';
import { samplePatterns } from './test/sample.js';

const patterns = samplePatterns(100_000, 11);
const values = new Float32Array(patterns.buffer);

describe('stochastic rounding', () => {
  for (const format of FORMAT_NAMES) {
    for (const saturate of [false, true]) {
      it(`${format}${saturate ? ' (saturate)' : ''}: matches the oracle draw for draw`, () => {
        const codes = float32ToFormat(format, values, undefined, {
          rounding: 'stochastic',
          seed: 42,
          saturate,
        });
        const replay = new Xoshiro128(42);
        let bad = 0;
        for (let i = 0; i < patterns.length; i++) {
          const draw = replay.nextUint32();
          if (
            codes[i] !==
            oracleEncodePattern(format, patterns[i]!, { rounding: 'stochastic', draw, saturate })
          )
            bad++;
        }
        expect(bad).toBe(0);
      });
    }
  }

  it('is reproducible from a seed and continues a given random source', () => {
    const a = float32ToFloat16(values, undefined, { rounding: 'stochastic', seed: 1 });
    const b = float32ToFloat16(values, undefined, { rounding: 'stochastic', seed: 1 });
    const c = float32ToFloat16(values, undefined, { rounding: 'stochastic', seed: 2 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const random = new Xoshiro128(1);
    expect(float32ToFloat16(values, undefined, { rounding: 'stochastic', random })).toEqual(a);
    expect(float32ToFloat16(values, undefined, { rounding: 'stochastic', random })).not.toEqual(a);
  });

  it('scalar and bulk use the random stream the same way', () => {
    const random = new Xoshiro128(3);
    const subset = values.subarray(0, 5000);
    const scalar = Array.from(subset, (x) => toFloat16Bits(x, { rounding: 'stochastic', random }));
    const nonNaN = (codes: ArrayLike<number>) =>
      Array.from(codes).map((c, i) => (Number.isNaN(subset[i]!) ? -1 : c));
    expect(nonNaN(scalar)).toEqual(
      nonNaN(float32ToFloat16(subset, undefined, { rounding: 'stochastic', seed: 3 })),
    );
  });

  it('is unbiased: the mean of many roundings of x is x', () => {
    const n = 200_000;
    for (const [format, x] of [
      ['float16', 1 + 2 ** -12], // a quarter of the way to the next float16
      ['bfloat16', 1 / 3],
      ['float8e4m3', 0.3],
      ['float8e5m2', -0.0007],
    ] as const) {
      const src = new Float32Array(n).fill(x);
      const rounded = formatToFloat32(
        format,
        float32ToFormat(format, src, undefined, { rounding: 'stochastic', seed: 8 }) as never,
      );
      let sum = 0;
      for (const y of rounded) sum += y;
      const mean = sum / n;
      const x32 = Math.fround(x);
      // The gap between neighbours bounds the standard deviation of one rounding.
      const low = rounded.reduce((m, y) => Math.min(m, y), Number.POSITIVE_INFINITY);
      const high = rounded.reduce((m, y) => Math.max(m, y), Number.NEGATIVE_INFINITY);
      const gap = high - low;
      expect(low <= x32 && x32 <= high).toBe(true);
      expect(Math.abs(mean - x32)).toBeLessThan((5 * gap) / Math.sqrt(n));
      // Nearest-even has a fixed, non-zero error on the same input.
      const nearest = formatToFloat32(
        format,
        float32ToFormat(format, src.subarray(0, 1)) as never,
      )[0]!;
      expect(Math.abs(nearest - x32)).toBeGreaterThan(Math.abs(mean - x32));
    }
  });
});
