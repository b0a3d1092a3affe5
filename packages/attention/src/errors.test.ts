/**
 * Validation at the API boundary: every error is an AttentionError with
 * structured fields and a message naming the op and the offending values.
 */
import { randn, tensor, zeros } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { alibiBias, alibiSlopes } from './alibi.js';
import { attention } from './attention.js';
import {
  AttentionDTypeError,
  AttentionError,
  AttentionShapeError,
  AttentionValueError,
} from './errors.js';
import { blockSparse, patternMask, slidingWindow, strided } from './sparse-patterns.js';

const q = randn([1, 4, 5, 8]);
const k = randn([1, 2, 6, 8]);
const v = randn([1, 2, 6, 8]);

function caught(fn: () => unknown): AttentionError {
  try {
    fn();
  } catch (error) {
    if (AttentionError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an AttentionError');
}

describe('attention validates its inputs', () => {
  it('shapes', () => {
    const heads = caught(() => attention(randn([1, 3, 5, 8]), k, v));
    expect(heads).toBeInstanceOf(AttentionShapeError);
    expect(heads.message).toBe(
      'attention: k heads (2) must divide q heads (3), q [1,3,5,8], k [1,2,6,8]',
    );
    expect((heads as AttentionShapeError).shapes).toEqual([
      [1, 3, 5, 8],
      [1, 2, 6, 8],
    ]);
    expect(caught(() => attention(q, randn([1, 2, 6, 4]), v)).message).toBe(
      'attention: q and k head sizes differ, q [1,4,5,8], k [1,2,6,4]',
    );
    expect(caught(() => attention(q, k, randn([1, 2, 7, 8]))).message).toMatch(
      /k and v must agree/,
    );
    expect(caught(() => attention(randn([4, 5, 8]), k, v)).message).toBe(
      'attention: q must have rank 4 [B, heads, length, dim], got [4,5,8]',
    );
    expect(caught(() => attention(q, k, v, { mask: tensor([[true, false]]) })).message).toBe(
      'attention: mask [1,2] does not broadcast to [B, H, N, M] = [1,4,5,6]',
    );
  });
  it('dtypes', () => {
    const error = caught(() => attention(q, k.to('float64'), v));
    expect(error).toBeInstanceOf(AttentionDTypeError);
    expect(error.message).toBe(
      'attention: q, k and v must share a dtype, got float32, float64, float32',
    );
    expect(caught(() => attention(q, k, v, { mask: zeros([5, 6]) })).message).toBe(
      'attention: mask must be bool, got float32',
    );
    expect(caught(() => attention(q.to('int32'), k, v))).toBeInstanceOf(AttentionDTypeError);
  });
  it('option ranges', () => {
    const bad: [object, string][] = [
      [{ scale: Number.NaN }, 'attention: scale must be a finite number, got NaN'],
      [{ dropout: 1 }, 'attention: dropout must be in [0, 1), got 1'],
      [{ blockSize: 0 }, 'attention: blockSize.query must be a positive integer, got 0'],
      [{ blockSize: { key: 2.5 } }, 'attention: blockSize.key must be a positive integer, got 2.5'],
      [
        { implementation: 'fast' },
        'attention: implementation must be one of naive, flash, linear, sparse, auto, got fast',
      ],
      [{ alibi: [1, 2] }, 'attention: alibi needs 4 finite slopes (one per query head), got 2'],
      [
        { implementation: 'sparse' },
        "attention: implementation 'sparse' needs a pattern in options.sparse (slidingWindow, strided or blockSparse)",
      ],
      [{ linearForm: 'fast' }, 'attention: linearForm must be scan or chunked, got fast'],
    ];
    for (const [options, message] of bad) {
      const error = caught(() => attention(q, k, v, options));
      expect(error).toBeInstanceOf(AttentionValueError);
      expect(error.message).toBe(message);
    }
    expect((caught(() => attention(q, k, v, { dropout: -1 })) as AttentionValueError).option).toBe(
      'dropout',
    );
  });
  it('NaN and Infinity in the inputs, unless checkFinite is false', () => {
    const values = new Float32Array(48).fill(1);
    values[13] = Number.POSITIVE_INFINITY;
    const bad = tensor(values, { shape: [1, 2, 3, 8] });
    const small = randn([1, 2, 3, 8]);
    expect(caught(() => attention(small, bad, small)).message).toBe(
      'attention: k holds Infinity at flat index 13 (shape [1,2,3,8]); pass finite values or checkFinite: false',
    );
    expect(() => attention(small, bad, small, { checkFinite: false })).not.toThrow();
  });
  it('sparse patterns and ALiBi', () => {
    expect(() => slidingWindow(0)).toThrow(
      'slidingWindow: window must be a positive integer, got 0',
    );
    expect(() => strided(-2)).toThrow(AttentionValueError);
    expect(() => blockSparse([[1, 0], [1]], 4)).toThrow(AttentionShapeError);
    const small = blockSparse([[1]], 4);
    expect(caught(() => attention(q, k, v, { sparse: small })).message).toBe(
      'attention: blockSparse layout is 1 x 1 blocks, 6 positions of block size 4 need 2 x 2',
    );
    expect(() => alibiSlopes(0)).toThrow(AttentionValueError);
  });
});

describe('published values', () => {
  it('ALiBi slopes follow the paper (and its code for non-powers of two)', () => {
    expect(Array.from(alibiSlopes(8))).toEqual([
      1 / 2,
      1 / 4,
      1 / 8,
      1 / 16,
      1 / 32,
      1 / 64,
      1 / 128,
      1 / 256,
    ]);
    expect(Array.from(alibiSlopes(6))).toEqual([0.25, 0.0625, 0.015625, 0.00390625, 0.5, 0.125]);
    expect(alibiBias(Float64Array.of(0.5), 2, 3, 'float64').toArray()).toEqual([
      [
        [-0.5, 0, -0.5],
        [-1, -0.5, 0],
      ],
    ]);
  });
  it('pattern masks', () => {
    expect(patternMask(slidingWindow(2), 3, 3, 1).toArray()).toEqual([
      [
        [true, true, false],
        [true, true, true],
        [false, true, true],
      ],
    ]);
    const stride = patternMask(strided(3), 1, 8, 1).toArray() as boolean[][][];
    expect(stride[0]![0]!.map(Number)).toEqual([0, 1, 0, 0, 1, 1, 1, 1]); // query at position 7: 7 - j in {0, 3, 6} or < 3
  });
});
