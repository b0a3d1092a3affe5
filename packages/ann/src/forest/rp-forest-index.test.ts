import { describe, expect, it } from 'vitest';
import { FlatIndex } from '../flat/flat-index.js';
import { recallAtK } from '../recall.js';
import { clusteredVectors } from '../test/helpers.js';
import { RpForestIndex } from './rp-forest-index.js';

const d = 16;
const base = clusteredVectors(3000, d, 40, 0.5, 51);
const queries = clusteredVectors(40, d, 40, 0.5, 52);

describe('RpForestIndex', () => {
  for (const metric of ['l2', 'cosine'] as const) {
    it(`recall grows with searchK and trees, and is exact when searchK covers the index (${metric})`, () => {
      const flat = new FlatIndex({ dimension: d, metric });
      flat.addBatch(base);
      const truth = flat.searchBatch(queries, 10);
      const forest = new RpForestIndex({ dimension: d, metric, trees: 8, leafSize: 24 });
      forest.addBatch(base);
      const recall = (searchK: number) =>
        recallAtK(forest.searchBatch(queries, 10, { searchK }).ids, 10, truth.ids, 10, 10);
      const small = recall(40);
      const large = recall(800);
      expect(large).toBeGreaterThanOrEqual(small);
      expect(large).toBeGreaterThanOrEqual(0.9);
      expect(recall(8 * 3000)).toBe(1);
      const fewer = new RpForestIndex({ dimension: d, metric, trees: 1, leafSize: 24 });
      fewer.addBatch(base);
      expect(
        recallAtK(fewer.searchBatch(queries, 10, { searchK: 200 }).ids, 10, truth.ids, 10, 10),
      ).toBeLessThanOrEqual(recall(200));
    });
  }

  it('accepts inserts after the build and keeps leaves bounded', () => {
    const forest = new RpForestIndex({ dimension: d, trees: 4, leafSize: 16, seed: 9 });
    forest.addBatch(base.subarray(0, 1000 * d));
    for (let i = 1000; i < 1500; i++) forest.add(i, base.subarray(i * d, (i + 1) * d));
    const trees = (
      forest as unknown as { trees: { leafLengths: Int32Array; leafItems: Int32Array[] } }
    ).trees;
    let total = 0;
    for (let leaf = 0; leaf < trees.leafItems.length; leaf++) {
      expect(trees.leafLengths[leaf]!).toBeLessThanOrEqual(16);
      total += trees.leafLengths[leaf]!;
    }
    expect(total).toBe(4 * 1500);
    for (let i = 1000; i < 1500; i += 50)
      expect(forest.search(base.subarray(i * d, (i + 1) * d), 1, { searchK: 64 }).ids[0]).toBe(i);
  });

  it('keeps identical points in one oversized leaf instead of splitting forever', () => {
    const forest = new RpForestIndex({ dimension: 3, trees: 2, leafSize: 2 });
    forest.addBatch(Array.from({ length: 20 }, () => [1, 2, 3]));
    expect(forest.search([1, 2, 3], 20, { searchK: 40 }).ids.length).toBe(20);
  });
});
