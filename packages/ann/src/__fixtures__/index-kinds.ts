/**
 * One small, built index of every kind, for the probes that run on all of
 * them (re-entrancy, leaks, file fuzzing). Seeded: the same bytes each run.
 */
import { FlatIndex } from '../flat/flat-index.js';
import { RpForestIndex } from '../forest/rp-forest-index.js';
import { HnswIndex } from '../hnsw/hnsw-index.js';
import { IvfFlatIndex } from '../ivf/ivf-flat-index.js';
import { IvfPqIndex } from '../ivf/ivf-pq-index.js';
import { randomVectors } from '../test/helpers.js';
import type { VectorIndex } from '../vector-index.js';

/** A named factory of a built index. */
export interface IndexKind {
  name: string;
  /** Builds an index of `count` seeded vectors of dimension `dimension`. */
  build(count?: number, dimension?: number): VectorIndex;
}

/** Every index kind of the package, with small build settings. */
export const INDEX_KINDS: readonly IndexKind[] = [
  {
    name: 'FlatIndex',
    build: (count = 200, dimension = 16) => {
      const index = new FlatIndex({ dimension });
      index.addBatch(randomVectors(count, dimension, 1));
      return index;
    },
  },
  {
    name: 'HnswIndex',
    build: (count = 200, dimension = 16) => {
      const index = new HnswIndex({ dimension, connectivity: 8, efConstruction: 32, seed: 2 });
      index.addBatch(randomVectors(count, dimension, 1));
      return index;
    },
  },
  {
    name: 'IvfFlatIndex',
    build: (count = 200, dimension = 16) => {
      const index = new IvfFlatIndex({ dimension, cells: 8, nprobe: 4, seed: 3 });
      index.train(randomVectors(count, dimension, 1));
      index.addBatch(randomVectors(count, dimension, 1));
      return index;
    },
  },
  {
    name: 'IvfPqIndex',
    build: (count = 200, dimension = 16) => {
      const index = new IvfPqIndex({
        dimension,
        cells: 8,
        subspaces: 4,
        codebookSize: 16,
        keepVectors: true,
        seed: 4,
      });
      index.train(randomVectors(count, dimension, 1));
      index.addBatch(randomVectors(count, dimension, 1));
      return index;
    },
  },
  {
    name: 'RpForestIndex',
    build: (count = 200, dimension = 16) => {
      const index = new RpForestIndex({ dimension, trees: 4, leafSize: 16, seed: 5 });
      index.addBatch(randomVectors(count, dimension, 1));
      return index;
    },
  },
];
