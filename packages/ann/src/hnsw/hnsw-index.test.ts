import { describe, expect, it } from 'vitest';
import { FlatIndex } from '../flat/flat-index.js';
import { recallAtK } from '../recall.js';
import { bruteForce, clusteredVectors, randomVectors, recallOf } from '../test/helpers.js';
import { HnswIndex } from './hnsw-index.js';

const d = 24;
const n = 3000;
const base = clusteredVectors(n, d, 30, 0.5, 11);
const queries = clusteredVectors(50, d, 30, 0.5, 12);

function exact(k: number, allowed?: (id: number) => boolean) {
  return bruteForce('l2', base, queries, d, k, undefined, allowed);
}

function recallWith(
  index: HnswIndex,
  k: number,
  options: Parameters<HnswIndex['search']>[2] = {},
  truth = exact(k),
) {
  const found = Array.from(
    { length: 50 },
    (_, q) => index.search(queries.subarray(q * d, (q + 1) * d), k, options).ids,
  );
  return recallOf(found, truth);
}

describe('HnswIndex', () => {
  const index = new HnswIndex({ dimension: d, connectivity: 12, efConstruction: 100, seed: 5 });
  index.addBatch(base);

  it('recall rises with efSearch and stays above a floor', () => {
    const low = recallWith(index, 10, { efSearch: 10 });
    const high = recallWith(index, 10, { efSearch: 200 });
    expect(high).toBeGreaterThanOrEqual(0.99);
    expect(low).toBeGreaterThan(0.6);
    expect(high).toBeGreaterThanOrEqual(low);
  });

  it('is reproducible: the same seed builds the same graph', () => {
    const again = new HnswIndex({ dimension: d, connectivity: 12, efConstruction: 100, seed: 5 });
    again.addBatch(base);
    expect([...again.save()]).toEqual([...index.save()]);
    const other = new HnswIndex({ dimension: d, connectivity: 12, efConstruction: 100, seed: 6 });
    other.addBatch(base);
    expect([...other.save()]).not.toEqual([...index.save()]);
  });

  it('filters during the walk: full result lists that match the filtered brute force', () => {
    const allowed = (id: number) => id % 4 === 1;
    const truth = exact(10, allowed);
    let calls = 0;
    const predicate = (id: number) => {
      calls++;
      return allowed(id);
    };
    expect(
      recallWith(index, 10, { efSearch: 100, filter: predicate }, truth),
    ).toBeGreaterThanOrEqual(0.95);
    expect(calls).toBeLessThan(50 * n);
    const small = new Set([3, 77, 1500, 2999]);
    const result = index.search(queries.subarray(0, d), 10, { filter: small });
    expect([...result.ids].sort((a, b) => a - b)).toEqual([3, 77, 1500, 2999]);
    const flat = new FlatIndex({ dimension: d });
    flat.addBatch(base);
    expect([...result.ids]).toEqual([
      ...flat.search(queries.subarray(0, d), 10, { filter: small }).ids,
    ]);
  });

  it('deletes: removed ids never return; repair() and rebuild() keep the recall', () => {
    const copy = HnswIndex.load(index.save());
    const removed = (id: number) => id % 3 === 0 || (id > 1000 && id < 1400);
    for (let id = 0; id < n; id++) if (removed(id)) copy.remove(id);
    const truth = exact(10, (id) => !removed(id));
    const check = () => {
      for (let q = 0; q < 50; q++)
        for (const id of copy.search(queries.subarray(q * d, (q + 1) * d), 30, { efSearch: 60 })
          .ids)
          expect(removed(id)).toBe(false);
      return recallWith(copy, 10, { efSearch: 100 }, truth);
    };
    const marked = check();
    expect(marked).toBeGreaterThanOrEqual(0.9);
    expect(copy.repair()).toBeGreaterThan(0);
    const repaired = check();
    expect(repaired).toBeGreaterThanOrEqual(0.95);
    const reloaded = HnswIndex.load(copy.save());
    expect(recallWith(reloaded, 10, { efSearch: 100 }, truth)).toBe(repaired);
    expect(copy.deletedCount).toBeGreaterThan(0);
    copy.rebuild();
    expect(copy.deletedCount).toBe(0);
    expect(copy.size).toBe(reloaded.size);
    expect(check()).toBeGreaterThanOrEqual(0.95);
  });

  it('shrinkToFit drops growth slack without changing results, and inserts still work', () => {
    const grown = new HnswIndex({
      dimension: d,
      connectivity: 8,
      efConstruction: 40,
      capacity: 16,
    });
    grown.addBatch(base.subarray(0, 1100 * d));
    const before = grown.searchBatch(queries, 5);
    const bytes = grown.memoryBytes();
    grown.shrinkToFit();
    expect(grown.memoryBytes()).toBeLessThan(bytes);
    expect([...grown.searchBatch(queries, 5).ids]).toEqual([...before.ids]);
    grown.addBatch(base.subarray(1100 * d, 1200 * d));
    expect(grown.size).toBe(1200);
    expect(grown.search(base.subarray(1150 * d, 1151 * d), 1).ids[0]).toBe(1150);
  });

  it('removing every vector then adding again starts a fresh graph', () => {
    const small = new HnswIndex({ dimension: 4, connectivity: 4 });
    small.addBatch(randomVectors(50, 4, 1));
    for (let id = 0; id < 50; id++) small.remove(id);
    expect(small.search([0, 0, 0, 0], 5).ids.length).toBe(0);
    small.add(100, [1, 2, 3, 4]);
    small.add(101, [1, 2, 3, 5]);
    expect([...small.search([1, 2, 3, 4.9], 5).ids]).toEqual([101, 100]);
    small.repair();
    expect([...small.search([1, 2, 3, 4.9], 5).ids]).toEqual([101, 100]);
  });

  it('the heuristic neighbour selection beats the M closest on clustered data (paper, section 4)', () => {
    const simple = new HnswIndex({
      dimension: d,
      connectivity: 6,
      efConstruction: 40,
      neighborSelection: 'closest',
    });
    const heuristic = new HnswIndex({ dimension: d, connectivity: 6, efConstruction: 40 });
    simple.addBatch(base);
    heuristic.addBatch(base);
    const truth = exact(10);
    const a = recallWith(simple, 10, { efSearch: 20 }, truth);
    const b = recallWith(heuristic, 10, { efSearch: 20 }, truth);
    // Closest-only links stay inside clusters and leave the graph badly
    // connected between them; the heuristic keeps links in other directions.
    expect(a).toBeGreaterThan(0.1);
    expect(b).toBeGreaterThan(a + 0.15);
  });

  it('keeps recall on random (hard) data above a floor, batch equals single', () => {
    const data = randomVectors(2000, 16, 21);
    const qs = randomVectors(40, 16, 22);
    const hnsw = new HnswIndex({ dimension: 16, connectivity: 16, efConstruction: 100 });
    hnsw.addBatch(data);
    const flat = new FlatIndex({ dimension: 16 });
    flat.addBatch(data);
    const truth = flat.searchBatch(qs, 10);
    const found = hnsw.searchBatch(qs, 10, { efSearch: 100 });
    expect(recallAtK(found.ids, 10, truth.ids, 10, 10)).toBeGreaterThanOrEqual(0.97);
  });
});
