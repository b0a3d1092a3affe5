/** The shape fusion reads and writes: one ranked list of scored ids. */

/** One entry of a ranked list (best first). */
export interface ScoredId {
  id: string;
  score: number;
}

/**
 * Orders by score, best first, ties broken by id (code-unit order) so a
 * fused list is the same on every run and every engine.
 * @param a - one entry
 * @param b - another
 * @returns negative when `a` comes first
 */
export function byScoreThenId(a: ScoredId, b: ScoredId): number {
  if (a.score !== b.score) return b.score - a.score;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Checks the per-list weights of a fusion call.
 * @param weights - the weights, or undefined
 * @param lists - how many lists are fused
 * @param fallback - the weight of each list when none are given
 * @returns one finite weight per list
 * @throws RangeError when the count differs or a weight is negative or not finite
 */
export function resolveWeights(
  weights: readonly number[] | undefined,
  lists: number,
  fallback: (lists: number) => number[],
): number[] {
  const resolved = weights ? [...weights] : fallback(lists);
  if (resolved.length !== lists) {
    throw new RangeError(`fusion: ${resolved.length} weights for ${lists} lists`);
  }
  for (const weight of resolved) {
    if (!(Number.isFinite(weight) && weight >= 0)) {
      throw new RangeError(`fusion: weights must be finite and >= 0, got ${resolved.join(', ')}`);
    }
  }
  return resolved;
}
