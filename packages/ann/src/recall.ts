/**
 * Recall of approximate results against ground truth, the quality measure
 * of every ANN benchmark (ann-benchmarks, big-ann-benchmarks): the fraction
 * of the true `k` nearest neighbours that the index returned in its top `k`.
 */
import { InvalidArgumentError } from './errors.js';

/**
 * Mean recall@k over queries.
 * @param found - `[queries, foundStride]` ids returned (padded with -1)
 * @param foundStride - row length of `found` (>= k)
 * @param truth - `[queries, truthStride]` true neighbour ids, nearest first
 * @param truthStride - row length of `truth` (>= k), e.g. 100 for TEXMEX ground truth
 * @param k - cut-off
 * @returns recall in [0, 1]
 * @throws InvalidArgumentError when a stride is smaller than k or the row counts differ
 * @example recallAtK(Int32Array.of(1, 2), 2, Int32Array.of(2, 3), 2, 2) // 0.5
 */
export function recallAtK(
  found: ArrayLike<number>,
  foundStride: number,
  truth: ArrayLike<number>,
  truthStride: number,
  k: number,
): number {
  const op = 'recallAtK';
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(op, 'k', k, 'an integer >= 1');
  if (foundStride < k)
    throw new InvalidArgumentError(op, 'foundStride', foundStride, `>= k = ${k}`);
  if (truthStride < k)
    throw new InvalidArgumentError(op, 'truthStride', truthStride, `>= k = ${k}`);
  const queries = found.length / foundStride;
  if (!Number.isInteger(queries) || truth.length / truthStride !== queries)
    throw new InvalidArgumentError(
      op,
      'rows',
      truth.length / truthStride,
      `${queries} (one truth row per query)`,
    );
  if (queries === 0) return 1;
  let hits = 0;
  const expected = new Set<number>();
  for (let q = 0; q < queries; q++) {
    expected.clear();
    for (let i = 0; i < k; i++) expected.add(truth[q * truthStride + i]!);
    for (let i = 0; i < k; i++) if (expected.has(found[q * foundStride + i]!)) hits++;
  }
  return hits / (queries * k);
}
