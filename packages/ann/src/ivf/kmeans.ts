/**
 * k-means (Lloyd's algorithm) and nearest-centroid assignment on @x/tensor,
 * for IVF coarse quantizers and product-quantization codebooks.
 *
 * Shapes: points X `[n, d]`, centroids C `[k, d]`. Assignment: per block of
 * rows, one matmul `S = X C^T` (`[rows, k]`) on @x/tensor, then
 * `argmin_j |c_j|^2 - 2 S_ij` per row (the `|x_i|^2` term does not change
 * the argmin; for the inner-product metric `argmax_j S_ij`). Update: the mean
 * of each cluster's points. Initialization: k distinct points drawn with the
 * seeded generator (FAISS's default). Empty clusters are re-seeded by
 * splitting the largest one with a symmetric perturbation, as FAISS's
 * `Clustering::train` does. Training uses at most `maxPointsPerCentroid * k`
 * points, sampled without replacement (FAISS: 256 per centroid).
 */
import { Generator, matmul, tensor, tidy } from '@x/tensor';
import { InvalidArgumentError } from '../errors.js';

/** Options of `kmeans`. */
export interface KMeansOptions {
  /** Lloyd iterations at most (stops early when no point changes cluster). @default 20 */
  iterations?: number;
  /** Seed of the sampling and initialization. @default 1234 */
  seed?: number;
  /** Training points per centroid at most (a seeded sample beyond). @default 256 */
  maxPointsPerCentroid?: number;
}

/** Result of `kmeans`. */
export interface KMeansResult {
  /** `[k, d]` centroids. */
  centroids: Float32Array;
  /** Mean squared distance of the training points to their centroid after the last assignment. */
  meanSquaredError: number;
  /** Iterations run. */
  iterations: number;
}

/**
 * For each of `count` points, the nearest of `k` centroids.
 * @param points - `[count, d]`
 * @param centroidNorms - `|c_j|^2` per centroid (see `squaredNorms`)
 * @param innerProduct - rank by the largest inner product instead of L2
 * @returns labels (and the squared L2 distances, or negated inner products)
 */
export function assignNearest(
  points: Float32Array,
  count: number,
  dimension: number,
  centroids: Float32Array,
  k: number,
  centroidNorms: Float64Array,
  innerProduct = false,
): { labels: Int32Array; distances: Float64Array } {
  const labels = new Int32Array(count);
  const distances = new Float64Array(count);
  const block = Math.max(1, Math.floor((4 << 20) / Math.max(k, 1)));
  tidy(() => {
    const c = tensor(centroids.subarray(0, k * dimension), { shape: [k, dimension] });
    for (let start = 0; start < count; start += block) {
      const rows = Math.min(block, count - start);
      const scores = tidy(() => {
        const x = tensor(points.subarray(start * dimension, (start + rows) * dimension), {
          shape: [rows, dimension],
        });
        return matmul(x, c.transpose()).toTypedArray();
      });
      for (let r = 0; r < rows; r++) {
        let best = Number.POSITIVE_INFINITY;
        let label = 0;
        for (let j = 0; j < k; j++) {
          const s = scores[r * k + j]!;
          const key = innerProduct ? -s : centroidNorms[j]! - 2 * s;
          if (key < best) {
            best = key;
            label = j;
          }
        }
        labels[start + r] = label;
        let pointNorm = 0;
        if (!innerProduct)
          for (let i = 0; i < dimension; i++)
            pointNorm += points[(start + r) * dimension + i]! ** 2;
        distances[start + r] = innerProduct ? best : Math.max(0, best + pointNorm);
      }
    }
  });
  return { labels, distances };
}

/** `|c_j|^2` for each row of a `[k, d]` array. */
export function squaredNorms(rows: Float32Array, k: number, dimension: number): Float64Array {
  const norms = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < dimension; i++) s += rows[j * dimension + i]! ** 2;
    norms[j] = s;
  }
  return norms;
}

/**
 * Clusters `count` points of dimension `d` into `k` centroids.
 * @param points - `[count, d]` row-major
 * @returns the centroids and the final mean squared error
 * @throws InvalidArgumentError when `k < 1` or there are fewer points than centroids
 * @example
 * const { centroids } = kmeans(new Float32Array([0, 0, 0, 1, 10, 10, 10, 11]), 4, 2, 2, { seed: 1 });
 * // centroids: [0, 0.5] and [10, 10.5] (in some order)
 */
export function kmeans(
  points: Float32Array,
  count: number,
  dimension: number,
  k: number,
  options: KMeansOptions = {},
): KMeansResult {
  const op = 'kmeans';
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(op, 'k', k, 'an integer >= 1');
  if (count < k) throw new InvalidArgumentError(op, 'training points', count, `at least k = ${k}`);
  const generator = new Generator(options.seed ?? 1234);
  const iterations = options.iterations ?? 20;
  const cap = k * (options.maxPointsPerCentroid ?? 256);
  const sample = count > cap ? samplePoints(points, count, dimension, cap, generator) : points;
  const n = Math.min(count, cap);
  const centroids = new Float32Array(k * dimension);
  const first = sampleIndices(n, k, generator);
  for (let j = 0; j < k; j++)
    centroids.set(
      sample.subarray(first[j]! * dimension, (first[j]! + 1) * dimension),
      j * dimension,
    );
  let previous: Int32Array | null = null;
  let meanSquaredError = 0;
  let done = 0;
  const sums = new Float64Array(k * dimension);
  const sizes = new Int32Array(k);
  while (done < iterations) {
    const { labels, distances } = assignNearest(
      sample,
      n,
      dimension,
      centroids,
      k,
      squaredNorms(centroids, k, dimension),
    );
    done++;
    meanSquaredError = distances.reduce((a, b) => a + b, 0) / n;
    if (previous !== null && labels.every((label, i) => label === previous![i])) break;
    previous = labels;
    sums.fill(0);
    sizes.fill(0);
    for (let i = 0; i < n; i++) {
      const label = labels[i]!;
      sizes[label]!++;
      for (let c = 0; c < dimension; c++)
        sums[label * dimension + c]! += sample[i * dimension + c]!;
    }
    for (let j = 0; j < k; j++)
      if (sizes[j]! > 0)
        for (let c = 0; c < dimension; c++)
          centroids[j * dimension + c] = sums[j * dimension + c]! / sizes[j]!;
    splitEmptyClusters(centroids, sizes, k, dimension, generator);
  }
  return { centroids, meanSquaredError, iterations: done };
}

/** Re-seeds each empty cluster by splitting a large one (FAISS `split_clusters`). */
function splitEmptyClusters(
  centroids: Float32Array,
  sizes: Int32Array,
  k: number,
  dimension: number,
  generator: Generator,
): void {
  const total = sizes.reduce((a, b) => a + b, 0);
  for (let empty = 0; empty < k; empty++) {
    if (sizes[empty] !== 0) continue;
    let donor = 0;
    for (;;) {
      const r = generator.uniform() * total;
      let acc = 0;
      for (donor = 0; donor < k - 1; donor++) {
        acc += sizes[donor]!;
        if (acc > r) break;
      }
      if (sizes[donor]! > 1 || total <= 1) break;
    }
    for (let c = 0; c < dimension; c++) {
      const value = centroids[donor * dimension + c]!;
      const epsilon = (c % 2 === 0 ? 1 : -1) / 1024;
      centroids[empty * dimension + c] = value * (1 + epsilon) + epsilon;
      centroids[donor * dimension + c] = value * (1 - epsilon) - epsilon;
    }
    sizes[empty] = sizes[donor]! >> 1;
    sizes[donor] = sizes[donor]! - sizes[empty]!;
  }
}

/** `count` distinct indices in [0, n), seeded (a partial Fisher-Yates shuffle). */
export function sampleIndices(n: number, count: number, generator: Generator): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(generator.uniform() * (n - i));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order.slice(0, count);
}

function samplePoints(
  points: Float32Array,
  count: number,
  dimension: number,
  size: number,
  generator: Generator,
): Float32Array {
  const chosen = sampleIndices(count, size, generator);
  const out = new Float32Array(size * dimension);
  for (let i = 0; i < size; i++)
    out.set(points.subarray(chosen[i]! * dimension, (chosen[i]! + 1) * dimension), i * dimension);
  return out;
}
