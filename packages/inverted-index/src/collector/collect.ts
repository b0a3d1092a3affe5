/**
 * Top-k collection of a bound query. The weight chooses how its matches are
 * visited (`Weight.forEachPruning`, after tantivy): Block-Max WAND for terms
 * and flat disjunctions of terms, exhaustive scoring otherwise; `pruning:
 * false` forces exhaustive scoring, the reference.
 */

import type { Weight } from '../query/weight.js';
import { forEachExhaustive } from './exhaustive.js';
import { TopK } from './top-k.js';

/**
 * Collects the top k live documents of a weight.
 * @param weight - the bound query
 * @param k - how many hits
 * @param deleted - deleted flags by doc number
 * @param pruning - let the weight prune (Block-Max WAND where it can)
 * @returns the heap of hits
 * @example
 * ```ts
 * collectTopK(createWeight(query, context), 10, store.deleted, true).results();
 * ```
 */
export function collectTopK(
  weight: Weight,
  k: number,
  deleted: Uint8Array,
  pruning: boolean,
): TopK {
  const top = new TopK(k);
  if (k <= 0) return top;
  if (pruning) weight.forEachPruning(top, deleted);
  else forEachExhaustive(weight.scorer(), top, deleted);
  return top;
}
