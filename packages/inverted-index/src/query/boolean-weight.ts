/**
 * The boolean weight: `must` clauses all match (their scores add up),
 * `should` clauses add their scores (and at least one must match when
 * there is no `must`, or `minimumShouldMatch` of them), `mustNot` clauses
 * exclude. Built on the combinators of scorer.ts.
 */

import { forEachBlockMaxWand } from '../collector/block-max-wand.js';
import { forEachExhaustive } from '../collector/exhaustive.js';
import type { TopK } from '../collector/top-k.js';
import { type Explanation, explanation } from './explanation.js';
import type { Bm25fScorer } from './field-scoring.js';
import type { Occur } from './query.js';
import {
  ConjunctionScorer,
  DisjunctionScorer,
  RequiredExcludedScorer,
  RequiredOptionalScorer,
  type Scorer,
} from './scorer.js';
import type { TermWeight, Weight } from './weight.js';

/** A bound clause. */
export interface WeightClause {
  occur: Occur;
  weight: Weight;
}

function combine(scorers: Scorer[], conjunction: boolean, minimumMatch = 1): Scorer {
  if (scorers.length === 1) return scorers[0]!;
  return conjunction
    ? new ConjunctionScorer(scorers)
    : new DisjunctionScorer(scorers, minimumMatch);
}

/**
 * Clauses combined with must / should / mustNot.
 *
 * @example
 * ```ts
 * new BooleanWeight([{ occur: 'must', weight: a }, { occur: 'mustNot', weight: b }]).scorer();
 * ```
 */
export class BooleanWeight implements Weight {
  /**
   * @param clauses - the bound clauses
   * @param minimumShouldMatch - how many `should` clauses must match
   */
  constructor(
    readonly clauses: readonly WeightClause[],
    readonly minimumShouldMatch = 0,
  ) {}

  /**
   * Block-Max WAND when the positive clauses are a flat disjunction of terms
   * (at most one required match; `mustNot` clauses exclude), else every match.
   * @param top - the heap to fill
   * @param deleted - deleted flags by doc number
   */
  forEachPruning(top: TopK, deleted: Uint8Array): void {
    const terms = this.positiveTerms();
    if (!terms) {
      forEachExhaustive(this.scorer(), top, deleted);
      return;
    }
    const scorers = terms
      .map((term) => term.scorer())
      .filter((scorer): scorer is Bm25fScorer => scorer !== null);
    const excluded = this.of('mustNot')
      .map((weight) => weight.scorer())
      .filter((scorer): scorer is Scorer => scorer !== null);
    forEachBlockMaxWand(
      scorers,
      top,
      deleted,
      excluded.length > 0 ? combine(excluded, false) : null,
    );
  }

  pruningTerms(): TermWeight[] | null {
    if (this.clauses.some((clause) => clause.occur === 'mustNot')) return null;
    return this.positiveTerms();
  }

  /** The terms of the should clauses, flattened, when there is nothing else but mustNot. */
  private positiveTerms(): TermWeight[] | null {
    if (this.minimumShouldMatch > 1) return null;
    const out: TermWeight[] = [];
    for (const clause of this.clauses) {
      if (clause.occur === 'mustNot') continue;
      if (clause.occur !== 'should') return null;
      const inner = clause.weight.pruningTerms();
      if (!inner) return null;
      out.push(...inner);
    }
    return out;
  }

  private of(occur: Occur): Weight[] {
    return this.clauses.filter((clause) => clause.occur === occur).map((clause) => clause.weight);
  }

  scorer(): Scorer | null {
    const musts: Scorer[] = [];
    for (const weight of this.of('must')) {
      const scorer = weight.scorer();
      if (!scorer) return null;
      musts.push(scorer);
    }
    const shoulds = this.of('should')
      .map((weight) => weight.scorer())
      .filter((scorer): scorer is Scorer => scorer !== null);
    const minimum = this.minimumShouldMatch;
    if (shoulds.length < minimum) return null;
    let required: Scorer;
    if (musts.length > 0) {
      required = combine(musts, true);
      if (shoulds.length > 0) {
        required =
          minimum > 0
            ? new ConjunctionScorer([required, combine(shoulds, false, minimum)])
            : new RequiredOptionalScorer(required, combine(shoulds, false));
      }
    } else {
      if (shoulds.length === 0) return null;
      required = combine(shoulds, false, Math.max(1, minimum));
    }
    const excluded = this.of('mustNot')
      .map((weight) => weight.scorer())
      .filter((scorer): scorer is Scorer => scorer !== null);
    if (excluded.length > 0)
      required = new RequiredExcludedScorer(required, combine(excluded, false));
    return required;
  }

  explain(doc: number): Explanation | null {
    const details: Explanation[] = [];
    for (const weight of this.of('must')) {
      const part = weight.explain(doc);
      if (!part) return null;
      details.push(part);
    }
    let shouldMatches = 0;
    for (const weight of this.of('should')) {
      const part = weight.explain(doc);
      if (part) {
        shouldMatches++;
        details.push(part);
      }
    }
    const hasMust = this.clauses.some((clause) => clause.occur === 'must');
    if (shouldMatches < this.minimumShouldMatch || (!hasMust && shouldMatches === 0)) return null;
    for (const weight of this.of('mustNot')) if (weight.explain(doc)) return null;
    const value = details.reduce((sum, detail) => sum + detail.value, 0);
    return explanation(value, 'sum of:', details);
  }

  collectTerms(out: Map<number, Set<string>>): void {
    for (const clause of this.clauses)
      if (clause.occur !== 'mustNot') clause.weight.collectTerms(out);
  }
}
