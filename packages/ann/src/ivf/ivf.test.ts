import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NotTrainedError } from '../errors.js';
import { FlatIndex } from '../flat/flat-index.js';
import { recallAtK } from '../recall.js';
import { clusteredVectors, randomVectors } from '../test/helpers.js';
import { IvfFlatIndex } from './ivf-flat-index.js';
import { IvfPqIndex } from './ivf-pq-index.js';
import { kmeans } from './kmeans.js';
import { ProductQuantizer } from './product-quantizer.js';

const d = 16;
const base = clusteredVectors(3000, d, 40, 0.4, 31);
const queries = clusteredVectors(40, d, 40, 0.4, 32);
const flat = new FlatIndex({ dimension: d });
flat.addBatch(base);
const truth = flat.searchBatch(queries, 10);

describe('kmeans', () => {
  it('recovers well-separated clusters and is seeded', () => {
    const centres = [
      [0, 0],
      [10, 0],
      [0, 10],
      [10, 10],
    ];
    const points = new Float32Array(400 * 2);
    for (let i = 0; i < 400; i++) {
      const c = centres[i % 4]!;
      points[2 * i] = c[0]! + Math.sin(i) * 0.5;
      points[2 * i + 1] = c[1]! + Math.cos(i * 1.3) * 0.5;
    }
    const result = kmeans(points, 400, 2, 4, { seed: 3, iterations: 30 });
    const found = Array.from({ length: 4 }, (_, j) => [
      result.centroids[2 * j]!,
      result.centroids[2 * j + 1]!,
    ]);
    for (const [x, y] of centres)
      expect(Math.min(...found.map(([a, b]) => Math.hypot(a! - x!, b! - y!)))).toBeLessThan(0.2);
    expect(result.meanSquaredError).toBeLessThan(0.5);
    expect([...kmeans(points, 400, 2, 4, { seed: 3, iterations: 30 }).centroids]).toEqual([
      ...result.centroids,
    ]);
  });

  it('fills empty clusters by splitting (duplicate points, more centroids than distinct values)', () => {
    const points = new Float32Array([1, 1, 1, 1, 1, 1, 5, 5, 5, 5, 9, 9]);
    const { centroids } = kmeans(points, 6, 2, 4, { seed: 1 });
    for (const value of centroids) expect(Number.isFinite(value)).toBe(true);
    expect(() => kmeans(points, 6, 2, 7)).toThrow(InvalidArgumentError);
  });
});

describe('ProductQuantizer', () => {
  it('reconstruction error falls with more subspaces; tables equal the decoded distances', () => {
    const data = randomVectors(1500, 8, 41);
    const errors = [1, 2, 4].map((m) => {
      const pq = new ProductQuantizer(8, m, 32);
      pq.train(data, 1500, { seed: 1 });
      const codes = new Uint8Array(m);
      const decoded = new Float32Array(8);
      let error = 0;
      for (let i = 0; i < 200; i++) {
        pq.encode(data, i * 8, codes, 0);
        pq.decode(codes, 0, decoded, 0);
        for (let j = 0; j < 8; j++) error += (data[i * 8 + j]! - decoded[j]!) ** 2;
        const table = new Float32Array(m * 32);
        pq.distanceTable(data, 0, false, table);
        let viaTable = 0;
        let direct = 0;
        for (let s = 0; s < m; s++) viaTable += table[s * 32 + codes[s]!]!;
        for (let j = 0; j < 8; j++) direct += (data[j]! - decoded[j]!) ** 2;
        expect(viaTable).toBeCloseTo(direct, 3);
      }
      return error;
    });
    expect(errors[1]!).toBeLessThan(errors[0]!);
    expect(errors[2]!).toBeLessThan(errors[1]!);
    expect(() => new ProductQuantizer(8, 3, 16)).toThrow(/divisor of the dimension 8/);
  });
});

describe('IVF indexes', () => {
  it('IVF-Flat visiting every cell is exact; recall grows with nprobe', () => {
    const index = new IvfFlatIndex({ dimension: d, cells: 30 });
    expect(() => index.add(0, base.subarray(0, d))).toThrow(NotTrainedError);
    index.train(base);
    index.addBatch(base);
    const all = index.searchBatch(queries, 10, { nprobe: 30 });
    expect(recallAtK(all.ids, 10, truth.ids, 10, 10)).toBe(1);
    const recalls = [1, 4, 12].map((nprobe) =>
      recallAtK(index.searchBatch(queries, 10, { nprobe }).ids, 10, truth.ids, 10, 10),
    );
    expect(recalls[0]!).toBeLessThanOrEqual(recalls[1]!);
    expect(recalls[1]!).toBeLessThanOrEqual(recalls[2]!);
    expect(recalls[2]!).toBeGreaterThanOrEqual(0.95);
    expect(() => index.train(base)).toThrow(/train before adding vectors/);
  });

  it('IVF-PQ: recall floor, re-ranking with exact distances helps, memory per vector is small', () => {
    const compact = new IvfPqIndex({ dimension: d, cells: 30, subspaces: 8, codebookSize: 64 });
    compact.train(base);
    compact.addBatch(base);
    const pqOnly = recallAtK(
      compact.searchBatch(queries, 10, { nprobe: 8 }).ids,
      10,
      truth.ids,
      10,
      10,
    );
    expect(pqOnly).toBeGreaterThanOrEqual(0.5);
    expect(() => compact.search(queries.subarray(0, d), 10, { rerank: 50 })).toThrow(/keepVectors/);
    const exactish = new IvfPqIndex({
      dimension: d,
      cells: 30,
      subspaces: 8,
      codebookSize: 64,
      keepVectors: true,
    });
    exactish.train(base);
    exactish.addBatch(base);
    const reranked = recallAtK(
      exactish.searchBatch(queries, 10, { nprobe: 8, rerank: 100 }).ids,
      10,
      truth.ids,
      10,
      10,
    );
    expect(reranked).toBeGreaterThan(pqOnly);
    expect(reranked).toBeGreaterThanOrEqual(0.9);
    // Without kept vectors the index holds codes, not the 4 d bytes per vector.
    expect(exactish.memoryBytes() - compact.memoryBytes()).toBeGreaterThanOrEqual(4 * d * 3000);
  });

  it('IVF-PQ with the inner-product metric ranks by the largest dot product', () => {
    const index = new IvfPqIndex({
      dimension: d,
      metric: 'ip',
      cells: 20,
      subspaces: 8,
      codebookSize: 64,
      keepVectors: true,
    });
    index.train(base);
    index.addBatch(base);
    const exactIp = new FlatIndex({ dimension: d, metric: 'ip' });
    exactIp.addBatch(base);
    const expected = exactIp.searchBatch(queries, 10);
    const found = index.searchBatch(queries, 10, { nprobe: 20, rerank: 200 });
    expect(recallAtK(found.ids, 10, expected.ids, 10, 10)).toBeGreaterThanOrEqual(0.9);
  });
});
