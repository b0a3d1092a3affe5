/**
 * Chooses the collector for a bound query: Block-Max WAND when the query is
 * a disjunction of terms (optionally with excluded clauses), the common
 * bag-of-words case, and exhaustive scoring otherwise.
 */

import { BooleanWeight } from '../query/boolean-weight.js';
import type { Bm25fScorer } from '../query/field-scoring.js';
import { DisjunctionScorer, type Scorer } from '../query/scorer.js';
import { TermWeight, type Weight } from '../query/weight.js';
import { collectBlockMaxWand } from './block-max-wand.js';
import { collectExhaustive } from './exhaustive.js';
import type { TopK } from './top-k.js';

/** Term weights of a flat disjunction (what Block-Max WAND handles), or null. */
function flatTerms(weight: Weight): TermWeight[] | null {
  if (weight instanceof TermWeight) return [weight];
  if (!(weight instanceof BooleanWeight) || weight.minimumShouldMatch > 1) return null;
  const out: TermWeight[] = [];
  for (const clause of weight.clauses) {
    if (clause.occur !== 'should') return null;
    const inner = flatTerms(clause.weight);
    if (!inner) return null;
    out.push(...inner);
  }
  return out;
}

/**
 * Collects the top k live documents of a weight.
 * @param weight - the bound query
 * @param k - how many hits
 * @param deleted - deleted flags by doc number
 * @param pruning - allow Block-Max WAND
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
  if (pruning) {
    let terms = flatTerms(weight);
    let excluded: Scorer | null = null;
    if (!terms && weight instanceof BooleanWeight && weight.minimumShouldMatch <= 1) {
      const positive = weight.clauses.filter((clause) => clause.occur !== 'mustNot');
      const negative = weight.clauses.filter((clause) => clause.occur === 'mustNot');
      terms = positive.every((clause) => clause.occur === 'should')
        ? flatTerms(new BooleanWeight(positive))
        : null;
      const scorers = negative
        .map((clause) => clause.weight.scorer())
        .filter((scorer): scorer is Scorer => scorer !== null);
      excluded = scorers.length > 0 ? new DisjunctionScorer(scorers) : null;
    }
    if (terms) {
      const scorers = terms
        .map((term) => term.scorer())
        .filter((scorer): scorer is Bm25fScorer => scorer !== null);
      return collectBlockMaxWand(scorers, k, deleted, excluded);
    }
  }
  return collectExhaustive(weight.scorer(), k, deleted);
}
