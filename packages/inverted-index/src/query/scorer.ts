/**
 * Scorers iterate the matching documents of a bound query in doc order and
 * score them (Lucene's `Scorer` / `DocIdSetIterator`), and this file holds
 * the boolean combinators: conjunction (leapfrog), disjunction with a
 * minimum match count, required-with-optional and required-minus-excluded.
 */

import { NO_MORE_DOCS } from '../postings/posting-cursor.js';

/** A document iterator that scores. */
export interface Scorer {
  /** The current doc number; -1 before the first move, NO_MORE_DOCS at the end. */
  doc: number;
  /** @returns the next matching doc, or NO_MORE_DOCS */
  nextDoc(): number;
  /**
   * @param target - a doc number above the current one
   * @returns the first matching doc at or after `target`, or NO_MORE_DOCS
   */
  advance(target: number): number;
  /** @returns the score of the current doc */
  score(): number;
  /** An upper bound of every score this scorer can return. */
  readonly maxScore: number;
  /** A size estimate (postings to visit), to order conjunctions. */
  readonly cost: number;
}

/** Documents that match every scorer; the score is the sum. */
export class ConjunctionScorer implements Scorer {
  doc = -1;
  readonly maxScore: number;
  readonly cost: number;
  private readonly scorers: Scorer[];

  /** @param scorers - at least one scorer */
  constructor(scorers: Scorer[]) {
    this.scorers = [...scorers].sort((a, b) => a.cost - b.cost);
    this.maxScore = scorers.reduce((sum, scorer) => sum + scorer.maxScore, 0);
    this.cost = this.scorers[0]!.cost;
  }

  private align(doc: number): number {
    const scorers = this.scorers;
    outer: for (;;) {
      if (doc === NO_MORE_DOCS) {
        this.doc = NO_MORE_DOCS;
        return this.doc;
      }
      for (let i = 1; i < scorers.length; i++) {
        const other = scorers[i]!;
        const reached = other.doc < doc ? other.advance(doc) : other.doc;
        if (reached > doc) {
          doc = scorers[0]!.advance(reached);
          continue outer;
        }
      }
      this.doc = doc;
      return this.doc;
    }
  }

  nextDoc(): number {
    return this.align(this.scorers[0]!.nextDoc());
  }

  advance(target: number): number {
    return this.align(this.scorers[0]!.advance(target));
  }

  score(): number {
    let sum = 0;
    for (const scorer of this.scorers) sum += scorer.score();
    return sum;
  }
}

/** Documents that match at least `minimumMatch` scorers; the score sums the matching ones. */
export class DisjunctionScorer implements Scorer {
  doc = -1;
  readonly maxScore: number;
  readonly cost: number;

  /**
   * @param scorers - the alternatives
   * @param minimumMatch - how many must match
   */
  constructor(
    private readonly scorers: Scorer[],
    private readonly minimumMatch = 1,
  ) {
    this.maxScore = scorers.reduce((sum, scorer) => sum + scorer.maxScore, 0);
    this.cost = scorers.reduce((sum, scorer) => sum + scorer.cost, 0);
  }

  private settle(): number {
    const scorers = this.scorers;
    for (;;) {
      let min = NO_MORE_DOCS;
      for (const scorer of scorers) if (scorer.doc < min) min = scorer.doc;
      if (min === NO_MORE_DOCS) {
        this.doc = NO_MORE_DOCS;
        return this.doc;
      }
      let matches = 0;
      for (const scorer of scorers) if (scorer.doc === min) matches++;
      if (matches >= this.minimumMatch) {
        this.doc = min;
        return this.doc;
      }
      for (const scorer of scorers) if (scorer.doc === min) scorer.nextDoc();
    }
  }

  nextDoc(): number {
    const current = this.doc;
    for (const scorer of this.scorers) if (scorer.doc <= current) scorer.nextDoc();
    return this.settle();
  }

  advance(target: number): number {
    for (const scorer of this.scorers) if (scorer.doc < target) scorer.advance(target);
    return this.settle();
  }

  score(): number {
    let sum = 0;
    for (const scorer of this.scorers) if (scorer.doc === this.doc) sum += scorer.score();
    return sum;
  }
}

/** The documents of `required`; `optional` adds its score where it matches too. */
export class RequiredOptionalScorer implements Scorer {
  doc = -1;
  readonly maxScore: number;
  readonly cost: number;

  /**
   * @param required - decides the matches
   * @param optional - adds to the score
   */
  constructor(
    private readonly required: Scorer,
    private readonly optional: Scorer,
  ) {
    this.maxScore = required.maxScore + optional.maxScore;
    this.cost = required.cost;
  }

  nextDoc(): number {
    this.doc = this.required.nextDoc();
    return this.doc;
  }

  advance(target: number): number {
    this.doc = this.required.advance(target);
    return this.doc;
  }

  score(): number {
    const doc = this.doc;
    let sum = this.required.score();
    const optional = this.optional;
    if (optional.doc < doc) optional.advance(doc);
    if (optional.doc === doc) sum += optional.score();
    return sum;
  }
}

/** The documents of `required` that `excluded` does not match. */
export class RequiredExcludedScorer implements Scorer {
  doc = -1;
  readonly maxScore: number;
  readonly cost: number;

  /**
   * @param required - decides the matches
   * @param excluded - removes matches
   */
  constructor(
    private readonly required: Scorer,
    private readonly excluded: Scorer,
  ) {
    this.maxScore = required.maxScore;
    this.cost = required.cost;
  }

  private skipExcluded(doc: number): number {
    while (doc !== NO_MORE_DOCS) {
      const excluded = this.excluded;
      if (excluded.doc < doc) excluded.advance(doc);
      if (excluded.doc !== doc) break;
      doc = this.required.nextDoc();
    }
    this.doc = doc;
    return this.doc;
  }

  nextDoc(): number {
    return this.skipExcluded(this.required.nextDoc());
  }

  advance(target: number): number {
    return this.skipExcluded(this.required.advance(target));
  }

  score(): number {
    return this.required.score();
  }
}
