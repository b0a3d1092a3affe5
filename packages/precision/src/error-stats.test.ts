import { describe, expect, it } from 'vitest';
import { bfloat16ToFloat32, float32ToBFloat16 } from './bfloat16.js';
import { errorStats, ulpDistance, ulpOf } from './error-stats.js';
import { InvalidArgumentError, LengthMismatchError } from './errors.js';
import { float16ToFloat32, float32ToFloat16 } from './float16.js';
import { Xoshiro128 } from './random.js';
import { formatHistogram, roundingErrorHistogram } from './rounding-histogram.js';

describe('ulpDistance and ulpOf', () => {
  it('counts representable values between two numbers', () => {
    expect(ulpDistance(1, 1)).toBe(0);
    expect(ulpDistance(1, 1 + 2 ** -23)).toBe(1);
    expect(ulpDistance(-0, 0)).toBe(0);
    expect(ulpDistance(-(2 ** -149), 2 ** -149)).toBe(2);
    expect(ulpDistance(3.4028234663852886e38, Number.POSITIVE_INFINITY)).toBe(1);
    expect(ulpDistance(65504, Number.POSITIVE_INFINITY, 'float16')).toBe(1);
    expect(ulpDistance(-0, 2 ** -24, 'float16')).toBe(1);
    expect(ulpDistance(1, 2, 'float16')).toBe(1024);
    expect(ulpDistance(240, 448, 'float8e4m3')).toBe(7);
    expect(ulpDistance(Number.NaN, 1)).toBeNaN();
  });

  it('rejects values the format cannot hold', () => {
    expect(() => ulpDistance(0.1, 1)).toThrow('ulpDistance: a must be a float32 value, got 0.1');
    expect(() => ulpDistance(1, 1.0001, 'float16')).toThrow(InvalidArgumentError);
    expect(() => ulpDistance(Number.POSITIVE_INFINITY, 1, 'float8e4m3')).toThrow(
      InvalidArgumentError,
    );
    expect(() => ulpDistance(1, 1, 'float128' as never)).toThrow(InvalidArgumentError);
  });

  it('gives the spacing in the binade of x', () => {
    expect(ulpOf(1)).toBe(2 ** -23);
    expect(ulpOf(1, 'float16')).toBe(2 ** -10);
    expect(ulpOf(1.999, 'float16')).toBe(2 ** -10);
    expect(ulpOf(2, 'float16')).toBe(2 ** -9);
    expect(ulpOf(0, 'float16')).toBe(2 ** -24);
    expect(ulpOf(1e-7, 'float16')).toBe(2 ** -24);
    expect(ulpOf(300, 'float8e4m3')).toBe(32);
    expect(ulpOf(-1, 'bfloat16')).toBe(2 ** -7);
    expect(() => ulpOf(Number.NaN)).toThrow(InvalidArgumentError);
  });
});

describe('errorStats', () => {
  it('computes the documented statistics', () => {
    const stats = errorStats([1, 2, -4, 0], [1.5, 2, -3, 0]);
    expect(stats.count).toBe(4);
    expect(stats.maxAbsError).toBe(1);
    expect(stats.maxAbsErrorIndex).toBe(2);
    expect(stats.maxRelError).toBe(0.5);
    expect(stats.maxRelErrorIndex).toBe(0);
    expect(stats.meanAbsError).toBe(0.375);
    expect(stats.meanError).toBe(0.375);
    expect(stats.rmse).toBeCloseTo(Math.sqrt(1.25 / 4), 15);
    expect(stats.sqnrDb).toBeCloseTo(10 * Math.log10(21 / 1.25), 12);
    expect(errorStats([1], [1]).sqnrDb).toBe(Number.POSITIVE_INFINITY);
  });

  it('separates non-finite disagreements', () => {
    const stats = errorStats(
      [Number.NaN, Number.POSITIVE_INFINITY, 1, 2],
      [Number.NaN, 65504, Number.NaN, 2],
    );
    expect(stats.count).toBe(1);
    expect(stats.nonFiniteMismatches).toBe(2);
  });

  it('float16 keeps relative error within 2^-11, bfloat16 within 2^-8, in the normal range', () => {
    const random = new Xoshiro128(1);
    const x = new Float32Array(100000).map(
      (_, i) =>
        (i % 2 ? -1 : 1) * (1 + random.nextFloat()) * 2 ** ((random.nextUint32() % 20) - 10),
    );
    expect(errorStats(x, float16ToFloat32(float32ToFloat16(x))).maxRelError).toBeLessThanOrEqual(
      2 ** -11,
    );
    expect(errorStats(x, bfloat16ToFloat32(float32ToBFloat16(x))).maxRelError).toBeLessThanOrEqual(
      2 ** -8,
    );
  });

  it('validates its arguments', () => {
    expect(() => errorStats([1, 2], [1])).toThrow(LengthMismatchError);
    expect(() => errorStats('abc' as never, [1])).toThrow(InvalidArgumentError);
  });
});

describe('roundingErrorHistogram', () => {
  const random = new Xoshiro128(2);
  const x = new Float32Array(200000).map(() => 1 + random.nextFloat() * 7);

  it('nearest-even stays within half an ULP, unbiased', () => {
    const h = roundingErrorHistogram(x, 'float16');
    expect(h.maxAbs).toBeLessThanOrEqual(0.5);
    expect(Math.abs(h.mean)).toBeLessThan(0.01);
    expect(h.meanAbs).toBeCloseTo(0.25, 1);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(h.count);
    expect(h.counts[0]! + h.counts[19]!).toBe(0); // nothing beyond ±0.9 ULP
  });

  it('toward zero is biased by half an ULP; stochastic is unbiased with twice the spread', () => {
    const tz = roundingErrorHistogram(x, 'bfloat16', { rounding: 'toward-zero' });
    expect(tz.mean).toBeCloseTo(-0.5, 1);
    expect(tz.maxAbs).toBeLessThan(1);
    const sr = roundingErrorHistogram(x, 'bfloat16', { rounding: 'stochastic', seed: 3, bins: 8 });
    expect(Math.abs(sr.mean)).toBeLessThan(0.01);
    expect(sr.maxAbs).toBeLessThan(1);
    expect(sr.meanAbs).toBeGreaterThan(0.3);
    expect(sr.counts.length).toBe(8);
    expect(formatHistogram(sr).split('\n')).toHaveLength(9);
  });

  it('skips non-finite inputs and overflow', () => {
    const h = roundingErrorHistogram(new Float32Array([1, Number.NaN, 1e6]), 'float16');
    expect(h.count).toBe(1);
    expect(h.skipped).toBe(2);
    expect(() => roundingErrorHistogram(x, 'float16', { bins: 0 })).toThrow(InvalidArgumentError);
  });
});
