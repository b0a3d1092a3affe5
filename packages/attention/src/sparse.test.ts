/**
 * Sparse attention: each pattern equals naive attention with the
 * equivalent dense mask, values and gradients; the tile plans visit only
 * the tiles a pattern touches (the cost is proportional to the kept blocks).
 */
import { Generator, randn } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { attention } from './attention.js';
import { buildTilePlan } from './kernels/tile-plan.js';
import { problemOf } from './problem-of.js';
import {
  blockSparse,
  patternMask,
  type SparsePattern,
  slidingWindow,
  strided,
} from './sparse-patterns.js';
import { maxAbsDiff } from './test/reference.js';
import { resolveCall } from './validate.js';

function randomLayout(heads: number, blocks: number, seed: number): number[][][] {
  const generator = new Generator(seed);
  return Array.from({ length: heads }, () =>
    Array.from({ length: blocks }, (_, r) =>
      Array.from({ length: blocks }, (_, c) => (c === r || generator.uniform() < 0.3 ? 1 : 0)),
    ),
  );
}

const patterns: [string, SparsePattern, number][] = [
  ['sliding window 5', slidingWindow(5), 8],
  ['sliding window 1 (diagonal only)', slidingWindow(1), 4],
  ['strided 6', strided(6), 8],
  ['block layout shared by heads', blockSparse(randomLayout(1, 6, 1)[0]!, 8), 8],
  ['block layout per head', blockSparse(randomLayout(4, 6, 2), 8), 8],
];

describe('sparse equals naive with the dense mask', () => {
  for (const [name, pattern, block] of patterns) {
    for (const causal of [false, true]) {
      it(`${name}${causal ? ', causal' : ''}`, () => {
        const generator = new Generator(3);
        const options = { dtype: 'float64' as const, generator, requiresGrad: true };
        const q = randn([2, 4, 41, 8], options);
        const k = randn([2, 2, 45, 8], options);
        const v = randn([2, 2, 45, 8], options);
        const mask = patternMask(pattern, 41, 45, 4);
        const g = randn([2, 4, 41, 8], { dtype: 'float64', generator });
        const run = (sparse: boolean) => {
          q.grad = null;
          k.grad = null;
          v.grad = null;
          const out = sparse
            ? attention(q, k, v, {
                causal,
                sparse: pattern,
                implementation: 'sparse',
                blockSize: block,
              })
            : attention(q, k, v, { causal, mask, implementation: 'naive' });
          out.mul(g).sum().backward();
          return [out, q.grad!, k.grad!, v.grad!].map((t) => t.toTypedArray());
        };
        const sparse = run(true);
        const dense = run(false);
        for (let i = 0; i < 4; i++)
          expect(maxAbsDiff(sparse[i]!, dense[i]!)).toBeLessThanOrEqual(1e-12);
      });
    }
  }
  it('naive with options.sparse applies the pattern as a mask', () => {
    const generator = new Generator(4);
    const q = randn([1, 1, 30, 4], { generator });
    const k = randn([1, 1, 30, 4], { generator });
    const v = randn([1, 1, 30, 4], { generator });
    const a = attention(q, k, v, {
      causal: true,
      sparse: slidingWindow(4),
      implementation: 'naive',
    });
    const b = attention(q, k, v, { causal: true, sparse: slidingWindow(4) }); // auto: sparse
    expect(maxAbsDiff(a.toTypedArray(), b.toTypedArray())).toBeLessThanOrEqual(1e-6);
  });
});

function tileCount(N: number, pattern: SparsePattern | null, block: number, causal = true): number {
  const q = randn([1, 1, N, 2]);
  const call = resolveCall(q, q, q, {
    causal,
    sparse: pattern,
    blockSize: block,
    implementation: pattern ? 'sparse' : 'flash',
    checkFinite: false,
  });
  return buildTilePlan(problemOf(call, null), 0, 0).block.length;
}

describe('cost proportional to the kept blocks', () => {
  it('a causal sliding window visits O(N) tiles, dense causal O(N^2)', () => {
    const window = slidingWindow(256);
    const tiles = [1024, 2048, 4096].map((N) => tileCount(N, window, 64));
    const dense = [1024, 2048, 4096].map((N) => tileCount(N, null, 64));
    // each 64-row block sees the 256 keys before it: 5 key blocks (4 for the first ones)
    expect(tiles).toEqual([16 * 5 - 4 - 3 - 2 - 1, 32 * 5 - 10, 64 * 5 - 10]);
    expect(dense).toEqual([(16 * 17) / 2, (32 * 33) / 2, (64 * 65) / 2]);
  });
  it('a block layout visits exactly its true blocks', () => {
    const layout = randomLayout(1, 16, 5)[0]!;
    const kept = layout.flat().reduce((a, b) => a + b, 0);
    expect(tileCount(16 * 32, blockSparse(layout, 32), 32, false)).toBe(kept);
  });
  it('tiles above the causal diagonal are skipped, not masked', () => {
    expect(tileCount(100, null, 10)).toBe(55);
    expect(tileCount(100, null, 10, false)).toBe(100);
  });
});
