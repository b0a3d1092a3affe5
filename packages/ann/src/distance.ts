/**
 * Distance kernels on flat Float32Arrays, and the metric definitions.
 *
 * Shapes: `a` holds a vector of `d` floats from `aOffset`, `b` another from
 * `bOffset` (rows of a flat `[n, d]` store). A kernel returns the *internal*
 * distance, smaller is closer:
 *   - squared L2 `sum_i (a_i - b_i)^2` for the `l2` and `cosine` metrics
 *     (cosine vectors are unit length, so `|a - b|^2 = 2 - 2 cos(a, b)`);
 *   - `-dot(a, b)` for the `ip` metric.
 * Algorithm: 8-way unrolled loops with four float64 accumulators (V8 keeps
 * them in registers; no SIMD in plain TypeScript). The L2 kernels stop early
 * once a partial sum exceeds `bound` (the partial sum is returned, which is
 * already larger than `bound`, so callers comparing against `bound` decide
 * the same as with the full sum): the early-abandoning trick of similarity
 * search (Rakthanmanon et al., "Searching and mining trillions of time series
 * subsequences under DTW", KDD 2012), checked once per 32 components.
 * The kernel is chosen once per index from the metric and the dimension
 * (`selectKernel`), so the hot loops never branch on either.
 */
import { InvalidArgumentError } from './errors.js';

/** The distance metrics: squared Euclidean, inner product, cosine. */
export type Metric = 'l2' | 'ip' | 'cosine';

/** All metrics, in a stable order (their codes in saved files). */
export const METRICS: readonly Metric[] = ['l2', 'ip', 'cosine'];

/**
 * A distance kernel: the internal distance between `a[aOffset..+d]` and
 * `b[bOffset..+d]`, free to stop early once it exceeds `bound` (pass
 * `Infinity` for the exact value).
 */
export type DistanceKernel = (
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  dimension: number,
  bound: number,
) => number;

/** Squared L2 for dimensions that are multiples of 8, early abandon per 32 components. */
export function l2Unrolled8(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  dimension: number,
  bound: number,
): number {
  let sum = 0;
  const end = aOffset + dimension;
  let p = aOffset;
  let r = bOffset;
  while (p < end) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const stop = Math.min(p + 32, end);
    for (; p < stop; p += 8, r += 8) {
      let t0 = a[p]! - b[r]!;
      let t1 = a[p + 1]! - b[r + 1]!;
      let t2 = a[p + 2]! - b[r + 2]!;
      let t3 = a[p + 3]! - b[r + 3]!;
      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
      t0 = a[p + 4]! - b[r + 4]!;
      t1 = a[p + 5]! - b[r + 5]!;
      t2 = a[p + 6]! - b[r + 6]!;
      t3 = a[p + 7]! - b[r + 7]!;
      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
    }
    sum += s0 + s1 + (s2 + s3);
    if (sum > bound) return sum;
  }
  return sum;
}

/** Squared L2 for any dimension (4-way unrolled body, scalar tail). */
export function l2Generic(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  dimension: number,
  bound: number,
): number {
  let sum = 0;
  let i = 0;
  while (i < dimension) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const block = Math.min(i + 32, dimension);
    const stop4 = block - ((block - i) & 3);
    for (; i < stop4; i += 4) {
      const t0 = a[aOffset + i]! - b[bOffset + i]!;
      const t1 = a[aOffset + i + 1]! - b[bOffset + i + 1]!;
      const t2 = a[aOffset + i + 2]! - b[bOffset + i + 2]!;
      const t3 = a[aOffset + i + 3]! - b[bOffset + i + 3]!;
      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
    }
    for (; i < block; i++) {
      const t = a[aOffset + i]! - b[bOffset + i]!;
      s0 += t * t;
    }
    sum += s0 + s1 + (s2 + s3);
    if (sum > bound) return sum;
  }
  return sum;
}

/** Negated inner product for dimensions that are multiples of 8 (`bound` is ignored). */
export function negDotUnrolled8(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  dimension: number,
  _bound: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end = aOffset + dimension;
  for (let p = aOffset, r = bOffset; p < end; p += 8, r += 8) {
    s0 += a[p]! * b[r]! + a[p + 4]! * b[r + 4]!;
    s1 += a[p + 1]! * b[r + 1]! + a[p + 5]! * b[r + 5]!;
    s2 += a[p + 2]! * b[r + 2]! + a[p + 6]! * b[r + 6]!;
    s3 += a[p + 3]! * b[r + 3]! + a[p + 7]! * b[r + 7]!;
  }
  return -(s0 + s1 + (s2 + s3));
}

/** Negated inner product for any dimension (`bound` is ignored). */
export function negDotGeneric(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  dimension: number,
  _bound: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  const stop4 = dimension & ~3;
  for (; i < stop4; i += 4) {
    s0 += a[aOffset + i]! * b[bOffset + i]!;
    s1 += a[aOffset + i + 1]! * b[bOffset + i + 1]!;
    s2 += a[aOffset + i + 2]! * b[bOffset + i + 2]!;
    s3 += a[aOffset + i + 3]! * b[bOffset + i + 3]!;
  }
  for (; i < dimension; i++) s0 += a[aOffset + i]! * b[bOffset + i]!;
  return -(s0 + s1 + (s2 + s3));
}

/**
 * The kernel for a metric and a dimension, chosen once per index.
 * @param metric - `l2`, `ip` or `cosine`
 * @param dimension - vector length
 * @returns the unrolled kernel when `dimension % 8 === 0`, else the generic one
 * @example
 * const kernel = selectKernel('l2', 8);
 * kernel(new Float32Array(8).fill(1), 0, new Float32Array(8), 0, 8, Infinity) // 8
 */
export function selectKernel(metric: Metric, dimension: number): DistanceKernel {
  const unrolled = dimension % 8 === 0;
  if (metric === 'ip') return unrolled ? negDotUnrolled8 : negDotGeneric;
  return unrolled ? l2Unrolled8 : l2Generic;
}

/**
 * Converts an internal distance to the reported one: squared L2 for `l2`,
 * `1 - dot` for `ip` (as hnswlib), `1 - cos` for `cosine`.
 * @param metric - the index metric
 * @param internal - a kernel result
 * @returns the distance reported to users
 * @example toReportedDistance('cosine', 4) // 2 (opposite unit vectors: |a - b|^2 = 4, 1 - cos = 2)
 */
export function toReportedDistance(metric: Metric, internal: number): number {
  if (metric === 'l2') return internal;
  if (metric === 'ip') return 1 + internal;
  return internal * 0.5;
}

/**
 * Checks a metric name.
 * @param op - the calling operation, for the error message
 * @param metric - the value to check
 * @returns the metric
 * @throws InvalidArgumentError for anything but `l2`, `ip`, `cosine`
 */
export function checkMetric(op: string, metric: unknown): Metric {
  if (typeof metric !== 'string' || !METRICS.includes(metric as Metric))
    throw new InvalidArgumentError(op, 'metric', metric, "one of 'l2', 'ip', 'cosine'");
  return metric as Metric;
}
