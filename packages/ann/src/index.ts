/**
 * @x/ann: approximate nearest-neighbour search in TypeScript on @x/tensor.
 * One `VectorIndex` interface, implemented by an exact `FlatIndex` (the
 * ground truth), `HnswIndex`, `IvfPqIndex`, `IvfFlatIndex` and
 * `RpForestIndex`; metrics `l2` (squared), `ip`, `cosine`; a versioned,
 * checksummed binary format (`save()`, `loadIndex`); TEXMEX fvecs / ivecs /
 * bvecs readers and writers. The only public entry point (Node.js file
 * helpers are in `@x/ann/node`, test suites in `@x/ann/test`).
 */

export { METRICS, type Metric } from './distance.js';
export * from './errors.js';
export {
  type KnnBulkOptions,
  type KnnMappingOptions,
  type KnnSource,
  knnBulk,
  knnBulkLines,
  knnIndexBody,
} from './export/opensearch.js';
export { FlatIndex, type FlatOptions } from './flat/flat-index.js';
export {
  RpForestIndex,
  type RpForestOptions,
  type RpForestSearchOptions,
} from './forest/rp-forest-index.js';
export { HnswIndex, type HnswOptions, type HnswSearchOptions } from './hnsw/hnsw-index.js';
export type { BaseIndexOptions } from './index-base.js';
export { crc32 } from './io/crc32.js';
export { type EnvelopeHeader, FORMAT_VERSION, INDEX_KINDS } from './io/envelope.js';
export {
  readBvecs,
  readFvecs,
  readIvecs,
  type VecsData,
  type VecsReadOptions,
  writeBvecs,
  writeFvecs,
  writeIvecs,
} from './io/vecs.js';
export type { IvfOptions, IvfSearchOptions } from './ivf/ivf-base.js';
export { IvfFlatIndex } from './ivf/ivf-flat-index.js';
export { IvfPqIndex, type IvfPqOptions } from './ivf/ivf-pq-index.js';
export { type KMeansOptions, type KMeansResult, kmeans } from './ivf/kmeans.js';
export { ProductQuantizer } from './ivf/product-quantizer.js';
export { loadIndex } from './load-index.js';
export { recallAtK } from './recall.js';
export { MAX_ID, type VectorBatch, type VectorLike } from './validate.js';
export type {
  BatchSearchResult,
  IndexKind,
  SearchFilter,
  SearchOptions,
  SearchResult,
  VectorIndex,
} from './vector-index.js';
