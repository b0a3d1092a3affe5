/**
 * Test helpers shipped in `@x/ann/test`: seeded random vectors, and the
 * naive float64 brute force that every index is checked against (an
 * independent reference: plain loops, no tensor ops, no early abandoning).
 */
import { Generator } from '@x/tensor';
import type { Metric } from '../distance.js';

/**
 * `[count, dimension]` standard-normal vectors from a seeded generator.
 * @example randomVectors(2, 3, 1).length // 6
 */
export function randomVectors(count: number, dimension: number, seed: number): Float32Array {
  const generator = new Generator(seed);
  const out = new Float32Array(count * dimension);
  for (let i = 0; i < out.length; i++) out[i] = generator.normal();
  return out;
}

/**
 * `[count, dimension]` vectors drawn around `clusters` random centres (a
 * Gaussian mixture with unit-variance centres and `spread`-scaled noise),
 * closer to real embeddings than isotropic noise.
 */
export function clusteredVectors(
  count: number,
  dimension: number,
  clusters: number,
  spread: number,
  seed: number,
): Float32Array {
  const generator = new Generator(seed);
  const centres = new Float32Array(clusters * dimension);
  for (let i = 0; i < centres.length; i++) centres[i] = generator.normal();
  const out = new Float32Array(count * dimension);
  for (let i = 0; i < count; i++) {
    const c = generator.integer(0, clusters);
    for (let j = 0; j < dimension; j++)
      out[i * dimension + j] = centres[c * dimension + j]! + spread * generator.normal();
  }
  return out;
}

/**
 * The reported distance between two vectors, computed naively in float64
 * (cosine normalizes both sides first): squared L2, `1 - dot`, `1 - cos`.
 */
export function naiveDistance(metric: Metric, a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  let l2 = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    aa += x * x;
    bb += y * y;
    l2 += (x - y) * (x - y);
  }
  if (metric === 'l2') return l2;
  if (metric === 'ip') return 1 - dot;
  return 1 - dot / Math.sqrt(aa * bb);
}

/**
 * Exact k nearest neighbours by a naive loop: for each query, all distances
 * in float64, sorted (ties by id).
 * @param base - `[n, d]` vectors
 * @param ids - id of each base row (default: the row number)
 * @param allowed - optional filter on ids
 * @returns per query the sorted `{ id, distance }` list of length min(k, allowed n)
 */
export function bruteForce(
  metric: Metric,
  base: Float32Array,
  queries: Float32Array,
  dimension: number,
  k: number,
  ids?: ArrayLike<number>,
  allowed?: (id: number) => boolean,
): { id: number; distance: number }[][] {
  const n = base.length / dimension;
  const out: { id: number; distance: number }[][] = [];
  for (let q = 0; q < queries.length / dimension; q++) {
    const query = queries.subarray(q * dimension, (q + 1) * dimension);
    const all: { id: number; distance: number }[] = [];
    for (let i = 0; i < n; i++) {
      const id = ids === undefined ? i : ids[i]!;
      if (allowed !== undefined && !allowed(id)) continue;
      all.push({
        id,
        distance: naiveDistance(metric, query, base.subarray(i * dimension, (i + 1) * dimension)),
      });
    }
    all.sort((x, y) => x.distance - y.distance || x.id - y.id);
    out.push(all.slice(0, k));
  }
  return out;
}

/**
 * Mean fraction of the true neighbours found: `|found ∩ truth| / |truth|` per query.
 * @param found - per query the returned ids
 * @param truth - per query the true neighbours (from `bruteForce`)
 */
export function recallOf(found: ArrayLike<number>[], truth: { id: number }[][]): number {
  let hits = 0;
  let total = 0;
  for (let q = 0; q < truth.length; q++) {
    const expected = new Set(truth[q]!.map((e) => e.id));
    total += expected.size;
    for (let i = 0; i < found[q]!.length; i++) if (expected.has(found[q]![i]!)) hits++;
  }
  return total === 0 ? 1 : hits / total;
}
