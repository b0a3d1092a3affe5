/**
 * Every implementation's gradients against central finite differences in
 * float64 (@x/tensor/test's gradcheck): the hand-written backward rules of
 * flash / sparse and of the linear-attention scan, and the compositions
 * (naive, chunked linear, RoPE, the GAU / FLASH modules' attention paths).
 */
import { Generator, randn, type Tensor, tensor } from '@x/tensor';
import { gradcheck } from '@x/tensor/test';
import { describe, expect, it } from 'vitest';
import { attention } from './attention.js';
import type { AttentionOptions } from './options.js';
import { rope } from './rope.js';
import { blockSparse, slidingWindow } from './sparse-patterns.js';

function leaves(shapes: number[][], seed: number): Tensor[] {
  const generator = new Generator(seed);
  return shapes.map((shape) => randn(shape, { dtype: 'float64', generator, requiresGrad: true }));
}

const shapes = [
  [1, 2, 7, 4],
  [1, 1, 9, 4],
  [1, 1, 9, 3],
];

const cases: [string, AttentionOptions][] = [
  ['flash', { implementation: 'flash', blockSize: 4 }],
  [
    'flash, causal, grouped heads',
    { implementation: 'flash', causal: true, blockSize: { query: 2, key: 4 } },
  ],
  [
    'flash, ALiBi + mask',
    {
      implementation: 'flash',
      alibi: true,
      blockSize: 4,
      mask: tensor(
        Uint8Array.from({ length: 63 }, (_, i) => (i % 5 === 0 ? 0 : 1)),
        { shape: [7, 9], dtype: 'bool' },
      ),
    },
  ],
  ['flash, dropout', { implementation: 'flash', dropout: 0.2, seed: 3, blockSize: 4 }],
  [
    'sparse, sliding window',
    { implementation: 'sparse', causal: true, sparse: slidingWindow(3), blockSize: 2 },
  ],
  [
    'sparse, block layout',
    {
      implementation: 'sparse',
      sparse: blockSparse(
        [
          [1, 0, 0],
          [1, 1, 0],
          [0, 1, 1],
        ],
        4,
      ),
    },
  ],
  ['naive, causal', { implementation: 'naive', causal: true }],
  ['linear, non-causal', { implementation: 'linear' }],
  ['linear, causal scan', { implementation: 'linear', causal: true }],
  ['linear, causal scan, relu', { implementation: 'linear', causal: true, featureMap: 'relu' }],
];

describe('gradcheck (float64 central differences)', () => {
  for (const [name, options] of cases) {
    it(name, () => {
      const result = gradcheck((q, k, v) => attention(q!, k!, v!, options), leaves(shapes, 1));
      expect(result.failures).toEqual([]);
      expect(result.passed).toBe(true);
    });
  }
  it('linear, causal chunked (self-attention)', () => {
    const inputs = leaves(
      [
        [1, 2, 9, 4],
        [1, 1, 9, 4],
        [1, 1, 9, 3],
      ],
      2,
    );
    const result = gradcheck(
      (q, k, v) =>
        attention(q!, k!, v!, {
          implementation: 'linear',
          causal: true,
          linearForm: 'chunked',
          chunkSize: 4,
        }),
      inputs,
    );
    expect(result.passed).toBe(true);
  });
  it('rope (both styles)', () => {
    for (const style of ['half', 'interleaved'] as const) {
      const result = gradcheck(
        (x) => rope(x!, [3, 1, 4, 1, 5], { style, rotaryDim: 4 }),
        leaves([[1, 2, 5, 6]], 3),
      );
      expect(result.passed).toBe(true);
    }
  });
});
