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
import type { TopK } from './top-k.js';

/** Bounds are inflated by this factor so rounding can never prune a winner. */
const BOUND_SLACK = 1 + 1e-9;

/**
 * Offers the live documents of a sum of term scorers that can enter a top-k
 * heap to it, with Block-Max WAND.
 * @param scorers - the term scorers (their order fixes the summation order)
 * @param top - the heap (its threshold prunes)
 * @param deleted - deleted flags by doc number
 * @param excluded - documents to leave out (mustNot clauses), or null
 * @example
 * ```ts
 * const top = new TopK(10);
 * forEachBlockMaxWand(termScorers, top, store.deleted, null);
 * top.results();
 * ```
 */
export function forEachBlockMaxWand(
  scorers: readonly Bm25fScorer[],
  top: TopK,
  deleted: Uint8Array,
  excluded: Scorer | null,
): void {
  const n = scorers.length;
  if (n === 0 || top.k <= 0) return;
  for (const scorer of scorers) scorer.nextDoc();
  // cursors sorted by current doc, with their global bounds alongside
  const list = [...scorers].sort((a, b) => a.doc - b.doc);
  const bounds = Float64Array.from(list, (scorer) => scorer.maxScore * BOUND_SLACK);
  const moveRight = (from: number) => {
    const scorer = list[from]!;
    const bound = bounds[from]!;
    const doc = scorer.doc;
    let i = from;
    while (i + 1 < n && list[i + 1]!.doc < doc) {
      list[i] = list[i + 1]!;
      bounds[i] = bounds[i + 1]!;
      i++;
    }
    list[i] = scorer;
    bounds[i] = bound;
  };

  let threshold = top.threshold;
  for (;;) {
    let sum = 0;
    let pivot = -1;
    for (let i = 0; i < n; i++) {
      if (list[i]!.doc === NO_MORE_DOCS) break;
      sum += bounds[i]!;
      if (sum > threshold) {
        pivot = i;
        break;
      }
    }
    if (pivot < 0) break;
    const pivotDoc = list[pivot]!.doc;
    while (pivot + 1 < n && list[pivot + 1]!.doc === pivotDoc) pivot++;

    let blockSum = 0;
    let blockEnd = NO_MORE_DOCS;
    for (let i = 0; i <= pivot; i++) {
      const scorer = list[i]!;
      const end = scorer.shallowAdvance(pivotDoc);
      if (end < blockEnd) blockEnd = end;
      blockSum += scorer.blockMaxScore();
    }

    if (blockSum * BOUND_SLACK > threshold) {
      if (list[0]!.doc === pivotDoc) {
        let skip = deleted[pivotDoc] === 1;
        if (!skip && excluded) {
          if (excluded.doc < pivotDoc) excluded.advance(pivotDoc);
          skip = excluded.doc === pivotDoc;
        }
        if (!skip) {
          // sum in the query's term order: bit-identical to exhaustive scoring
          let score = 0;
          for (let t = 0; t < n; t++) {
            const scorer = scorers[t]!;
            if (scorer.doc === pivotDoc) score += scorer.score();
          }
          top.offer(score, pivotDoc);
          threshold = top.threshold;
        }
        for (let i = pivot; i >= 0; i--) {
          list[i]!.nextDoc();
          moveRight(i);
        }
      } else {
        // bring the cursor with the largest bound before the pivot up to the pivot doc
        let best = 0;
        for (let i = 1; i < pivot && list[i]!.doc < pivotDoc; i++) {
          if (bounds[i]! > bounds[best]!) best = i;
        }
        list[best]!.advance(pivotDoc);
        moveRight(best);
      }
    } else {
      // no doc up to the end of these blocks can enter: jump past them
      let target = blockEnd === NO_MORE_DOCS ? NO_MORE_DOCS : blockEnd + 1;
      if (pivot + 1 < n && list[pivot + 1]!.doc < target) target = list[pivot + 1]!.doc;
      let best = 0;
      for (let i = 1; i <= pivot; i++) if (bounds[i]! > bounds[best]!) best = i;
      list[best]!.advance(target);
      moveRight(best);
    }
  }
}
