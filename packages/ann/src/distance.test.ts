import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  l2Generic,
  l2Unrolled8,
  METRICS,
  negDotGeneric,
  negDotUnrolled8,
  selectKernel,
  toReportedDistance,
} from './distance.js';
import { l2Four, negDotFour, selectKernel4 } from './distance-four.js';
import { naiveDistance } from './test/helpers.js';

const floats = (length: number) =>
  fc.float32Array({
    minLength: length,
    maxLength: length,
    noNaN: true,
    noDefaultInfinity: true,
    min: -1e3,
    max: 1e3,
  });

function naiveL2(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += (a[ao + i]! - b[bo + i]!) ** 2;
  return s;
}

function naiveDot(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += a[ao + i]! * b[bo + i]!;
  return s;
}

describe('distance kernels', () => {
  it('agree with a naive float64 loop for every dimension and offset', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 70 })
          .chain((d) =>
            fc.tuple(fc.constant(d), floats(d + 3), floats(d + 5), fc.nat(3), fc.nat(5)),
          ),
        ([d, a, b, ao, bo]) => {
          const l2 = naiveL2(a, ao, b, bo, d);
          const dot = naiveDot(a, ao, b, bo, d);
          const tolerance = 1e-9 * (1 + Math.abs(l2)) + 1e-9 * (1 + Math.abs(dot));
          expect(
            Math.abs(l2Generic(a, ao, b, bo, d, Number.POSITIVE_INFINITY) - l2),
          ).toBeLessThanOrEqual(tolerance * 10);
          expect(Math.abs(-negDotGeneric(a, ao, b, bo, d, 0) - dot)).toBeLessThanOrEqual(
            1e-9 * naiveDot(a.map(Math.abs), ao, b.map(Math.abs), bo, d) + 1e-12,
          );
          if (d % 8 === 0) {
            expect(l2Unrolled8(a, ao, b, bo, d, Number.POSITIVE_INFINITY)).toBeCloseTo(
              l2Generic(a, ao, b, bo, d, Number.POSITIVE_INFINITY),
              6,
            );
            expect(negDotUnrolled8(a, ao, b, bo, d, 0)).toBeCloseTo(
              negDotGeneric(a, ao, b, bo, d, 0),
              6,
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('early abandoning never changes a comparison against the bound', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 140 })
          .chain((d) =>
            fc.tuple(
              fc.constant(d),
              floats(d),
              floats(d),
              fc.double({ min: 0, max: 1e7, noNaN: true }),
            ),
          ),
        ([d, a, b, bound]) => {
          const exact = naiveL2(a, 0, b, 0, d);
          for (const kernel of d % 8 === 0 ? [l2Generic, l2Unrolled8] : [l2Generic]) {
            const partial = kernel(a, 0, b, 0, d, bound);
            expect(partial <= bound).toBe(exact <= bound * (1 + 1e-12));
            expect(partial).toBeLessThanOrEqual(exact * (1 + 1e-12) + 1e-9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('four-row kernels equal four single-row calls', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 40 })
          .chain((d) => fc.tuple(fc.constant(d), floats(d), floats(4 * d))),
        ([d, q, rows]) => {
          const out = new Float64Array(6);
          l2Four(q, 0, rows, 0, d, 2 * d, 3 * d, d, out, 1);
          for (let r = 0; r < 4; r++)
            expect(out[1 + r]).toBeCloseTo(naiveL2(q, 0, rows, r * d, d), 6);
          negDotFour(q, 0, rows, 3 * d, 2 * d, d, 0, d, out, 2);
          for (let r = 0; r < 4; r++)
            expect(out[2 + r]).toBeCloseTo(-naiveDot(q, 0, rows, (3 - r) * d, d), 6);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('selectKernel picks the unrolled kernel for multiples of 8 and reports distances per metric', () => {
    expect(selectKernel('l2', 16)).toBe(l2Unrolled8);
    expect(selectKernel('cosine', 12)).toBe(l2Generic);
    expect(selectKernel('ip', 24)).toBe(negDotUnrolled8);
    expect(selectKernel4('ip')).toBe(negDotFour);
    const a = new Float32Array([0.6, 0.8]);
    const b = new Float32Array([1, 0]);
    for (const metric of METRICS) {
      const internal = selectKernel(metric, 2)(a, 0, b, 0, 2, Number.POSITIVE_INFINITY);
      expect(toReportedDistance(metric, internal)).toBeCloseTo(naiveDistance(metric, a, b), 6);
    }
  });
});
