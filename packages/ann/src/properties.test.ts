/**
 * Property tests (fast-check) over random small data: HNSW recall stays
 * above a floor against the exact index, removed ids never come back,
 * save/load gives identical results, and invalid input is rejected with a
 * named error, for random dimensions, sizes, seeds and metrics.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METRICS } from './distance.js';
import { DimensionError, InvalidVectorError } from './errors.js';
import { FlatIndex } from './flat/flat-index.js';
import { RpForestIndex } from './forest/rp-forest-index.js';
import { HnswIndex } from './hnsw/hnsw-index.js';
import { IvfFlatIndex } from './ivf/ivf-flat-index.js';
import { loadIndex } from './load-index.js';
import { recallAtK } from './recall.js';
import { randomVectors } from './test/helpers.js';
import type { VectorIndex } from './vector-index.js';

const shapes = fc.record({
  d: fc.integer({ min: 2, max: 24 }),
  n: fc.integer({ min: 50, max: 400 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  metric: fc.constantFrom(...METRICS),
});

describe('properties on random data', () => {
  it('HNSW recall@10 against the exact index stays above 0.9 at efSearch 64', () => {
    fc.assert(
      fc.property(shapes, ({ d, n, seed, metric }) => {
        const data = randomVectors(n, d, seed);
        const queries = randomVectors(20, d, seed + 1);
        const hnsw = new HnswIndex({
          dimension: d,
          metric,
          connectivity: 8,
          efConstruction: 64,
          seed,
        });
        hnsw.addBatch(data);
        const flat = new FlatIndex({ dimension: d, metric });
        flat.addBatch(data);
        const k = Math.min(10, n);
        const truth = flat.searchBatch(queries, k);
        const found = hnsw.searchBatch(queries, k, { efSearch: 64 });
        expect(recallAtK(found.ids, k, truth.ids, k, k)).toBeGreaterThanOrEqual(0.9);
      }),
      { numRuns: 12 },
    );
  });

  it('removed ids never come back, from any index, before or after save/load', () => {
    fc.assert(
      fc.property(
        shapes,
        fc.array(fc.nat(399), { maxLength: 150 }),
        ({ d, n, seed, metric }, removals) => {
          const data = randomVectors(n, d, seed);
          const indexes: VectorIndex[] = [
            new FlatIndex({ dimension: d, metric }),
            new HnswIndex({ dimension: d, metric, connectivity: 6, efConstruction: 32 }),
            new RpForestIndex({ dimension: d, metric, trees: 3, leafSize: 8 }),
          ];
          const ivf = new IvfFlatIndex({ dimension: d, metric, cells: 4, nprobe: 4 });
          ivf.train(data);
          indexes.push(ivf);
          const removed = new Set(removals.filter((id) => id < n));
          for (const index of indexes) {
            index.addBatch(data);
            for (const id of removed) expect(index.remove(id)).toBe(true);
            expect(index.size).toBe(n - removed.size);
            for (const copy of [index, loadIndex(index.save())]) {
              const result = copy.searchBatch(data.subarray(0, 5 * d), Math.min(n, 40));
              for (const id of result.ids) expect(removed.has(id)).toBe(false);
            }
          }
        },
      ),
      { numRuns: 10 },
    );
  });

  it('save/load round-trips give identical results', () => {
    fc.assert(
      fc.property(shapes, ({ d, n, seed, metric }) => {
        const data = randomVectors(n, d, seed);
        const queries = randomVectors(10, d, seed + 7);
        const index = new HnswIndex({
          dimension: d,
          metric,
          connectivity: 6,
          efConstruction: 32,
          seed,
        });
        index.addBatch(data);
        index.remove(0);
        const copy = loadIndex(index.save());
        const a = index.searchBatch(queries, 5, { efSearch: 20 });
        const b = copy.searchBatch(queries, 5, { efSearch: 20 } as never);
        expect([...b.ids]).toEqual([...a.ids]);
        expect([...b.distances]).toEqual([...a.distances]);
      }),
      { numRuns: 15 },
    );
  });

  it('rejects NaN, infinities and wrong dimensions with named errors, changing nothing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.nat(15),
        fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e40),
        fc.integer({ min: 1, max: 3 }),
        (d, position, bad, extra) => {
          const index = new HnswIndex({ dimension: d });
          const vector = Array.from({ length: d }, (_, i) => i + 1);
          vector[position % d] = bad;
          expect(() => index.add(1, vector)).toThrow(InvalidVectorError);
          expect(() => index.addBatch([vector.map(() => 1), vector])).toThrow(InvalidVectorError);
          expect(() => index.search(vector, 1)).toThrow(InvalidVectorError);
          expect(() => index.add(1, new Array(d + extra).fill(0))).toThrow(DimensionError);
          if (extra % d !== 0)
            expect(() => index.searchBatch(new Float32Array(d * 2 + extra), 1)).toThrow(
              DimensionError,
            );
          expect(index.size).toBe(0);
        },
      ),
    );
  });
});
