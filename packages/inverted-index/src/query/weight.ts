/**
 * Weights: queries bound to the index statistics (Lucene's `Weight`). A
 * weight computes what does not depend on the document (idf, boosts,
 * average lengths) once, then makes scorers and explanations.
 */

import type { Analyzer } from '../analysis/analyzer.js';
import { forEachBlockMaxWand } from '../collector/block-max-wand.js';
import { forEachExhaustive } from '../collector/exhaustive.js';
import type { TopK } from '../collector/top-k.js';
import type { IndexStore } from '../postings/index-store.js';
import { NO_MORE_DOCS, PostingCursor } from '../postings/posting-cursor.js';
import type { PostingList } from '../postings/posting-list.js';
import { bm25Idf, fieldFrequency, lengthNormalization, saturatedScore } from './bm25.js';
import { type Explanation, explanation } from './explanation.js';
import {
  Bm25fScorer,
  type FieldScoring,
  listBound,
  luceneLengthTable,
  scoringLength,
} from './field-scoring.js';
import { PhraseMatcher } from './phrase-matcher.js';
import type { Scorer } from './scorer.js';

/** Everything a query needs from the index to be bound. */
export interface SearchContext {
  store: IndexStore;
  fieldNames: readonly string[];
  analyzers: readonly Analyzer[];
  /** BM25F weight (boost) per field index. */
  fieldWeights: readonly number[];
  /** b per field index. */
  fieldB: readonly number[];
  k1: number;
  /** Fields searched when a query names none. */
  defaultFields: readonly number[];
  /** All terms, sorted (for prefix expansion). */
  sortedTerms(): readonly string[];
  /** The most terms a prefix or fuzzy query expands to. */
  maxExpansions: number;
  /** Exact field lengths, or Lucene's lossy one-byte norms. */
  lengthNorm: 'exact' | 'lucene';
  /** A term repeated in one query text scores once, or once per repetition. */
  repeatedTerms: 'once' | 'sum';
}

/** A query bound to the index. */
export interface Weight {
  /** @returns a scorer over the matching documents, or null when nothing can match */
  scorer(): Scorer | null;
  /**
   * Offers the live matching documents that can still enter `top` to it
   * (tantivy's `Weight::for_each_pruning`): each weight chooses how. Term
   * weights and flat disjunctions of terms run Block-Max WAND; everything else
   * scores every match ({@link forEachExhaustive}). Either way the top k is
   * exactly that of exhaustive scoring.
   * @param top - the heap to fill
   * @param deleted - deleted flags by doc number
   */
  forEachPruning(top: TopK, deleted: Uint8Array): void;
  /**
   * The term weights whose sum is this weight's score, when it is a term or a
   * disjunction of terms (with at most one required match), else null: what
   * a parent disjunction needs to prune over its clauses.
   */
  pruningTerms(): TermWeight[] | null;
  /**
   * @param doc - a doc number
   * @returns how the doc's score is made, or null when the doc does not match
   */
  explain(doc: number): Explanation | null;
  /** Analyzed terms per field index that a match may show (for highlighting). */
  collectTerms(out: Map<number, Set<string>>): void;
}

function fieldScoring(context: SearchContext, field: number): FieldScoring {
  return {
    field,
    weight: context.fieldWeights[field]!,
    b: context.fieldB[field]!,
    averageLength: context.store.averageLength(field),
    lengths: context.store.lengths[field]!,
    lengthTable: context.lengthNorm === 'lucene' ? luceneLengthTable() : null,
  };
}

function addTerm(out: Map<number, Set<string>>, field: number, term: string): void {
  const set = out.get(field);
  if (set) set.add(term);
  else out.set(field, new Set([term]));
}

/** One term scored with BM25F over a group of fields. */
export class TermWeight implements Weight {
  /** idf of the term over the fields. */
  readonly idf: number;
  readonly docCount: number;
  readonly docFreq: number;
  private readonly lists: PostingList[] = [];
  private readonly scoring: FieldScoring[] = [];

  /**
   * @param context - the index
   * @param term - the analyzed term
   * @param termId - its id
   * @param fields - the fields to score over
   * @param boost - the query boost
   */
  constructor(
    private readonly context: SearchContext,
    readonly term: string,
    termId: number,
    readonly fields: readonly number[],
    readonly boost: number,
  ) {
    const store = context.store;
    let maxDocFreq = 0;
    for (const field of fields) {
      const list = store.postings[field]![termId];
      if (!list || list.docFreq === 0) continue;
      this.lists.push(list);
      this.scoring.push(fieldScoring(context, field));
      maxDocFreq = Math.max(maxDocFreq, list.docFreq);
    }
    if (fields.length === 1) {
      this.docCount = store.fieldDocCount[fields[0]!]!;
      this.docFreq = maxDocFreq;
    } else {
      this.docCount = store.liveCount;
      this.docFreq =
        fields.length === store.fields.length ? store.anyFieldDocFreq[termId]! : maxDocFreq;
    }
    this.idf = bm25Idf(this.docCount, this.docFreq);
  }

  forEachPruning(top: TopK, deleted: Uint8Array): void {
    const scorer = this.scorer();
    if (scorer) forEachBlockMaxWand([scorer], top, deleted, null);
  }

  pruningTerms(): TermWeight[] {
    return [this];
  }

  scorer(): Bm25fScorer | null {
    if (this.lists.length === 0) return null;
    let maxNormalized = 0;
    let cost = 0;
    for (let i = 0; i < this.lists.length; i++) {
      maxNormalized += this.scoring[i]!.weight * listBound(this.lists[i]!, this.scoring[i]!);
      cost += this.lists[i]!.size;
    }
    const cursors = this.lists.map((list) => new PostingCursor(list));
    return new Bm25fScorer(
      cursors,
      this.scoring,
      this.idf * this.boost,
      this.context.k1,
      maxNormalized,
      cost,
    );
  }

  explain(doc: number): Explanation | null {
    const details: Explanation[] = [];
    let normalized = 0;
    for (let i = 0; i < this.lists.length; i++) {
      const cursor = new PostingCursor(this.lists[i]!);
      if (cursor.advance(doc) !== doc) continue;
      const { field, weight, b, averageLength, lengths, lengthTable } = this.scoring[i]!;
      const freq = cursor.freq();
      const length = scoringLength(lengthTable, lengths[doc]!);
      const { a, c } = lengthNormalization(b, averageLength);
      const value = fieldFrequency(weight, freq, a, c, length);
      normalized += value;
      details.push(
        explanation(value, `${this.context.fieldNames[field]}: w * tf / (1 - b + b * dl / avgdl)`, [
          explanation(weight, 'w, field weight'),
          explanation(freq, 'tf, term frequency'),
          explanation(b, 'b, length normalization'),
          explanation(length, lengthTable ? 'dl, field length (Lucene norm)' : 'dl, field length'),
          explanation(averageLength, 'avgdl, average field length'),
        ]),
      );
    }
    if (details.length === 0) return null;
    const k1 = this.context.k1;
    const fieldList = this.scoring.map((s) => this.context.fieldNames[s.field]).join(', ');
    return explanation(
      saturatedScore(this.idf * this.boost, normalized, k1),
      `weight(${this.term} in [${fieldList}]) BM25F, boost * idf * tf~ / (k1 + tf~)`,
      [
        explanation(this.boost, 'boost'),
        explanation(this.idf, 'idf, ln(1 + (N - df + 0.5) / (df + 0.5))', [
          explanation(this.docCount, 'N, documents'),
          explanation(this.docFreq, 'df, documents with the term'),
        ]),
        explanation(normalized, 'tf~, sum over fields', details),
        explanation(k1, 'k1, saturation'),
      ],
    );
  }

  collectTerms(out: Map<number, Set<string>>): void {
    for (const field of this.fields) addTerm(out, field, this.term);
  }
}

/** Several terms in order (with slop), scored with BM25F on the phrase frequency. */
export class PhraseWeight implements Weight {
  private readonly idf: number;
  private readonly perField: { lists: PostingList[]; scoring: FieldScoring }[] = [];

  /**
   * @param context - the index
   * @param terms - the analyzed terms
   * @param termIds - their ids (-1 when not in the dictionary)
   * @param offsets - their positions in the phrase
   * @param fields - fields with positions to search
   * @param slop - allowed moves
   * @param boost - the query boost
   */
  constructor(
    private readonly context: SearchContext,
    readonly terms: readonly string[],
    termIds: readonly number[],
    private readonly offsets: readonly number[],
    readonly fields: readonly number[],
    private readonly slop: number,
    private readonly boost: number,
  ) {
    const store = context.store;
    const docCount = fields.length === 1 ? store.fieldDocCount[fields[0]!]! : store.liveCount;
    let idf = 0;
    for (const id of termIds) {
      let df = 0;
      if (id >= 0)
        for (const field of fields) df = Math.max(df, store.postings[field]![id]?.docFreq ?? 0);
      idf += bm25Idf(docCount, df);
    }
    this.idf = idf;
    if (termIds.some((id) => id < 0)) return;
    for (const field of fields) {
      const lists = termIds.map((id) => store.postings[field]![id]);
      if (lists.every((list) => list !== undefined && list.docFreq > 0)) {
        this.perField.push({
          lists: lists as PostingList[],
          scoring: fieldScoring(context, field),
        });
      }
    }
  }

  forEachPruning(top: TopK, deleted: Uint8Array): void {
    forEachExhaustive(this.scorer(), top, deleted);
  }

  pruningTerms(): null {
    return null;
  }

  scorer(): Bm25fScorer | null {
    if (this.perField.length === 0) return null;
    const matchers = this.perField.map(
      ({ lists }) =>
        new PhraseMatcher(
          lists.map((list) => new PostingCursor(list)),
          this.offsets,
          this.slop,
        ),
    );
    const cost = this.perField.reduce((sum, { lists }) => sum + lists[0]!.size, 0);
    return new Bm25fScorer(
      matchers,
      this.perField.map(({ scoring }) => scoring),
      this.idf * this.boost,
      this.context.k1,
      1e12,
      cost,
    );
  }

  explain(doc: number): Explanation | null {
    const scorer = this.scorer();
    if (!scorer || scorer.advance(doc) !== doc) return null;
    const normalized = scorer.normalizedFrequency();
    return explanation(
      scorer.score(),
      `weight("${this.terms.join(' ')}"~${this.slop}) BM25F on phrase frequency`,
      [
        explanation(this.boost, 'boost'),
        explanation(this.idf, 'idf, sum of the terms idf'),
        explanation(normalized, 'tf~, phrase frequency mixed over fields'),
        explanation(this.context.k1, 'k1, saturation'),
      ],
    );
  }

  collectTerms(out: Map<number, Set<string>>): void {
    for (const field of this.fields) for (const term of this.terms) addTerm(out, field, term);
  }
}

/** A weight that matches nothing (unknown terms, only stopwords). */
export const NO_MATCH: Weight = {
  scorer: () => null,
  forEachPruning: () => {},
  pruningTerms: () => null,
  explain: () => null,
  collectTerms: () => {},
};

/**
 * A weight for a query that analyzed to nothing (only stopwords or
 * punctuation): it matches nothing, and boolean queries drop such clauses,
 * as Lucene's query parser does.
 */
export const EMPTY_QUERY: Weight = {
  scorer: () => null,
  forEachPruning: () => {},
  pruningTerms: () => null,
  explain: () => null,
  collectTerms: () => {},
};

export { NO_MORE_DOCS };
