/**
 * Normalised weighted-sum fusion, as Orama's hybrid search does it: each
 * list's scores are min-max normalised to [0, 1] within the list, then
 * `sum_i weight_i * normalised_i(id)` with a missing id counting 0.
 */

import { byScoreThenId, resolveWeights, type ScoredId } from './types.js';

/** Options of {@link weightedFusion}. */
export interface WeightedFusionOptions {
  /** One weight per list. @default [0.5, 0.5] for two lists, else 1/n each */
  weights?: readonly number[];
}

/**
 * Min-max normalises one list: best 1, worst 0; a list whose scores are
 * all equal (one entry included) normalises to 1 everywhere, so its ids
 * still count as found.
 * @param list - a scored list
 * @returns id -> normalised score (an id repeated keeps its highest)
 */
export function minMaxNormalize(list: readonly ScoredId[]): Map<string, number> {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const { score } of list) {
    if (score < min) min = score;
    if (score > max) max = score;
  }
  const range = max - min;
  const out = new Map<string, number>();
  for (const { id, score } of list) {
    const normalised = range > 0 ? (score - min) / range : 1;
    out.set(id, Math.max(out.get(id) ?? 0, normalised));
  }
  return out;
}

/**
 * Fuses scored lists by a weighted sum of min-max normalised scores.
 * @param lists - scored lists (order does not matter, scores do)
 * @param options - `weights` (0.5 / 0.5 for two lists)
 * @returns every id of any list with its fused score, best first, ties by id
 * @throws RangeError for bad weights (count, negative, not finite)
 * @example
 * ```ts
 * weightedFusion([
 *   [{ id: 'a', score: 10 }, { id: 'b', score: 5 }, { id: 'c', score: 0 }],
 *   [{ id: 'c', score: 0.9 }, { id: 'a', score: 0.1 }],
 * ]);
 * // [{ id: 'a', score: 0.5 }, { id: 'c', score: 0.5 }, { id: 'b', score: 0.25 }]
 * ```
 */
export function weightedFusion(
  lists: readonly (readonly ScoredId[])[],
  options: WeightedFusionOptions = {},
): ScoredId[] {
  const weights = resolveWeights(options.weights, lists.length, (n) =>
    new Array<number>(n).fill(1 / n),
  );
  const fused = new Map<string, number>();
  lists.forEach((list, which) => {
    for (const [id, normalised] of minMaxNormalize(list)) {
      fused.set(id, (fused.get(id) ?? 0) + weights[which]! * normalised);
    }
  });
  return [...fused].map(([id, score]) => ({ id, score })).sort(byScoreThenId);
}
