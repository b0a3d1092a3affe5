/**
 * flash (and sparse without a pattern's restriction) against naive and
 * against the float64 loop reference of `src/test/reference.ts`, for
 * values and gradients: causal and not, masks of every broadcast shape,
 * grouped-query heads, N and M not multiples of the tile sizes, one-query
 * decoding, ALiBi, dropout, fully masked rows.
 */
import { type DType, Generator, randn, type Tensor, tensor } from '@x/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attention } from './attention.js';
import { dropoutUniform } from './kernels/dropout-hash.js';
import type { AttentionOptions } from './options.js';
import { maxAbsDiff, referenceAttention } from './test/reference.js';

interface Case {
  B: number;
  H: number;
  Hkv: number;
  N: number;
  M: number;
  d: number;
  dv: number;
}

function inputs(c: Case, dtype: DType, seed: number, requiresGrad = false) {
  const generator = new Generator(seed);
  const q = randn([c.B, c.H, c.N, c.d], { dtype, generator, requiresGrad });
  const k = randn([c.B, c.Hkv, c.M, c.d], { dtype, generator, requiresGrad });
  const v = randn([c.B, c.Hkv, c.M, c.dv], { dtype, generator, requiresGrad });
  return { q, k, v };
}

const array4 = (t: Tensor) => ({
  data: t.toTypedArray(),
  shape: t.shape as unknown as [number, number, number, number],
});

/** A random bool mask of `shape` with about `density` true entries. */
function randomMask(shape: number[], density: number, seed: number): Tensor {
  const generator = new Generator(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const bits = Uint8Array.from({ length: size }, () => (generator.uniform() < density ? 1 : 0));
  return tensor(bits, { shape, dtype: 'bool' });
}

/** The reference's `allowed` rule for a mask broadcast to [B, H, N, M]. */
function maskRule(mask: Tensor, B: number, H: number, N: number, M: number) {
  const values = mask.toTypedArray();
  const shape = [1, 1, 1, 1].slice(mask.rank).concat(mask.shape as number[]);
  const [mb, mh] = shape as [number, number];
  void B;
  void H;
  return (b: number, h: number, i: number, j: number) =>
    values[(((mb === 1 ? 0 : b) * mh + (mh === 1 ? 0 : h)) * N + i) * M + j] === 1;
}

const TOLERANCE = { float32: 1e-5, float64: 1e-12 } as const;

const CASES: [string, Case, AttentionOptions][] = [
  [
    'N, M not multiples of the tiles',
    { B: 2, H: 2, Hkv: 2, N: 37, M: 45, d: 16, dv: 16 },
    { blockSize: 16 },
  ],
  [
    'causal, square',
    { B: 1, H: 2, Hkv: 2, N: 70, M: 70, d: 8, dv: 8 },
    { causal: true, blockSize: { query: 16, key: 32 } },
  ],
  [
    'causal, N < M (chunked prefill)',
    { B: 1, H: 2, Hkv: 1, N: 19, M: 50, d: 8, dv: 12 },
    { causal: true, blockSize: { query: 8, key: 16 } },
  ],
  [
    'causal, N > M (leading rows fully masked)',
    { B: 1, H: 1, Hkv: 1, N: 20, M: 12, d: 8, dv: 8 },
    { causal: true, blockSize: 8 },
  ],
  [
    'grouped-query heads, causal',
    { B: 2, H: 6, Hkv: 2, N: 33, M: 33, d: 8, dv: 8 },
    { causal: true, blockSize: 16 },
  ],
  ['multi-query heads', { B: 1, H: 4, Hkv: 1, N: 17, M: 29, d: 16, dv: 4 }, { blockSize: 8 }],
  [
    'one-query decoding',
    { B: 2, H: 4, Hkv: 2, N: 1, M: 77, d: 16, dv: 16 },
    { causal: true, blockSize: 32 },
  ],
  [
    'ALiBi, causal',
    { B: 1, H: 4, Hkv: 4, N: 40, M: 40, d: 8, dv: 8 },
    { causal: true, alibi: true, blockSize: 16 },
  ],
  ['custom scale', { B: 1, H: 1, Hkv: 1, N: 9, M: 11, d: 4, dv: 4 }, { scale: 0.9, blockSize: 4 }],
];

describe('flash equals naive and the float64 reference', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [name, c, options] of CASES) {
      it(`${name} (${dtype})`, () => {
        const { q, k, v } = inputs(c, dtype, 1);
        const flash = attention(q, k, v, { ...options, implementation: 'flash' });
        const naive = attention(q, k, v, { ...options, implementation: 'naive' });
        const slopes = options.alibi
          ? Array.from({ length: c.H }, (_, h) => 2 ** ((-8 * (h + 1)) / c.H))
          : undefined;
        const expected = referenceAttention(array4(q), array4(k), array4(v), {
          causal: options.causal,
          scale: options.scale,
          alibiSlopes: slopes,
        });
        expect(flash.shape).toEqual([c.B, c.H, c.N, c.dv]);
        expect(maxAbsDiff(flash.toTypedArray(), naive.toTypedArray())).toBeLessThanOrEqual(
          TOLERANCE[dtype],
        );
        expect(maxAbsDiff(flash.toTypedArray(), expected)).toBeLessThanOrEqual(TOLERANCE[dtype]);
      });
    }
  }

  const masks: [string, (c: Case) => number[]][] = [
    ['[N, M]', (c) => [c.N, c.M]],
    ['[B, 1, N, M]', (c) => [c.B, 1, c.N, c.M]],
    ['[H, N, M]', (c) => [c.H, c.N, c.M]],
    ['[B, H, N, M]', (c) => [c.B, c.H, c.N, c.M]],
  ];
  for (const [name, shapeOf] of masks) {
    it(`boolean mask ${name}, causal, grouped heads (float64)`, () => {
      const c = { B: 2, H: 4, Hkv: 2, N: 26, M: 31, d: 8, dv: 8 };
      const { q, k, v } = inputs(c, 'float64', 2);
      const mask = randomMask(shapeOf(c), 0.6, 3);
      const options = { causal: true, mask, blockSize: { query: 8, key: 16 } };
      const flash = attention(q, k, v, { ...options, implementation: 'flash' });
      const naive = attention(q, k, v, { ...options, implementation: 'naive' });
      const expected = referenceAttention(array4(q), array4(k), array4(v), {
        causal: true,
        allowed: maskRule(mask, c.B, c.H, c.N, c.M),
      });
      expect(maxAbsDiff(flash.toTypedArray(), expected)).toBeLessThanOrEqual(1e-12);
      expect(maxAbsDiff(naive.toTypedArray(), expected)).toBeLessThanOrEqual(1e-12);
    });
  }

  it('random shapes, tiles, masks and causality (property, float32 and float64)', () => {
    const shape = fc.record({
      B: fc.integer({ min: 1, max: 2 }),
      Hkv: fc.integer({ min: 1, max: 2 }),
      group: fc.integer({ min: 1, max: 3 }),
      N: fc.integer({ min: 1, max: 40 }),
      M: fc.integer({ min: 1, max: 40 }),
      d: fc.integer({ min: 1, max: 12 }),
      dv: fc.integer({ min: 1, max: 12 }),
      blockQuery: fc.integer({ min: 1, max: 24 }),
      blockKey: fc.integer({ min: 1, max: 24 }),
      causal: fc.boolean(),
      masked: fc.boolean(),
      float64: fc.boolean(),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(
      fc.property(shape, (s) => {
        const c = { B: s.B, H: s.Hkv * s.group, Hkv: s.Hkv, N: s.N, M: s.M, d: s.d, dv: s.dv };
        const dtype = s.float64 ? 'float64' : 'float32';
        const { q, k, v } = inputs(c, dtype, s.seed);
        const mask = s.masked ? randomMask([c.N, c.M], 0.7, s.seed) : null;
        const flash = attention(q, k, v, {
          causal: s.causal,
          mask,
          implementation: 'flash',
          blockSize: { query: s.blockQuery, key: s.blockKey },
        });
        const expected = referenceAttention(array4(q), array4(k), array4(v), {
          causal: s.causal,
          allowed: mask ? maskRule(mask, c.B, c.H, c.N, c.M) : undefined,
        });
        return maxAbsDiff(flash.toTypedArray(), expected) <= TOLERANCE[dtype];
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});

describe('gradients of flash equal naive', () => {
  const gradCases: [string, Case, AttentionOptions][] = [
    ['plain', { B: 1, H: 2, Hkv: 2, N: 23, M: 29, d: 8, dv: 8 }, { blockSize: 8 }],
    [
      'causal, grouped heads',
      { B: 2, H: 4, Hkv: 2, N: 21, M: 21, d: 8, dv: 4 },
      { causal: true, blockSize: { query: 8, key: 4 } },
    ],
    [
      'mask and ALiBi',
      { B: 1, H: 2, Hkv: 1, N: 18, M: 25, d: 4, dv: 8 },
      { mask: randomMask([18, 25], 0.5, 9), alibi: true, blockSize: 8 },
    ],
    [
      'dropout 0.25',
      { B: 1, H: 2, Hkv: 2, N: 17, M: 17, d: 8, dv: 8 },
      { causal: true, dropout: 0.25, seed: 42, blockSize: 8 },
    ],
    [
      'decoding, N = 1',
      { B: 1, H: 2, Hkv: 1, N: 1, M: 30, d: 8, dv: 8 },
      { causal: true, blockSize: 8 },
    ],
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [name, c, options] of gradCases) {
      it(`${name} (${dtype})`, () => {
        const { q, k, v } = inputs(c, dtype, 5, true);
        const seedGrad = randn([c.B, c.H, c.N, c.dv], { dtype, generator: new Generator(6) });
        const grads = (implementation: 'naive' | 'flash') => {
          q.grad = null;
          k.grad = null;
          v.grad = null;
          attention(q, k, v, { ...options, implementation })
            .mul(seedGrad)
            .sum()
            .backward();
          return [q.grad!, k.grad!, v.grad!].map((g) => g.toTypedArray());
        };
        const naive = grads('naive');
        const flash = grads('flash');
        const tolerance = dtype === 'float32' ? 1e-4 : 1e-10;
        for (let i = 0; i < 3; i++)
          expect(maxAbsDiff(flash[i]!, naive[i]!)).toBeLessThanOrEqual(tolerance);
      });
    }
  }
});

describe('dropout', () => {
  const c = { B: 1, H: 2, Hkv: 1, N: 24, M: 24, d: 8, dv: 8 };
  it('flash and naive draw the same mask from a seed, matching the reference', () => {
    const { q, k, v } = inputs(c, 'float64', 11);
    const options = { causal: true, dropout: 0.3, seed: 1234, blockSize: 8 };
    const flash = attention(q, k, v, { ...options, implementation: 'flash' });
    const naive = attention(q, k, v, { ...options, implementation: 'naive' });
    const expected = referenceAttention(array4(q), array4(k), array4(v), {
      causal: true,
      dropout: { p: 0.3, keep: (bh, i, j) => dropoutUniform(1234, bh, i, j) >= 0.3 },
    });
    expect(maxAbsDiff(flash.toTypedArray(), expected)).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(naive.toTypedArray(), expected)).toBeLessThanOrEqual(1e-12);
  });
  it('keeps about 1 - p of the weights, and another seed gives another mask', () => {
    let kept = 0;
    for (let j = 0; j < 10_000; j++) kept += dropoutUniform(99, 3, 7, j) >= 0.3 ? 1 : 0;
    expect(kept / 10_000).toBeCloseTo(0.7, 1);
    const { q, k, v } = inputs(c, 'float64', 12);
    const a = attention(q, k, v, { dropout: 0.5, seed: 1, implementation: 'flash' });
    const b = attention(q, k, v, { dropout: 0.5, seed: 2, implementation: 'flash' });
    expect(maxAbsDiff(a.toTypedArray(), b.toTypedArray())).toBeGreaterThan(0.01);
  });
});

describe('fully masked rows', () => {
  const c = { B: 1, H: 2, Hkv: 2, N: 6, M: 9, d: 4, dv: 4 };
  const bits = new Uint8Array(c.N * c.M).fill(1);
  bits.fill(0, 2 * c.M, 3 * c.M); // row 2 sees nothing
  const mask = tensor(bits, { shape: [c.N, c.M], dtype: 'bool' });
  for (const implementation of ['naive', 'flash'] as const) {
    it(`output zeros and zero gradients, not NaN (${implementation})`, () => {
      const { q, k, v } = inputs(c, 'float64', 13, true);
      const out = attention(q, k, v, { mask, implementation, blockSize: 4 });
      const values = out.toTypedArray();
      expect(values.every(Number.isFinite)).toBe(true);
      for (let h = 0; h < c.H; h++) {
        const row = (h * c.N + 2) * c.dv;
        expect(Array.from(values.subarray(row, row + c.dv))).toEqual([0, 0, 0, 0]);
      }
      out.square().sum().backward();
      const dq = q.grad!.toTypedArray();
      expect(
        [dq, k.grad!.toTypedArray(), v.grad!.toTypedArray()].every((g) => g.every(Number.isFinite)),
      ).toBe(true);
      for (let h = 0; h < c.H; h++) {
        const row = (h * c.N + 2) * c.d;
        expect(Array.from(dq.subarray(row, row + c.d))).toEqual([0, 0, 0, 0]);
      }
    });
  }
  it('a causal query before every key (N > M) gets zeros too', () => {
    const { q, k, v } = inputs({ ...c, N: 12, M: 4 }, 'float32', 14);
    for (const implementation of ['naive', 'flash'] as const) {
      const out = attention(q, k, v, { causal: true, implementation }).toTypedArray();
      expect(Array.from(out.subarray(0, 8 * c.dv)).every((x) => x === 0)).toBe(true);
    }
  });
});

describe('auto', () => {
  it('computes the same function as naive', () => {
    const c = { B: 1, H: 2, Hkv: 2, N: 100, M: 100, d: 8, dv: 8 };
    const { q, k, v } = inputs(c, 'float64', 15);
    const auto = attention(q, k, v, { causal: true });
    const naive = attention(q, k, v, { causal: true, implementation: 'naive' });
    expect(maxAbsDiff(auto.toTypedArray(), naive.toTypedArray())).toBeLessThanOrEqual(1e-12);
  });
});

describe('empty inputs', () => {
  for (const implementation of ['naive', 'flash', 'linear'] as const) {
    it(`N = 0 gives an empty output, M = 0 gives zeros (${implementation})`, () => {
      const none = attention(randn([2, 2, 0, 4]), randn([2, 1, 5, 4]), randn([2, 1, 5, 3]), {
        implementation,
      });
      expect(none.shape).toEqual([2, 2, 0, 3]);
      const noKeys = attention(randn([1, 2, 3, 4]), randn([1, 1, 0, 4]), randn([1, 1, 0, 3]), {
        implementation,
      });
      expect(Array.from(noKeys.toTypedArray())).toEqual(new Array(18).fill(0));
    });
  }
});
