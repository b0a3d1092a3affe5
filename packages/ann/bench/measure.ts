/**
 * Measuring one index: build time, bytes per vector, and the recall@10 /
 * queries-per-second point of each search setting. Queries run one at a
 * time (as a user's request would), single-threaded; after one untimed
 * warm-up pass (JIT compilation), each pass over the query set is repeated
 * and the best pass is kept (ann-benchmarks does the same), which damps the
 * noise of a shared machine.
 */
import { recallAtK } from '../src/index.js';

/** One point of a recall / QPS curve. */
export interface CurvePoint extends PointMeasure {
  /** The swept parameter's name and value, e.g. `efSearch` 40. */
  parameter: string;
  value: number;
}

/** Everything measured for one index. */
export interface IndexReport {
  name: string;
  buildMs: number;
  /** CPU time of the build, when measured (below `buildMs` when other jobs share the cores). */
  buildCpuMs?: number;
  bytesPerVector: number;
  /** How `bytesPerVector` was obtained. */
  memoryNote: string;
  curve: CurvePoint[];
}

/** A query set with ground truth. */
export interface QuerySet {
  dimension: number;
  queries: Float32Array[];
  /** `[count, truthStride]` true neighbour ids. */
  truth: Int32Array;
  truthStride: number;
}

/** Times `fn` once: wall-clock and CPU (user + system) milliseconds of this process. */
export function timeWallAndCpu(fn: () => void): { wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  fn();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** Times `fn` once, in milliseconds. */
export function timeMs(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Recall and speed of one setting. */
export interface PointMeasure {
  recall: number;
  /** Queries per second of the fastest pass, wall clock. */
  qps: number;
  /**
   * Queries per second of the pass that used the least CPU time (user +
   * system of this process): what the search costs, less sensitive than the
   * wall clock to other jobs taking the cores.
   */
  cpuQps: number;
}

/**
 * The recall@k and best-of-`repeats` QPS of `search` over a query set.
 * @param search - answers one query with its ids (the index under test)
 */
export function measurePoint(
  set: QuerySet,
  k: number,
  repeats: number,
  search: (query: Float32Array, index: number) => ArrayLike<number>,
): PointMeasure {
  return measurePoints(set, k, repeats, [search])[0]!;
}

/**
 * `measurePoint` for several indexes at once, their passes interleaved
 * (A, B, A, B, ...) so that a change of load on a shared machine hits all of
 * them alike; used for the comparison with the peer.
 */
export function measurePoints(
  set: QuerySet,
  k: number,
  repeats: number,
  searches: ((query: Float32Array, index: number) => ArrayLike<number>)[],
): PointMeasure[] {
  const found = searches.map(() => new Int32Array(set.queries.length * k).fill(-1));
  const bestWall = searches.map(() => Number.POSITIVE_INFINITY);
  const bestCpu = searches.map(() => Number.POSITIVE_INFINITY);
  for (const search of searches)
    for (let q = 0; q < set.queries.length; q++) search(set.queries[q]!, q);
  for (let repeat = 0; repeat < repeats; repeat++) {
    searches.forEach((search, s) => {
      const { wallMs, cpuMs } = timeWallAndCpu(() => {
        for (let q = 0; q < set.queries.length; q++) {
          const ids = search(set.queries[q]!, q);
          if (repeat === 0)
            for (let i = 0; i < Math.min(k, ids.length); i++) found[s]![q * k + i] = ids[i]!;
        }
      });
      bestWall[s] = Math.min(bestWall[s]!, wallMs);
      bestCpu[s] = Math.min(bestCpu[s]!, Math.max(cpuMs, 1e-3));
    });
  }
  return searches.map((_, s) => ({
    recall: recallAtK(found[s]!, k, set.truth, set.truthStride, k),
    qps: (set.queries.length / bestWall[s]!) * 1000,
    cpuQps: (set.queries.length / bestCpu[s]!) * 1000,
  }));
}

/**
 * The first point of a curve whose recall reaches `target` (curves rise with
 * their parameter), or undefined.
 */
export function firstReaching(curve: CurvePoint[], target: number): CurvePoint | undefined {
  return curve.find((point) => point.recall >= target);
}
