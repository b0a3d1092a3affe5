/**
 * Exhaustive top-k: scores every matching live document. The reference
 * that pruned search is tested against, and the path for queries pruning
 * does not cover (conjunctions, phrases).
 */

import { NO_MORE_DOCS } from '../postings/posting-cursor.js';
import type { Scorer } from '../query/scorer.js';
import type { TopK } from './top-k.js';

/**
 * Offers every matching live document of a scorer to a top-k heap.
 * @param scorer - the query's scorer, or null for no match
 * @param top - the heap
 * @param deleted - deleted flags by doc number
 * @example
 * ```ts
 * const top = new TopK(10);
 * forEachExhaustive(weight.scorer(), top, store.deleted);
 * top.results();
 * ```
 */
export function forEachExhaustive(scorer: Scorer | null, top: TopK, deleted: Uint8Array): void {
  if (!scorer || top.k <= 0) return;
  for (let doc = scorer.nextDoc(); doc !== NO_MORE_DOCS; doc = scorer.nextDoc()) {
    if (deleted[doc] === 1) continue;
    top.offer(scorer.score(), doc);
  }
}

/**
 * Counts the live documents a scorer matches.
 * @param scorer - the query's scorer, or null
 * @param deleted - deleted flags by doc number
 * @returns the number of matches
 * @example
 * ```ts
 * countMatches(weight.scorer(), store.deleted); // 42
 * ```
 */
export function countMatches(scorer: Scorer | null, deleted: Uint8Array): number {
  if (!scorer) return 0;
  let count = 0;
  for (let doc = scorer.nextDoc(); doc !== NO_MORE_DOCS; doc = scorer.nextDoc()) {
    if (deleted[doc] !== 1) count++;
  }
  return count;
}
