/**
 * Exhaustive top-k: scores every matching live document. The reference
 * that pruned search is tested against, and the path for queries pruning
 * does not cover (conjunctions, phrases).
 */

import { NO_MORE_DOCS } from '../postings/posting-cursor.js';
import type { Scorer } from '../query/scorer.js';
import { TopK } from './top-k.js';

/**
 * Collects the k best live documents of a scorer.
 * @param scorer - the query's scorer, or null for no match
 * @param k - how many hits
 * @param deleted - deleted flags by doc number
 * @returns the heap of hits
 * @example
 * ```ts
 * collectExhaustive(weight.scorer(), 10, store.deleted).results();
 * ```
 */
export function collectExhaustive(scorer: Scorer | null, k: number, deleted: Uint8Array): TopK {
  const top = new TopK(k);
  if (!scorer || k <= 0) return top;
  for (let doc = scorer.nextDoc(); doc !== NO_MORE_DOCS; doc = scorer.nextDoc()) {
    if (deleted[doc] === 1) continue;
    top.offer(scorer.score(), doc);
  }
  return top;
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
