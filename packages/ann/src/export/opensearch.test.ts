import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { FlatIndex } from '../flat/flat-index.js';
import { HnswIndex } from '../hnsw/hnsw-index.js';
import { knnBulk, knnBulkLines, knnIndexBody } from './opensearch.js';

const fixture = JSON.parse(
  readFileSync(new URL('../__fixtures__/opensearch/knn-vector-hnsw.json', import.meta.url), 'utf8'),
);

describe('knnIndexBody', () => {
  it("maps an HNSW index to the documentation's knn_vector example", () => {
    const index = new HnswIndex({
      dimension: 3,
      metric: 'l2',
      connectivity: 24,
      efConstruction: 128,
      efSearch: 100,
    });
    const { source: _source, ...documented } = fixture;
    expect(knnIndexBody(index, { field: 'my_vector' })).toEqual(documented);
  });

  it('maps every metric, and Elasticsearch dense_vector', () => {
    const spaceType = (metric: 'cosine' | 'ip') =>
      (
        knnIndexBody({ dimension: 4, metric }).mappings.properties.vector as {
          method: { space_type: string };
        }
      ).method.space_type;
    expect(spaceType('cosine')).toBe('cosinesimil');
    expect(spaceType('ip')).toBe('innerproduct');
    const flat = new FlatIndex({ dimension: 8, metric: 'cosine' });
    expect(
      knnIndexBody(flat, { target: 'elasticsearch', field: 'embedding' }).mappings.properties
        .embedding,
    ).toEqual({
      type: 'dense_vector',
      dims: 8,
      index: true,
      similarity: 'cosine',
      index_options: { type: 'hnsw', m: 16, ef_construction: 200 },
    });
  });

  it('refuses a bad dimension or metric', () => {
    expect(() => knnIndexBody({ dimension: 0, metric: 'l2' })).toThrow(InvalidArgumentError);
    expect(() => knnIndexBody({ dimension: 2, metric: 'hamming' as 'l2' })).toThrow(
      /metric must be/,
    );
  });
});

describe('knnBulkLines', () => {
  it('writes one index action and one source per vector, every line newline-terminated', () => {
    const body = knnBulk(new Float32Array([0.5, 1, 2, -3]), {
      index: 'papers',
      dimension: 2,
      ids: [10, 'b'],
      documents: [{ title: 'a' }, { title: 'b' }],
    });
    expect(body.endsWith('\n')).toBe(true);
    const lines = body
      .slice(0, -1)
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { index: { _index: 'papers', _id: '10' } },
      { title: 'a', vector: [0.5, 1] },
      { index: { _index: 'papers', _id: 'b' } },
      { title: 'b', vector: [2, -3] },
    ]);
    expect(
      [...knnBulkLines([[1, 2, 3]], { index: 'v', dimension: 3, field: 'my_vector' })][1],
    ).toBe('{"my_vector":[1,2,3]}\n');
  });

  it('refuses wrong lengths, non-finite values and mismatched ids, naming them', () => {
    expect(() => knnBulk(new Float32Array(5), { index: 'v', dimension: 2 })).toThrow(
      /vectors must be a multiple of dimension 2/,
    );
    expect(() => knnBulk([[1, Number.NaN]], { index: 'v', dimension: 2 })).toThrow(
      /vectors\[0\]\[1\] must be a finite number/,
    );
    expect(() => knnBulk([[1, 2]], { index: 'v', dimension: 2, ids: [1, 2] })).toThrow(
      /ids must be one per vector/,
    );
    expect(() => knnBulk([[1, 2]], { index: '', dimension: 2 })).toThrow(InvalidArgumentError);
  });
});
