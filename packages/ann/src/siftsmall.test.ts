/**
 * Recall floors on real data: a 2,000-vector slice of TEXMEX siftsmall
 * shipped in src/__fixtures__ (ground truth by brute force here), and, when
 * ../shared/data is present, the exact index against the published ground
 * truth of the full set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlatIndex } from './flat/flat-index.js';
import { RpForestIndex } from './forest/rp-forest-index.js';
import { HnswIndex } from './hnsw/hnsw-index.js';
import { readBvecs, readFvecs, readIvecs } from './io/vecs.js';
import { IvfPqIndex } from './ivf/ivf-pq-index.js';
import { recallAtK } from './recall.js';
import { bruteForce } from './test/helpers.js';

const fixtures = new URL('./__fixtures__/', import.meta.url);
const baseBytes = readBvecs(readFileSync(new URL('siftsmall-base-2000.bvecs', fixtures)));
const base = Float32Array.from(baseBytes.data);
const queries = readFvecs(readFileSync(new URL('siftsmall-query-20.fvecs', fixtures)));
const d = 128;
const k = 10;
const truth = bruteForce('l2', base, queries.data, d, k);
const truthIds = Int32Array.from(truth.flatMap((row) => row.map((e) => e.id)));

describe('siftsmall slice (2,000 base vectors, 20 queries)', () => {
  it('the flat index returns the brute-force neighbours', () => {
    const flat = new FlatIndex({ dimension: d });
    flat.addBatch(base);
    const found = flat.searchBatch(queries.data, k);
    expect(recallAtK(found.ids, k, truthIds, k, k)).toBe(1);
    for (let q = 0; q < 20; q++) expect(found.distances[q * k]).toBe(truth[q]![0]!.distance);
  });

  it('HNSW (M 16, efConstruction 200) reaches recall@10 >= 0.98 at efSearch 64', () => {
    const index = new HnswIndex({ dimension: d, connectivity: 16, efConstruction: 200 });
    index.addBatch(base);
    expect(
      recallAtK(index.searchBatch(queries.data, k, { efSearch: 64 }).ids, k, truthIds, k, k),
    ).toBeGreaterThanOrEqual(0.98);
    expect(
      recallAtK(index.searchBatch(queries.data, k, { efSearch: 400 }).ids, k, truthIds, k, k),
    ).toBe(1);
  });

  it('IVF-PQ (32 cells, 16 x 8-bit codes) reaches its floors without and with re-ranking', () => {
    const index = new IvfPqIndex({
      dimension: d,
      cells: 32,
      subspaces: 16,
      codebookIterations: 6,
      keepVectors: true,
    });
    index.train(base);
    index.addBatch(base);
    expect(
      recallAtK(index.searchBatch(queries.data, k, { nprobe: 8 }).ids, k, truthIds, k, k),
    ).toBeGreaterThanOrEqual(0.5);
    expect(
      recallAtK(
        index.searchBatch(queries.data, k, { nprobe: 8, rerank: 100 }).ids,
        k,
        truthIds,
        k,
        k,
      ),
    ).toBeGreaterThanOrEqual(0.9);
  });

  it('the random-projection forest (10 trees) reaches recall@10 >= 0.9 at searchK 2000', () => {
    const index = new RpForestIndex({ dimension: d, trees: 10 });
    index.addBatch(base);
    expect(
      recallAtK(index.searchBatch(queries.data, k, { searchK: 2000 }).ids, k, truthIds, k, k),
    ).toBeGreaterThanOrEqual(0.9);
  });
});

const shared = new URL('../../../../shared/data/ann/siftsmall/', import.meta.url);
if (!existsSync(shared))
  console.log(`skipping full siftsmall tests: no data at ${shared.pathname}`);
describe.skipIf(!existsSync(shared))(
  'full siftsmall (skipped when ../shared/data is absent)',
  () => {
    it('the flat index reproduces the published ground truth (recall@100 = 1)', () => {
      const full = readFvecs(readFileSync(new URL('siftsmall_base.fvecs', shared)));
      const fullQueries = readFvecs(readFileSync(new URL('siftsmall_query.fvecs', shared)));
      const groundTruth = readIvecs(readFileSync(new URL('siftsmall_groundtruth.ivecs', shared)));
      const flat = new FlatIndex({ dimension: d, capacity: full.count });
      flat.addBatch(full.data);
      const found = flat.searchBatch(fullQueries.data, 100);
      expect(recallAtK(found.ids, 100, groundTruth.data, 100, 100)).toBe(1);
      expect(recallAtK(found.ids, 100, groundTruth.data, 100, 10)).toBe(1);
    });
  },
);
