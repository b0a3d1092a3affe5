import { full, manualSeed, ones, rand, randn, tensor } from '@x/tensor';
import { gradcheck } from '@x/tensor/test';
import { describe, expect, it } from 'vitest';
import { SsmShapeError } from '../errors.js';
import { type Array3, selectiveScanReference } from '../test/reference.js';
import { chunkedLinearScan } from './linear-scan.js';
import { selectiveScan, selectiveScanWithState } from './selective-scan.js';
import { setScanSaveLimit } from './selective-scan-kernel.js';
import { selectiveScanParallel } from './selective-scan-parallel.js';

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

function inputs(b: number, d: number, l: number, n: number, dtype: 'float32' | 'float64') {
  const o = { dtype, requiresGrad: dtype === 'float64' };
  return {
    u: randn([b, d, l], o),
    delta: randn([b, d, l], { dtype }).mul(0.5).requiresGrad_(o.requiresGrad),
    A: rand([d, n], { dtype }).add(0.5).neg().requiresGrad_(o.requiresGrad),
    B: randn([b, n, l], o),
    C: randn([b, n, l], o),
    D: randn([d], o),
    z: randn([b, d, l], o),
    deltaBias: randn([d], o),
    h0: randn([b, d, n], o),
  };
}

describe('selectiveScan (sequential, hand-written backward)', () => {
  it('equals the naive float64 selective_scan_ref', () => {
    manualSeed(1);
    const x = inputs(2, 3, 9, 4, 'float64');
    const y = selectiveScan(x.u, x.delta, x.A, x.B, x.C, {
      D: x.D,
      z: x.z,
      deltaBias: x.deltaBias,
      deltaSoftplus: true,
    });
    const ref = selectiveScanReference({
      u: x.u.toArray() as Array3,
      delta: x.delta.toArray() as Array3,
      A: x.A.toArray() as number[][],
      B: x.B.toArray() as Array3,
      C: x.C.toArray() as Array3,
      D: x.D.toArray() as number[],
      z: x.z.toArray() as Array3,
      deltaBias: x.deltaBias.toArray() as number[],
      deltaSoftplus: true,
    });
    expect(maxDiff(y.toTypedArray(), ref.flat(2))).toBeLessThan(1e-12);
  });

  it('a worked example: constant input, A = -1, dt = 0.5', () => {
    const y = selectiveScan(
      ones([1, 1, 3]),
      full([1, 1, 3], 0.5),
      tensor([[-1]]),
      ones([1, 1, 3]),
      ones([1, 1, 3]),
    );
    const a = Math.exp(-0.5);
    const h1 = 0.5;
    const h2 = a * h1 + 0.5;
    const h3 = a * h2 + 0.5;
    expect(maxDiff(y.toTypedArray(), [h1, h2, h3])).toBeLessThan(1e-6);
  });

  it.each([true, false])('gradients pass gradcheck in float64 (states kept: %s)', (keep) => {
    manualSeed(2);
    setScanSaveLimit(keep ? 1 << 23 : 0);
    try {
      const x = inputs(2, 3, 6, 3, 'float64');
      const r = gradcheck(
        (u, delta, A, B, C, D, z, bias, h0) =>
          selectiveScan(u!, delta!, A!, B!, C!, {
            D,
            z,
            deltaBias: bias,
            deltaSoftplus: true,
            initialState: h0,
          }),
        [x.u, x.delta, x.A, x.B, x.C, x.D, x.z, x.deltaBias, x.h0],
      );
      expect(r.failures).toEqual([]);
    } finally {
      setScanSaveLimit(1 << 23);
    }
  });

  it('time-invariant B, C [d, n]: gradcheck, and equal to the parallel scan', () => {
    manualSeed(3);
    const x = inputs(2, 3, 7, 4, 'float64');
    const B = randn([3, 4], { dtype: 'float64', requiresGrad: true });
    const C = randn([3, 4], { dtype: 'float64', requiresGrad: true });
    const r = gradcheck(
      (u, delta, A, b, c) => selectiveScan(u!, delta!, A!, b!, c!),
      [x.u, x.delta, x.A, B, C],
    );
    expect(r.failures).toEqual([]);
    const seq = selectiveScan(x.u, x.delta, x.A, B, C, { initialState: x.h0 }).toTypedArray();
    const par = selectiveScanParallel(x.u, x.delta, x.A, B, C, {
      initialState: x.h0,
      chunkSize: 3,
    }).toTypedArray();
    expect(maxDiff(seq, par)).toBeLessThan(1e-12);
  });

  it('returns the last state, and continuing from it equals one long scan', () => {
    manualSeed(4);
    const x = inputs(1, 2, 10, 3, 'float32');
    const whole = selectiveScan(x.u, x.delta, x.A, x.B, x.C).toTypedArray();
    const first = selectiveScanWithState(
      x.u.narrow(2, 0, 6),
      x.delta.narrow(2, 0, 6),
      x.A,
      x.B.narrow(2, 0, 6),
      x.C.narrow(2, 0, 6),
    );
    const second = selectiveScan(
      x.u.narrow(2, 6, 4),
      x.delta.narrow(2, 6, 4),
      x.A,
      x.B.narrow(2, 6, 4),
      x.C.narrow(2, 6, 4),
      {
        initialState: first.lastState,
      },
    );
    const a = first.y.toTypedArray();
    const b = second.toTypedArray();
    for (let channel = 0; channel < 2; channel++) {
      const joined = [
        ...a.subarray(channel * 6, channel * 6 + 6),
        ...b.subarray(channel * 4, channel * 4 + 4),
      ];
      expect(maxDiff(joined, whole.subarray(channel * 10, channel * 10 + 10))).toBeLessThan(1e-5);
    }
  });

  it('names the offending shapes', () => {
    const u = randn([1, 2, 5]);
    expect(() =>
      selectiveScan(u, randn([1, 2, 4]), randn([2, 3]), randn([1, 3, 5]), randn([1, 3, 5])),
    ).toThrow(SsmShapeError);
    expect(() =>
      selectiveScan(u, randn([1, 2, 5]), randn([2, 3]), randn([1, 3, 5]), randn([1, 4, 5])),
    ).toThrow(
      /B and C must both be \[b, n, l\] or \[d, n\] \(here \[1, 3, 5\]\); got u \[1, 2, 5\]/,
    );
    expect(() =>
      selectiveScan(u.to('int32'), u, randn([2, 3]), randn([1, 3, 5]), randn([1, 3, 5])),
    ).toThrow(/u must be a float32 or float64 tensor, got int32/);
  });
});

describe('selectiveScanParallel (chunked associative scan)', () => {
  it.each([1, 4, 16, 64])(
    'equals the sequential scan within 1e-5 in float32 (chunk %i, length 50)',
    (chunkSize) => {
      manualSeed(5);
      const x = inputs(2, 8, 50, 16, 'float32');
      const options = { D: x.D, z: x.z, deltaBias: x.deltaBias, deltaSoftplus: true };
      const seq = selectiveScan(x.u, x.delta, x.A, x.B, x.C, options).toTypedArray();
      const par = selectiveScanParallel(x.u, x.delta, x.A, x.B, x.C, {
        ...options,
        chunkSize,
      }).toTypedArray();
      expect(maxDiff(seq, par)).toBeLessThan(1e-5);
    },
  );

  it('gradients pass gradcheck in float64 (autograd through the scan rounds)', () => {
    manualSeed(6);
    const x = inputs(1, 2, 7, 3, 'float64');
    const r = gradcheck(
      (u, delta, A, B, C, D, z, bias, h0) =>
        selectiveScanParallel(u!, delta!, A!, B!, C!, {
          D,
          z,
          deltaBias: bias,
          deltaSoftplus: true,
          initialState: h0,
          chunkSize: 3,
        }),
      [
        x.u,
        x.delta,
        x.A,
        x.B,
        x.C,
        x.D,
        x.z,
        x.deltaBias,
        randn([1, 2, 3], { dtype: 'float64', requiresGrad: true }),
      ],
    );
    expect(r.failures).toEqual([]);
  });
});

describe('chunkedLinearScan', () => {
  it('matches the sequential recurrence, including a partial last chunk and an initial state', () => {
    manualSeed(7);
    const a = rand([3, 11, 2], { dtype: 'float64' });
    const x = randn([3, 11, 2], { dtype: 'float64' });
    const h0 = randn([3, 2], { dtype: 'float64' });
    const h = chunkedLinearScan(a, x, { chunkSize: 4, initialState: h0 }).toArray() as number[][][];
    const av = a.toArray() as number[][][];
    const xv = x.toArray() as number[][][];
    const hv = h0.toArray() as number[][];
    for (let b = 0; b < 3; b++)
      for (let k = 0; k < 2; k++) {
        let state = hv[b]![k]!;
        for (let t = 0; t < 11; t++) {
          state = av[b]![t]![k]! * state + xv[b]![t]![k]!;
          expect(h[b]![t]![k]).toBeCloseTo(state, 12);
        }
      }
  });

  it('rejects mismatched shapes', () => {
    expect(() => chunkedLinearScan(randn([4, 2]), randn([4, 3]))).toThrow(
      /a and x must have one shape/,
    );
    expect(() => chunkedLinearScan(randn([4, 2]), randn([4, 2]), { chunkSize: 0 })).toThrow(
      /chunkSize/,
    );
  });
});
