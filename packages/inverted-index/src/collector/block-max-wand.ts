/**
 * Block-Max WAND top-k (S. Ding and T. Suel, "Faster top-k document
 * retrieval using block-max indexes", SIGIR 2011; WAND: A. Broder et al.,
 * CIKM 2003) over a disjunction of BM25F term scorers.
 *
 * Cursors are kept sorted by current doc. The pivot is the first cursor at
 * which the sum of global score bounds exceeds the heap threshold; documents
 * before it cannot enter the top k. At the pivot, the per-block bounds
 * (skip data: each block's max frequency and min length) are summed; when
 * even they cannot beat the threshold, every cursor up to the pivot jumps
 * past the shortest of those blocks. A document is scored only when its
 * bounds pass both tests, and its score is summed in the original term
 * order, so the result is exactly that of exhaustive scoring.
 */

import { NO_MORE_DOCS } from '../postings/posting-cursor.js';
import type { Bm25fScorer } from '../query/field-scoring.js';
import type { Scorer } from '../query/scorer.js';
import { TopK } from './top-k.js';

/** Bounds are inflated by this factor so rounding can never prune a winner. */
const BOUND_SLACK = 1 + 1e-9;

/**
 * Collects the k best live documents of a sum of term scorers with Block-Max WAND.
 * @param scorers - the term scorers (their order fixes the summation order)
 * @param k - how many hits
 * @param deleted - deleted flags by doc number
 * @param excluded - documents to leave out (mustNot clauses), or null
 * @returns the heap of hits
 * @example
 * ```ts
 * collectBlockMaxWand(termScorers, 10, store.deleted, null).results();
 * ```
 */
export function collectBlockMaxWand(
  scorers: readonly Bm25fScorer[],
  k: number,
  deleted: Uint8Array,
  excluded: Scorer | null,
): TopK {
  const top = new TopK(k);
  const n = scorers.length;
  if (n === 0 || k <= 0) return top;
  const bounds = scorers.map((scorer) => scorer.maxScore * BOUND_SLACK);
  const order = scorers.map((_, i) => i);
  for (const scorer of scorers) scorer.nextDoc();
  const docOf = (position: number) => scorers[order[position]!]!.doc;
  const resort = (from: number) => {
    // insertion: move the cursor at `from` right until docs are sorted again
    let i = from;
    while (i + 1 < n && docOf(i) > docOf(i + 1)) {
      const t = order[i]!;
      order[i] = order[i + 1]!;
      order[i + 1] = t;
      i++;
    }
  };
  order.sort((a, b) => scorers[a]!.doc - scorers[b]!.doc);

  for (;;) {
    const threshold = top.threshold;
    let sum = 0;
    let pivot = -1;
    for (let i = 0; i < n; i++) {
      if (docOf(i) === NO_MORE_DOCS) break;
      sum += bounds[order[i]!]!;
      if (sum > threshold) {
        pivot = i;
        break;
      }
    }
    if (pivot < 0) break;
    const pivotDoc = docOf(pivot);
    while (pivot + 1 < n && docOf(pivot + 1) === pivotDoc) pivot++;

    let blockSum = 0;
    let blockEnd = NO_MORE_DOCS;
    for (let i = 0; i <= pivot; i++) {
      const scorer = scorers[order[i]!]!;
      const end = scorer.shallowAdvance(pivotDoc);
      if (end < blockEnd) blockEnd = end;
      blockSum += scorer.blockMaxScore();
    }

    if (blockSum * BOUND_SLACK > threshold) {
      if (docOf(0) === pivotDoc) {
        let excludedHere = deleted[pivotDoc] === 1;
        if (!excludedHere && excluded) {
          if (excluded.doc < pivotDoc) excluded.advance(pivotDoc);
          excludedHere = excluded.doc === pivotDoc;
        }
        if (!excludedHere) {
          let score = 0;
          for (let t = 0; t < n; t++) {
            const scorer = scorers[t]!;
            if (scorer.doc === pivotDoc) score += scorer.score();
          }
          top.offer(score, pivotDoc);
        }
        for (let i = pivot; i >= 0; i--) {
          scorers[order[i]!]!.nextDoc();
          resort(i);
        }
      } else {
        // bring a cursor before the pivot up to the pivot doc
        let best = 0;
        for (let i = 1; i < pivot && docOf(i) < pivotDoc; i++) {
          if (bounds[order[i]!]! > bounds[order[best]!]!) best = i;
        }
        scorers[order[best]!]!.advance(pivotDoc);
        resort(best);
      }
    } else {
      let target = blockEnd === NO_MORE_DOCS ? NO_MORE_DOCS : blockEnd + 1;
      if (pivot + 1 < n && docOf(pivot + 1) < target) target = docOf(pivot + 1);
      let best = 0;
      for (let i = 1; i <= pivot; i++) {
        if (bounds[order[i]!]! > bounds[order[best]!]!) best = i;
      }
      scorers[order[best]!]!.advance(target);
      resort(best);
    }
  }
  return top;
}
