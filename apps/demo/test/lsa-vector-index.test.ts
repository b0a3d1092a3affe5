import { describe, expect, it } from 'vitest';
import { IndexSnapshotError } from '../src/errors.js';
import { VectorIndex } from '../src/vectors/index.js';
import { gaussianStream } from '../src/vectors/svd.js';

function unitVectors(count: number, dims: number, seed: number): Float32Array[] {
  const random = gaussianStream(seed);
  return Array.from({ length: count }, () => {
    const v = Float32Array.from({ length: dims }, () => random());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

/** Brute-force cosine top k (the reference). */
function exactTop(vectors: Float32Array[], ids: string[], query: Float32Array, k: number) {
  const scored = vectors.map((v, i) => {
    let dot = 0;
    for (let j = 0; j < v.length; j++) dot += v[j]! * query[j]!;
    return { id: ids[i]!, score: dot };
  });
  return scored.sort((a, b) => b.score - a.score).slice(0, k);
}

describe('VectorIndex (HNSW, cosine)', () => {
  const dims = 32;
  const vectors = unitVectors(2000, dims, 1);
  const ids = vectors.map((_, i) => `doc-${i}`);
  const queries = unitVectors(50, dims, 2);
  let progressCalls = 0;
  const index = VectorIndex.build(vectors, ids, { onProgress: () => progressCalls++ });

  it('has recall@10 >= 0.95 against brute force on random data', () => {
    let found = 0;
    for (const query of queries) {
      const truth = new Set(exactTop(vectors, ids, query, 10).map((hit) => hit.id));
      for (const hit of index.search(query, 10)) if (truth.has(hit.id)) found++;
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.95);
    expect(progressCalls).toBeGreaterThan(0);
  });

  it('returns cosine similarities, best first', () => {
    const hits = index.search(queries[0]!, 5);
    const exact = exactTop(vectors, ids, queries[0]!, 1)[0]!;
    expect(hits[0]!.id).toBe(exact.id);
    expect(hits[0]!.score).toBeCloseTo(exact.score, 5);
    for (let i = 1; i < hits.length; i++)
      expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
  });

  it('serves k = 100 (efSearch raised to k) and ignores zero vectors', () => {
    expect(index.search(queries[1]!, 100)).toHaveLength(100);
    expect(index.search(new Float32Array(dims), 5)).toEqual([]);
    const withZero = VectorIndex.build([vectors[0]!, new Float32Array(dims)], ['a', 'b']);
    expect(withZero.size).toBe(1);
    expect(withZero.search(vectors[0]!, 2).map((hit) => hit.id)).toEqual(['a']);
  });

  it('round-trips through bytes; corrupt bytes raise IndexSnapshotError', () => {
    const bytes = index.toBytes();
    const copy = VectorIndex.fromBytes(bytes);
    expect(copy.search(queries[2]!, 10)).toEqual(index.search(queries[2]!, 10));
    const corrupt = bytes.slice();
    corrupt[bytes.length >> 1] = corrupt[bytes.length >> 1]! ^ 1;
    expect(() => VectorIndex.fromBytes(corrupt)).toThrow(IndexSnapshotError);
    expect(() => VectorIndex.fromBytes(bytes.subarray(0, 8))).toThrow(IndexSnapshotError);
  });

  it('rejects mismatched input', () => {
    expect(() => VectorIndex.build([vectors[0]!], ['a', 'b'])).toThrow(RangeError);
    expect(() => index.search(new Float32Array(3), 1)).toThrow(RangeError);
  });
});
