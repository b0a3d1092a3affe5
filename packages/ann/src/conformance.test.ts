/**
 * Runs the `VectorIndex` conformance suite (src/test/conformance.ts) on every
 * index kind of the package.
 */
import { FlatIndex } from './flat/flat-index.js';
import { RpForestIndex } from './forest/rp-forest-index.js';
import { HnswIndex } from './hnsw/hnsw-index.js';
import { IvfFlatIndex } from './ivf/ivf-flat-index.js';
import { IvfPqIndex } from './ivf/ivf-pq-index.js';
import { loadIndex } from './load-index.js';
import { runIndexConformance } from './test/conformance.js';

runIndexConformance({
  name: 'FlatIndex',
  create: ({ dimension, metric }) => new FlatIndex({ dimension, metric }),
  load: (bytes) => FlatIndex.load(bytes),
  recallFloor: 1,
});

runIndexConformance({
  name: 'HnswIndex',
  create: ({ dimension, metric }) =>
    new HnswIndex({ dimension, metric, connectivity: 8, efConstruction: 64 }),
  load: (bytes) => HnswIndex.load(bytes),
  searchOptions: { efSearch: 64 },
  recallFloor: 0.95,
});

runIndexConformance({
  name: 'IvfFlatIndex',
  create: ({ dimension, metric, training }) => {
    const index = new IvfFlatIndex({ dimension, metric, cells: 12, nprobe: 4 });
    index.train(training);
    return index;
  },
  load: (bytes) => IvfFlatIndex.load(bytes),
  searchOptions: { nprobe: 6 },
  recallFloor: 0.9,
});

runIndexConformance({
  name: 'IvfPqIndex',
  create: ({ dimension, metric, training }) => {
    const index = new IvfPqIndex({
      dimension,
      metric,
      cells: 12,
      subspaces: 8,
      codebookSize: 32,
      keepVectors: true,
    });
    index.train(training);
    return index;
  },
  load: (bytes) => IvfPqIndex.load(bytes),
  searchOptions: { nprobe: 6, rerank: 60 },
  recallFloor: 0.9,
});

runIndexConformance({
  name: 'RpForestIndex',
  create: ({ dimension, metric }) =>
    new RpForestIndex({ dimension, metric, trees: 8, leafSize: 16 }),
  load: (bytes) => RpForestIndex.load(bytes),
  searchOptions: { searchK: 200 },
  recallFloor: 0.9,
});

runIndexConformance({
  name: 'loadIndex (HNSW through the generic loader)',
  create: ({ dimension, metric }) =>
    new HnswIndex({ dimension, metric, connectivity: 6, efConstruction: 40, seed: 3 }),
  load: (bytes) => loadIndex(bytes),
  searchOptions: { efSearch: 80 },
  recallFloor: 0.95,
});
