/**
 * Builds and sweeps each index of @x/ann on a dataset. Every index is built
 * with `capacity` equal to the data size, so `memoryBytes()` (typed-array
 * bytes, capacity included) is not inflated by growth slack.
 */
import {
  FlatIndex,
  IvfFlatIndex,
  IvfPqIndex,
  type IvfPqOptions,
  RpForestIndex,
} from '../src/index.js';
import { type IndexReport, measurePoint, type QuerySet, timeMs } from './measure.js';

/** A base set and its queries. */
export interface BenchData {
  name: string;
  base: Float32Array;
  count: number;
  set: QuerySet;
}

const K = 10;

/** The exact index: one point, queries one at a time, plus a batched pass. */
export function runFlat(data: BenchData, repeats: number): IndexReport & { batchQps: number } {
  const index = new FlatIndex({ dimension: data.set.dimension, capacity: data.count });
  const buildMs = timeMs(() => index.addBatch(data.base));
  const point = measurePoint(data.set, K, repeats, (q) => index.search(q, K).ids);
  const flat = new Float32Array(data.set.queries.length * data.set.dimension);
  data.set.queries.forEach((q, i) => flat.set(q, i * data.set.dimension));
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++)
    best = Math.min(
      best,
      timeMs(() => index.searchBatch(flat, K)),
    );
  return {
    name: 'flat (exact)',
    buildMs,
    bytesPerVector: index.memoryBytes() / data.count,
    memoryNote: 'memoryBytes()',
    curve: [{ parameter: 'exact', value: 0, ...point }],
    batchQps: (data.set.queries.length / best) * 1000,
  };
}

/** IVF-PQ over an nprobe sweep (optionally re-ranking `rerank` candidates exactly). */
export function runIvfPq(
  data: BenchData,
  nprobes: readonly number[],
  repeats: number,
  options: Omit<IvfPqOptions, 'dimension'>,
  rerank = 0,
): IndexReport & { trainMs: number } {
  const index = new IvfPqIndex({
    dimension: data.set.dimension,
    ...options,
    keepVectors: rerank > 0,
  });
  const trainMs = timeMs(() => index.train(data.base));
  const addMs = timeMs(() => index.addBatch(data.base));
  const curve = nprobes.map((nprobe) => ({
    parameter: 'nprobe',
    value: nprobe,
    ...measurePoint(data.set, K, repeats, (q) => index.search(q, K, { nprobe, rerank }).ids),
  }));
  const m = index.pq.subspaces;
  return {
    name: `@x/ann IVF-PQ (${index.cells} cells, M ${m} x 8 bit${rerank > 0 ? `, rerank ${rerank}` : ''})`,
    buildMs: trainMs + addMs,
    trainMs,
    bytesPerVector: index.memoryBytes() / data.count,
    memoryNote: 'memoryBytes()',
    curve,
  };
}

/** IVF-Flat over an nprobe sweep. */
export function runIvfFlat(
  data: BenchData,
  nprobes: readonly number[],
  repeats: number,
  cells: number,
): IndexReport {
  const index = new IvfFlatIndex({ dimension: data.set.dimension, cells });
  const buildMs = timeMs(() => {
    index.train(data.base);
    index.addBatch(data.base);
  });
  const curve = nprobes.map((nprobe) => ({
    parameter: 'nprobe',
    value: nprobe,
    ...measurePoint(data.set, K, repeats, (q) => index.search(q, K, { nprobe }).ids),
  }));
  return {
    name: `@x/ann IVF-Flat (${cells} cells)`,
    buildMs,
    bytesPerVector: index.memoryBytes() / data.count,
    memoryNote: 'memoryBytes()',
    curve,
  };
}

/** The random-projection forest over a searchK sweep. */
export function runForest(
  data: BenchData,
  searchKs: readonly number[],
  repeats: number,
  trees: number,
  leafSize = 64,
): IndexReport {
  const index = new RpForestIndex({ dimension: data.set.dimension, trees, leafSize });
  const buildMs = timeMs(() => index.addBatch(data.base));
  const curve = searchKs.map((searchK) => ({
    parameter: 'searchK',
    value: searchK,
    ...measurePoint(data.set, K, repeats, (q) => index.search(q, K, { searchK }).ids),
  }));
  return {
    name: `@x/ann RP forest (${trees} trees, leaf ${leafSize})`,
    buildMs,
    bytesPerVector: index.memoryBytes() / data.count,
    memoryNote: 'memoryBytes()',
    curve,
  };
}
