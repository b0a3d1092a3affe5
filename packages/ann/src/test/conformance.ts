/**
 * The `VectorIndex` conformance suite (vitest), run by every index kind and
 * available to third-party indexes through `@x/ann/vitest`:
 *
 *   import { runIndexConformance } from '@x/ann/vitest';
 *   runIndexConformance({ name: 'my-index', create: ..., load: ... });
 *
 * It checks the contract of the interface against a naive float64 brute
 * force: validation errors at every entry point, empty-index behaviour,
 * recall and distances for each metric, removals, filters, batch/single
 * agreement, and save/load round trips, truncation and corruption.
 */
import { describe, expect, it } from 'vitest';
import { METRICS, type Metric } from '../distance.js';
import {
  CorruptIndexError,
  DimensionError,
  DuplicateIdError,
  IndexFormatError,
  InvalidArgumentError,
  InvalidVectorError,
  TruncatedIndexError,
  UnsupportedVersionError,
} from '../errors.js';
import type { SearchOptions, VectorIndex } from '../vector-index.js';
import { bruteForce, clusteredVectors, naiveDistance, randomVectors, recallOf } from './helpers.js';

/** What the suite needs to know about an index kind. */
export interface ConformanceSubject {
  /** Name in the test titles. */
  name: string;
  /** A new empty index ready for `add` (trained on `training` when it needs training). */
  create(options: { dimension: number; metric: Metric; training: Float32Array }): VectorIndex;
  /** Loads bytes written by `save()`. */
  load(bytes: Uint8Array): VectorIndex;
  /** Search options for the recall checks (e.g. a large `efSearch`, all cells). */
  searchOptions?: SearchOptions & { [option: string]: unknown };
  /** Least recall@10 against brute force on clustered data with `searchOptions`. @default 0.9 */
  recallFloor?: number;
}

const DIMENSION = 16;
const COUNT = 600;

function rows(data: Float32Array, d: number): Float32Array[] {
  return Array.from({ length: data.length / d }, (_, i) => data.subarray(i * d, (i + 1) * d));
}

/**
 * Registers the conformance tests of one index kind.
 * @param subject - how to create and load the index, and its recall floor
 */
export function runIndexConformance(subject: ConformanceSubject): void {
  const floor = subject.recallFloor ?? 0.9;
  const options = subject.searchOptions ?? {};
  const make = (metric: Metric = 'l2', seed = 1) => {
    const data = clusteredVectors(COUNT, DIMENSION, 12, 0.35, seed);
    const index = subject.create({ dimension: DIMENSION, metric, training: data });
    return { index, data };
  };

  describe(`${subject.name} conformance`, () => {
    it('an empty index returns empty results', () => {
      const { index } = make();
      expect(index.size).toBe(0);
      const single = index.search(new Float32Array(DIMENSION), 5, options);
      expect(single.ids.length).toBe(0);
      expect(single.distances.length).toBe(0);
      const batch = index.searchBatch(randomVectors(3, DIMENSION, 5), 4, options);
      expect(batch.count).toBe(3);
      expect([...batch.ids]).toEqual(new Array(12).fill(-1));
      expect([...batch.distances]).toEqual(new Array(12).fill(Number.POSITIVE_INFINITY));
      expect(index.remove(3)).toBe(false);
    });

    it('rejects wrong dimensions, non-finite values, bad ids and bad k with named errors', () => {
      const { index } = make();
      const good = new Float32Array(DIMENSION).fill(0.5);
      expect(() => index.add(0, new Float32Array(DIMENSION - 1))).toThrow(DimensionError);
      expect(() => index.addBatch(new Float32Array(DIMENSION * 2 + 1))).toThrow(DimensionError);
      expect(() => index.addBatch([good, new Float32Array(3)])).toThrow(DimensionError);
      const withNaN = good.slice();
      withNaN[3] = Number.NaN;
      expect(() => index.add(0, withNaN)).toThrow(InvalidVectorError);
      const withInf = Array.from(good);
      withInf[7] = Number.POSITIVE_INFINITY;
      expect(() => index.addBatch([good, withInf])).toThrow(InvalidVectorError);
      expect(() =>
        index.add(
          1,
          Array.from(good, () => 1e39),
        ),
      ).toThrow(InvalidVectorError);
      for (const id of [-1, 1.5, 2 ** 31, Number.NaN])
        expect(() => index.add(id, good)).toThrow(InvalidArgumentError);
      expect(index.size).toBe(0);
      index.add(7, good);
      expect(() => index.add(7, good)).toThrow(DuplicateIdError);
      expect(() => index.addBatch([good, good], [8, 8])).toThrow(InvalidArgumentError);
      expect(() => index.search(new Float32Array(DIMENSION + 1), 1)).toThrow(DimensionError);
      expect(() => index.search(withNaN, 1)).toThrow(InvalidVectorError);
      expect(() => index.searchBatch(new Float32Array(DIMENSION + 3), 1)).toThrow(DimensionError);
      for (const k of [-1, 0.5, Number.NaN])
        expect(() => index.search(good, k)).toThrow(InvalidArgumentError);
      expect(index.search(good, 0, options).ids.length).toBe(0);
      expect(index.size).toBe(1);
    });

    for (const metric of METRICS) {
      it(`finds the neighbours brute force finds (${metric}), with exact distances`, () => {
        const { index, data } = make(metric, 2);
        index.addBatch(data);
        expect(index.size).toBe(COUNT);
        const queries = clusteredVectors(20, DIMENSION, 12, 0.35, 2).map(
          (v, i) => v + 0.05 * Math.sin(i),
        );
        const truth = bruteForce(metric, data, queries, DIMENSION, 10);
        const found = rows(queries, DIMENSION).map((q) => index.search(q, 10, options));
        expect(
          recallOf(
            found.map((r) => r.ids),
            truth,
          ),
        ).toBeGreaterThanOrEqual(floor);
        for (let q = 0; q < found.length; q++) {
          const { ids, distances } = found[q]!;
          for (let i = 0; i < ids.length; i++) {
            const expected = naiveDistance(
              metric,
              queries.subarray(q * DIMENSION, (q + 1) * DIMENSION),
              data.subarray(ids[i]! * DIMENSION, (ids[i]! + 1) * DIMENSION),
            );
            expect(distances[i]).toBeCloseTo(expected, 3);
            if (i > 0) expect(distances[i]!).toBeGreaterThanOrEqual(distances[i - 1]!);
          }
        }
      });
    }

    it('rejects a zero vector under the cosine metric', () => {
      const { index } = make('cosine');
      expect(() => index.add(0, new Float32Array(DIMENSION))).toThrow(InvalidVectorError);
      expect(() => index.search(new Float32Array(DIMENSION), 1)).toThrow(InvalidVectorError);
    });

    it('never returns removed ids, and accepts them again after re-adding', () => {
      const { index, data } = make('l2', 3);
      index.addBatch(data);
      const removed = new Set<number>();
      for (let id = 0; id < COUNT; id += 2) {
        expect(index.remove(id)).toBe(true);
        removed.add(id);
      }
      expect(index.remove(0)).toBe(false);
      expect(index.size).toBe(COUNT / 2);
      const queries = rows(data, DIMENSION).slice(0, 30);
      for (const q of queries) {
        const { ids } = index.search(q, 25, options);
        for (const id of ids) expect(removed.has(id)).toBe(false);
      }
      index.add(0, data.subarray(0, DIMENSION));
      expect(index.has(0)).toBe(true);
      expect(index.search(data.subarray(0, DIMENSION), 1, options).ids[0]).toBe(0);
    });

    it('applies a filter (predicate or id set): every result passes it', () => {
      const { index, data } = make('l2', 4);
      index.addBatch(data);
      const queries = randomVectors(10, DIMENSION, 9);
      const allowed = (id: number) => id % 3 === 0;
      const set = new Set(Array.from({ length: COUNT }, (_, i) => i).filter(allowed));
      const truth = bruteForce('l2', data, queries, DIMENSION, 10, undefined, allowed);
      for (const filter of [allowed, set]) {
        const found = rows(queries, DIMENSION).map(
          (q) => index.search(q, 10, { ...options, filter }).ids,
        );
        for (const ids of found) for (const id of ids) expect(allowed(id)).toBe(true);
        expect(recallOf(found, truth)).toBeGreaterThanOrEqual(floor - 0.1);
      }
    });

    it('searchBatch agrees with search query by query', () => {
      const { index, data } = make('ip', 5);
      index.addBatch(data);
      const queries = randomVectors(8, DIMENSION, 11);
      const batch = index.searchBatch(queries, 7, options);
      rows(queries, DIMENSION).forEach((q, row) => {
        const single = index.search(q, 7, options);
        expect([...batch.ids.subarray(row * 7, row * 7 + single.ids.length)]).toEqual([
          ...single.ids,
        ]);
      });
    });

    it('save/load round-trips to identical results, also after further inserts', () => {
      const { index, data } = make('cosine', 6);
      index.addBatch(data.subarray(0, (COUNT - 50) * DIMENSION));
      index.remove(5);
      const copy = subject.load(index.save());
      expect(copy.kind).toBe(index.kind);
      expect(copy.size).toBe(index.size);
      const queries = randomVectors(10, DIMENSION, 13);
      const before = index.searchBatch(queries, 10, options);
      const after = copy.searchBatch(queries, 10, options);
      expect([...after.ids]).toEqual([...before.ids]);
      expect([...after.distances]).toEqual([...before.distances]);
      const rest = data.subarray((COUNT - 50) * DIMENSION);
      expect([...copy.addBatch(rest)]).toEqual([...index.addBatch(rest)]);
      expect([...copy.searchBatch(queries, 10, options).ids]).toEqual([
        ...index.searchBatch(queries, 10, options).ids,
      ]);
      expect([...copy.save()]).toEqual([...index.save()]);
    });

    it('rejects truncated, corrupted and future-version data with named errors', () => {
      const { index, data } = make('l2', 7);
      index.addBatch(data.subarray(0, 100 * DIMENSION));
      const bytes = index.save();
      for (const length of [0, 3, 20, 27, bytes.length >> 1, bytes.length - 1]) {
        const error = catchError(() => subject.load(bytes.slice(0, length)));
        expect(IndexFormatError.isInstance(error), `length ${length}`).toBe(true);
        expect(error).toBeInstanceOf(length < 4 ? IndexFormatError : TruncatedIndexError);
      }
      for (const position of [24, 40, bytes.length >> 1, bytes.length - 5, bytes.length - 1]) {
        const damaged = bytes.slice();
        damaged[position]! ^= 0x10;
        const error = catchError(() => subject.load(damaged));
        expect(error, `byte ${position}`).toBeInstanceOf(CorruptIndexError);
        expect((error as CorruptIndexError).reason).toBe('checksum');
      }
      const magic = bytes.slice();
      magic[0] = 0;
      expect((catchError(() => subject.load(magic)) as CorruptIndexError).reason).toBe('magic');
      const future = bytes.slice();
      future[4] = 99;
      expect(catchError(() => subject.load(future))).toBeInstanceOf(UnsupportedVersionError);
      const extended = new Uint8Array(bytes.length + 3);
      extended.set(bytes);
      expect(catchError(() => subject.load(extended))).toBeInstanceOf(CorruptIndexError);
    });
  });
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
