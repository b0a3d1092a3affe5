/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): each
 * list votes `weight / (k + rank)` for every id it holds (rank 1-based), and
 * the votes are summed. Scores of the input lists are ignored, only their
 * order counts, so lists on different scales (BM25, cosine) fuse without
 * normalisation.
 */

import { byScoreThenId, resolveWeights, type ScoredId } from './types.js';

/** Options of {@link reciprocalRankFusion}. */
export interface RrfOptions {
  /** The rank constant `k` of the paper (larger flattens the head's advantage). @default 60 */
  k?: number;
  /** One weight per list (weighted RRF). @default 1 for each list */
  weights?: readonly number[];
}

/**
 * Fuses ranked lists by reciprocal rank. An id missing from a list gets no
 * vote from it; an id repeated within a list counts at its best rank.
 * @param lists - ranked lists, best first (their scores are not read)
 * @param options - `k` (60) and per-list `weights` (1 each)
 * @returns every id of any list with its fused score, best first, ties by id
 * @throws RangeError for a non-positive or non-finite `k`, or bad weights
 * @example
 * ```ts
 * reciprocalRankFusion([
 *   [{ id: 'a', score: 9 }, { id: 'b', score: 3 }],
 *   [{ id: 'b', score: 0.9 }, { id: 'c', score: 0.8 }],
 * ]);
 * // [{ id: 'b', score: 1/62 + 1/61 }, { id: 'a', score: 1/61 }, { id: 'c', score: 1/62 }]
 * ```
 */
export function reciprocalRankFusion(
  lists: readonly (readonly ScoredId[])[],
  options: RrfOptions = {},
): ScoredId[] {
  const k = options.k ?? 60;
  if (!(Number.isFinite(k) && k > 0))
    throw new RangeError(`reciprocalRankFusion: k must be > 0, got ${k}`);
  const weights = resolveWeights(options.weights, lists.length, (n) =>
    new Array<number>(n).fill(1),
  );
  const fused = new Map<string, number>();
  lists.forEach((list, which) => {
    const seen = new Set<string>();
    list.forEach((entry, index) => {
      if (seen.has(entry.id)) return;
      seen.add(entry.id);
      fused.set(entry.id, (fused.get(entry.id) ?? 0) + weights[which]! / (k + index + 1));
    });
  });
  return [...fused].map(([id, score]) => ({ id, score })).sort(byScoreThenId);
}
