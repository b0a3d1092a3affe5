import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../distance.js';
import { bruteForce, randomVectors } from '../test/helpers.js';
import { FlatIndex } from './flat-index.js';

describe('FlatIndex', () => {
  it('agrees with a naive float64 loop (ids up to ties, distances to 1e-5) for every metric', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(...METRICS),
        fc.integer(),
        (d, n, nq, k, metric, seed) => {
          const base = randomVectors(n, d, seed);
          const queries = randomVectors(nq, d, seed + 1);
          const index = new FlatIndex({ dimension: d, metric, capacity: 1 });
          const ids = Int32Array.from({ length: n }, (_, i) => 1000 + 3 * i);
          index.addBatch(base, ids);
          const result = index.searchBatch(queries, k);
          const truth = bruteForce(metric, base, queries, d, n, ids);
          for (let q = 0; q < nq; q++) {
            const all = truth[q]!;
            const expected = all.slice(0, k);
            for (let i = 0; i < k; i++) {
              if (i >= expected.length) {
                expect(result.ids[q * k + i]).toBe(-1);
                continue;
              }
              expect(result.distances[q * k + i]).toBeCloseTo(expected[i]!.distance, 4);
              const same = all.filter((e) => Math.abs(e.distance - expected[i]!.distance) < 1e-5);
              expect(same.map((e) => e.id)).toContain(result.ids[q * k + i]);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('splits large searches into blocks and stays exact; removal swaps the last vector in', () => {
    const d = 8;
    const n = 5000;
    const base = randomVectors(n, d, 3);
    const queries = randomVectors(30, d, 4);
    const index = new FlatIndex({ dimension: d });
    index.addBatch(base);
    const truth = bruteForce('l2', base, queries, d, 5);
    const result = index.searchBatch(queries, 5);
    for (let q = 0; q < 30; q++)
      expect([...result.ids.subarray(q * 5, q * 5 + 5)]).toEqual(truth[q]!.map((e) => e.id));
    for (let id = 0; id < n; id += 3) index.remove(id);
    const after = bruteForce('l2', base, queries, d, 5, undefined, (id) => id % 3 !== 0);
    const again = index.searchBatch(queries, 5);
    for (let q = 0; q < 30; q++)
      expect([...again.ids.subarray(q * 5, q * 5 + 5)]).toEqual(after[q]!.map((e) => e.id));
    expect(index.getVector(1)).toEqual(base.slice(d, 2 * d));
    expect(index.getVector(0)).toBeUndefined();
  });

  it('returns min(k, size) results and handles a single vector', () => {
    const index = new FlatIndex({ dimension: 2 });
    index.add(5, [1, 1]);
    const { ids, distances } = index.search([0, 0], 3);
    expect([...ids]).toEqual([5]);
    expect([...distances]).toEqual([2]);
  });
});
