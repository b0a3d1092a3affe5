/**
 * Quick start: build an HNSW index over random vectors, search it, check the
 * answer against the exact index, filter, remove, and save / load.
 *
 *   npx tsx --conditions=@x/source examples/quick-start.ts
 */
import { FlatIndex, HnswIndex, loadIndex, recallAtK } from '@x/ann';
import { randomVectors } from '@x/ann/test';

const dimension = 32;
const vectors = randomVectors(5000, dimension, 1); // Float32Array, 5000 x 32
const queries = randomVectors(100, dimension, 2);

const index = new HnswIndex({ dimension, metric: 'cosine', connectivity: 16, efConstruction: 200 });
index.addBatch(vectors); // ids 0..4999

const { ids, distances } = index.search(queries.subarray(0, dimension), 3);
console.log(
  'nearest ids',
  [...ids],
  'cosine distances',
  [...distances].map((x) => x.toFixed(3)),
);

const exact = new FlatIndex({ dimension, metric: 'cosine' });
exact.addBatch(vectors);
const truth = exact.searchBatch(queries, 10);
const found = index.searchBatch(queries, 10, { efSearch: 100 });
console.log('recall@10 at efSearch 100:', recallAtK(found.ids, 10, truth.ids, 10, 10));

const even = index.search(queries.subarray(0, dimension), 3, { filter: (id) => id % 2 === 0 });
console.log('even ids only', [...even.ids]);

index.remove(ids[0]!);
console.log('after removing', ids[0], '->', [
  ...index.search(queries.subarray(0, dimension), 3).ids,
]);

const bytes = index.save(); // Uint8Array: versioned, CRC-32 checked
const copy = loadIndex(bytes);
console.log(`saved ${bytes.length} bytes; loaded a ${copy.kind} index of ${copy.size} vectors`);
