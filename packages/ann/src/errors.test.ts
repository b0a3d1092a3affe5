import { describe, expect, it } from 'vitest';
import {
  AnnError,
  CorruptIndexError,
  DimensionError,
  DuplicateIdError,
  IndexFormatError,
  InvalidArgumentError,
  InvalidVectorError,
  NotTrainedError,
  TruncatedIndexError,
  UnsupportedVersionError,
} from './errors.js';
import { HnswIndex } from './hnsw/hnsw-index.js';
import { IvfPqIndex } from './ivf/ivf-pq-index.js';

describe('errors', () => {
  it('every error is an AnnError with a brand that survives copies of the package', () => {
    const errors = [
      new DimensionError('op', 3, 4),
      new InvalidVectorError('op', 'bad', 0, 1, Number.NaN),
      new InvalidArgumentError('op', 'k', -1, '>= 0'),
      new DuplicateIdError('op', 5),
      new NotTrainedError('op', 'ivf-pq'),
      new TruncatedIndexError('op', 10, 5),
      new CorruptIndexError('op', 'checksum', 'bad'),
      new UnsupportedVersionError('op', 9, 1),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(Error);
      expect(AnnError.isInstance(error)).toBe(true);
      expect(error.name).toBe(error.constructor.name);
      expect(error.message.startsWith('op: ')).toBe(true);
    }
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@x/ann.error')]: true });
    expect(AnnError.isInstance(foreign)).toBe(true);
    expect(AnnError.isInstance(new Error('x'))).toBe(false);
    expect(AnnError.isInstance(null)).toBe(false);
    expect(IndexFormatError.isInstance(new TruncatedIndexError('op', 1, 0))).toBe(true);
  });

  it('messages name the operation and the offending values; fields are structured', () => {
    const index = new HnswIndex({ dimension: 4 });
    let error: unknown;
    try {
      index.add(1, [1, 2, 3]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DimensionError);
    expect((error as DimensionError).message).toBe(
      'HnswIndex.add: dimension mismatch, expected 4, got 3',
    );
    expect((error as DimensionError).expected).toBe(4);
    expect((error as DimensionError).actual).toBe(3);
    try {
      index.add(2, [1, Number.NaN, 0, 0]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidVectorError);
    expect((error as InvalidVectorError).component).toBe(1);
    expect((error as Error).message).toContain('NaN at component 1');
    expect(() => new HnswIndex({ dimension: 4, connectivity: 1 })).toThrow(
      'HnswIndex: connectivity must be an integer in [2, 1024], got 1',
    );
    expect(() => new HnswIndex({ dimension: 0 })).toThrow(InvalidArgumentError);
    expect(() => new HnswIndex({ dimension: 4, metric: 'manhattan' as never })).toThrow(
      /metric must be one of/,
    );
    const pq = new IvfPqIndex({ dimension: 4, cells: 2, subspaces: 2, codebookSize: 4 });
    expect(() => pq.add(0, [1, 2, 3, 4])).toThrow(NotTrainedError);
    expect(() => pq.add(0, [1, 2, 3, 4])).toThrow(
      'IvfPqIndex.add: the ivf-pq index is not trained',
    );
  });
});
