import { describe, expect, it } from 'vitest';
import { errorStats } from './error-stats.js';
import { InvalidArgumentError, LengthMismatchError, NonFiniteError } from './errors.js';
import { dequantizeInt8, quantizeInt8 } from './quantize-int8.js';
import { Xoshiro128 } from './random.js';

/** Reference affine quantization in float64, written from PyTorch's formulas. */
function referenceQuantize(
  x: number,
  scale: number,
  zero: number,
  low: number,
  high: number,
): number {
  const v = x / scale;
  const r = Math.abs(v - Math.trunc(v)) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v);
  return Math.min(high, Math.max(low, r + zero));
}

describe('quantizeInt8', () => {
  it('symmetric per-tensor: scale = max|x| / 127, zero point 0, range ±127', () => {
    const q = quantizeInt8(new Float32Array([-2, -1, 0, 0.5, 1.27]));
    expect(q.scales[0]).toBe(Math.fround(2 / 127));
    expect(Array.from(q.zeroPoints)).toEqual([0]);
    expect(Array.from(q.values)).toEqual([-127, -64, 0, 32, 81]);
    expect(q.axis).toBeNull();
    expect(q.shape).toEqual([5]);
  });

  it('asymmetric per-tensor follows the documented example', () => {
    const q = quantizeInt8(new Float32Array([-1, 0, 0.5, 2]), { scheme: 'asymmetric' });
    expect(Array.from(q.values)).toEqual([-128, -43, -1, 127]);
    expect(q.scales[0]).toBe(0.011764706112444401);
    expect(q.zeroPoints[0]).toBe(-43);
    const back = dequantizeInt8(q);
    expect(back[1]).toBe(0); // zero is exact
    expect(Array.from(back)).toEqual([-1, 0, 0.4941176474094391, 2]);
  });

  it('rounds half to even', () => {
    const q = quantizeInt8(new Float32Array([127, 0.5, 1.5, 2.5, -0.5]));
    expect(Array.from(q.values)).toEqual([127, 0, 2, 2, 0]);
  });

  it('per-channel matches a float64 reference, on any axis', () => {
    const random = new Xoshiro128(3);
    const shape = [3, 4, 5];
    const data = new Float32Array(60).map((_, i) => (random.nextFloat() - 0.3) * (1 + (i % 7)));
    for (const scheme of ['symmetric', 'asymmetric'] as const) {
      for (const axis of [0, 1, 2, -1]) {
        const q = quantizeInt8(data, { scheme, shape, axis });
        const a = (axis + 3) % 3;
        expect(q.axis).toBe(a);
        expect(q.scales.length).toBe(shape[a]);
        const strides = [20, 5, 1];
        for (let i = 0; i < 60; i++) {
          const c = Math.floor(i / strides[a]!) % shape[a]!;
          const low = scheme === 'symmetric' ? -127 : -128;
          expect(q.values[i]).toBe(
            referenceQuantize(data[i]!, q.scales[c]!, q.zeroPoints[c]!, low, 127),
          );
        }
        const back = dequantizeInt8(q);
        for (let i = 0; i < 60; i++) {
          const c = Math.floor(i / strides[a]!) % shape[a]!;
          expect(Math.abs(back[i]! - data[i]!)).toBeLessThanOrEqual(q.scales[c]! / 2 + 1e-6);
        }
      }
    }
  });

  it('per-channel error is no worse than per-tensor on channels of different ranges', () => {
    const random = new Xoshiro128(4);
    const data = new Float32Array(64 * 32).map(
      (_, i) => (random.nextFloat() - 0.5) * 2 ** (Math.floor(i / 32) % 8),
    );
    const perTensor = errorStats(data, dequantizeInt8(quantizeInt8(data)));
    const perChannel = errorStats(
      data,
      dequantizeInt8(quantizeInt8(data, { shape: [64, 32], axis: 0 })),
    );
    expect(perChannel.rmse).toBeLessThan(perTensor.rmse / 2);
    expect(perChannel.sqnrDb).toBeGreaterThan(perTensor.sqnrDb);
  });

  it('handles all-zero channels and empty input', () => {
    const q = quantizeInt8(new Float32Array([0, 0, 1, -1]), {
      shape: [2, 2],
      axis: 0,
      scheme: 'asymmetric',
    });
    expect(Array.from(q.scales)).toEqual([1, Math.fround(2 / 255)]);
    expect(Array.from(dequantizeInt8(q))[0]).toBe(0);
    expect(quantizeInt8(new Float32Array(0)).values.length).toBe(0);
  });

  it('validates its arguments', () => {
    expect(() => quantizeInt8(new Float32Array([1, Number.NaN]))).toThrow(NonFiniteError);
    expect(() => quantizeInt8(new Float32Array([1, Number.NaN]))).toThrow(
      'quantizeInt8: element 1 is NaN, expected a finite number',
    );
    expect(() => quantizeInt8(new Float32Array(6), { shape: [2, 2] })).toThrow(LengthMismatchError);
    expect(() => quantizeInt8(new Float32Array(4), { shape: [2, 2], axis: 2 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => quantizeInt8(new Float32Array(4), { scheme: 'log' as never })).toThrow(
      InvalidArgumentError,
    );
    expect(() => quantizeInt8([1, 2] as never)).toThrow(InvalidArgumentError);
    const q = quantizeInt8(new Float32Array(4));
    expect(() => dequantizeInt8(q, new Float32Array(3))).toThrow(LengthMismatchError);
    expect(() => dequantizeInt8({} as never)).toThrow(InvalidArgumentError);
  });
});
