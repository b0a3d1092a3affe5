/**
 * Export to OpenSearch's k-NN plugin (`knn_vector` fields) or
 * Elasticsearch's `dense_vector`: the field mapping that reproduces an
 * index's metric and HNSW settings in a cluster, and the vectors (with their
 * documents) as a Bulk API NDJSON body. See docs/beyond-one-machine.md in the
 * repository for how each parameter maps.
 *
 * | ours | OpenSearch `knn_vector` | Elasticsearch `dense_vector` |
 * | --- | --- | --- |
 * | `dimension` | `dimension` | `dims` |
 * | `metric: 'l2'` (squared L2) | `space_type: 'l2'` | `similarity: 'l2_norm'` |
 * | `metric: 'cosine'` | `space_type: 'cosinesimil'` | `similarity: 'cosine'` |
 * | `metric: 'ip'` | `space_type: 'innerproduct'` | `similarity: 'max_inner_product'` |
 * | `connectivity` (M) | `method.parameters.m` | `index_options.m` |
 * | `efConstruction` | `method.parameters.ef_construction` | `index_options.ef_construction` |
 * | `efSearch` | `index.knn.algo_param.ef_search` (setting) | `num_candidates` (query) |
 */

import type { Metric } from '../distance.js';
import { InvalidArgumentError } from '../errors.js';

/** What the mapping reads: any index's dimension and metric, HNSW's parameters when present. */
export interface KnnSource {
  dimension: number;
  metric: Metric;
  /** M of the HNSW paper. @default 16 */
  connectivity?: number;
  /** @default 200 */
  efConstruction?: number;
  /** @default 64 */
  efSearch?: number;
}

/** Options of {@link knnIndexBody}. */
export interface KnnMappingOptions {
  /** The vector field's name. @default 'vector' */
  field?: string;
  /** `opensearch` (k-NN plugin) or `elasticsearch` (8.x `dense_vector`). @default 'opensearch' */
  target?: 'opensearch' | 'elasticsearch';
  /** OpenSearch's engine. @default 'lucene' */
  engine?: 'lucene' | 'faiss';
}

const spaceTypes = { l2: 'l2', cosine: 'cosinesimil', ip: 'innerproduct' } as const;
const similarities = { l2: 'l2_norm', cosine: 'cosine', ip: 'max_inner_product' } as const;

function checkSource(op: string, source: KnnSource): void {
  if (!source || !Number.isInteger(source.dimension) || source.dimension < 1)
    throw new InvalidArgumentError(op, 'dimension', source?.dimension, 'a positive integer');
  if (!(source.metric in spaceTypes))
    throw new InvalidArgumentError(op, 'metric', source.metric, "'l2', 'cosine' or 'ip'");
}

/**
 * The index body (`PUT /<index>`) with one vector field that searches like
 * `source` (an `HnswIndex`, or any index plus the HNSW parameters you want in
 * the cluster): OpenSearch `knn_vector` with an `hnsw` method, or
 * Elasticsearch `dense_vector` with `hnsw` index options.
 *
 * @param source - dimension, metric and HNSW parameters (an index works as it is)
 * @param options - field name, target, engine
 * @returns `{ settings, mappings }`
 * @throws InvalidArgumentError for a bad dimension or metric
 * @example
 * ```ts
 * const index = new HnswIndex({ dimension: 384, metric: 'cosine', connectivity: 16, efConstruction: 100 });
 * knnIndexBody(index).mappings.properties.vector;
 * // { type: 'knn_vector', dimension: 384, method: { name: 'hnsw', space_type: 'cosinesimil',
 * //   engine: 'lucene', parameters: { m: 16, ef_construction: 100 } } }
 * ```
 */
export function knnIndexBody(source: KnnSource, options: KnnMappingOptions = {}) {
  checkSource('knnIndexBody', source);
  const field = options.field ?? 'vector';
  const m = source.connectivity ?? 16;
  const efConstruction = source.efConstruction ?? 200;
  if ((options.target ?? 'opensearch') === 'elasticsearch') {
    return {
      settings: {},
      mappings: {
        properties: {
          [field]: {
            type: 'dense_vector',
            dims: source.dimension,
            index: true,
            similarity: similarities[source.metric],
            index_options: { type: 'hnsw', m, ef_construction: efConstruction },
          },
        },
      },
    };
  }
  return {
    settings: { index: { knn: true, 'knn.algo_param.ef_search': source.efSearch ?? 64 } },
    mappings: {
      properties: {
        [field]: {
          type: 'knn_vector',
          dimension: source.dimension,
          method: {
            name: 'hnsw',
            space_type: spaceTypes[source.metric],
            engine: options.engine ?? 'lucene',
            parameters: { m, ef_construction: efConstruction },
          },
        },
      },
    },
  };
}

/** Options of {@link knnBulkLines}. */
export interface KnnBulkOptions {
  /** The target index (`_index` of every action). */
  index: string;
  /** The vector field's name. @default 'vector' */
  field?: string;
  /** The vectors' dimension (for a flat `[n * d]` array). */
  dimension: number;
  /** Each vector's document id (`_id`); default: 0, 1, 2, ... */
  ids?: ArrayLike<number | string>;
  /** Other fields of each document (text, metadata), merged into its source. */
  documents?: ArrayLike<Record<string, unknown>>;
}

/**
 * The Bulk API body for vectors, line by line: an `index` action then the
 * source `{ ...document, [field]: [numbers] }`, each line ending with a
 * newline (the last one too).
 *
 * @param vectors - a flat `[n * dimension]` array, or an array of vectors
 * @param options - index, field, dimension, ids, documents
 * @returns a generator of lines (each with its trailing `\n`)
 * @throws InvalidArgumentError for a wrong length, a non-finite value, or mismatched ids / documents
 * @example
 * ```ts
 * [...knnBulkLines(new Float32Array([1, 0, 0, 1]), { index: 'v', dimension: 2, ids: [7, 9] })].join('');
 * // '{"index":{"_index":"v","_id":"7"}}\n{"vector":[1,0]}\n{"index":{"_index":"v","_id":"9"}}\n{"vector":[0,1]}\n'
 * ```
 */
export function* knnBulkLines(
  vectors: ArrayLike<number> | readonly ArrayLike<number>[],
  options: KnnBulkOptions,
): Generator<string> {
  const op = 'knnBulkLines';
  if (typeof options?.index !== 'string' || options.index.length === 0)
    throw new InvalidArgumentError(op, 'index', options?.index, 'the target index name');
  const d = options.dimension;
  if (!Number.isInteger(d) || d < 1)
    throw new InvalidArgumentError(op, 'dimension', d, 'a positive integer');
  const rows = Array.isArray(vectors) && typeof vectors[0] !== 'number';
  const flat = vectors as ArrayLike<number>;
  if (!rows && flat.length % d !== 0)
    throw new InvalidArgumentError(
      op,
      'vectors',
      `length ${flat.length}`,
      `a multiple of dimension ${d}`,
    );
  const count = rows ? (vectors as ArrayLike<number>[]).length : flat.length / d;
  if (options.ids && options.ids.length !== count)
    throw new InvalidArgumentError(
      op,
      'ids',
      `${options.ids.length} ids`,
      `one per vector (${count})`,
    );
  if (options.documents && options.documents.length !== count)
    throw new InvalidArgumentError(
      op,
      'documents',
      `${options.documents.length} documents`,
      `one per vector (${count})`,
    );
  const field = options.field ?? 'vector';
  for (let i = 0; i < count; i++) {
    const vector = rows
      ? Array.from((vectors as ArrayLike<number>[])[i]!)
      : Array.from({ length: d }, (_, j) => flat[i * d + j]!);
    if (vector.length !== d)
      throw new InvalidArgumentError(op, `vectors[${i}]`, `length ${vector.length}`, `length ${d}`);
    const bad = vector.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0)
      throw new InvalidArgumentError(op, `vectors[${i}][${bad}]`, vector[bad], 'a finite number');
    yield `${JSON.stringify({ index: { _index: options.index, _id: String(options.ids?.[i] ?? i) } })}\n`;
    yield `${JSON.stringify({ ...(options.documents?.[i] ?? {}), [field]: vector })}\n`;
  }
}

/**
 * The whole Bulk API body for vectors as one string (see {@link knnBulkLines}).
 *
 * @param vectors - a flat `[n * dimension]` array, or an array of vectors
 * @param options - index, field, dimension, ids, documents
 * @returns the NDJSON body
 * @throws InvalidArgumentError as {@link knnBulkLines}
 * @example
 * ```ts
 * writeFileSync('vectors.ndjson', knnBulk(vectors, { index: 'papers', dimension: 384, documents }));
 * ```
 */
export function knnBulk(
  vectors: ArrayLike<number> | readonly ArrayLike<number>[],
  options: KnnBulkOptions,
): string {
  let out = '';
  for (const line of knnBulkLines(vectors, options)) out += line;
  return out;
}
