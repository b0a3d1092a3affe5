/**
 * The BM25F scorer: mixes the per-field frequencies of one term (or one
 * phrase) across fields, normalized by each field's length, then saturates
 * (see bm25.ts). Over posting cursors it also gives Block-Max WAND its
 * bounds: a global maximum from every block's (max frequency, min length),
 * and per-block maxima after a shallow advance.
 */

import { NO_MORE_DOCS, type PostingCursor } from '../postings/posting-cursor.js';
import type { PostingList } from '../postings/posting-list.js';
import { fieldFrequency, lengthNormalization, luceneLength, saturatedScore } from './bm25.js';
import type { Scorer } from './scorer.js';

/** What scoring needs to know of one field, bound to the current statistics. */
export interface FieldScoring {
  /** Field index. */
  field: number;
  /** BM25F weight w_f (the field boost). */
  weight: number;
  /** Length normalization b_f. */
  b: number;
  /** Average field length. */
  averageLength: number;
  /** Field lengths by doc number. */
  lengths: Int32Array;
  /** Maps a length to the length scoring uses (Lucene's lossy norm), or null for exact lengths. */
  lengthTable: Int32Array | null;
}

const LUCENE_TABLE_SIZE = 1 << 16;
let luceneTable: Int32Array | null = null;

/**
 * The table of Lucene's lossy lengths for lengths below 65,536.
 * @returns the shared table
 */
export function luceneLengthTable(): Int32Array {
  if (!luceneTable) {
    luceneTable = new Int32Array(LUCENE_TABLE_SIZE);
    for (let i = 0; i < LUCENE_TABLE_SIZE; i++) luceneTable[i] = luceneLength(i);
  }
  return luceneTable;
}

/**
 * The length scoring uses for a field length.
 * @param table - the length table, or null for exact lengths
 * @param length - the field length
 * @returns the length to score with
 */
export function scoringLength(table: Int32Array | null, length: number): number {
  if (table === null) return length;
  return length < table.length ? table[length]! : luceneLength(length);
}

/** Something that iterates documents with a frequency: a posting cursor or a phrase matcher. */
export interface FrequencySource {
  doc: number;
  nextDoc(): number;
  advance(target: number): number;
  freq(): number;
}

/**
 * The largest normalized frequency any document of `list` can reach.
 * @param list - the postings
 * @param scoring - the field's statistics
 * @returns max over blocks of maxFreq / (1 - b + b * minLength / avgdl)
 */
export function listBound(list: PostingList, scoring: FieldScoring): number {
  const { a, c } = lengthNormalization(scoring.b, scoring.averageLength);
  let bound = 0;
  const table = scoring.lengthTable;
  for (let i = 0; i < list.blockCount; i++) {
    const length = scoringLength(table, list.blockMinLength[i]!);
    const value = fieldFrequency(1, list.blockMaxFreq[i]!, a, c, length);
    if (value > bound) bound = value;
  }
  if (list.tailDocs.length > 0) {
    const value = fieldFrequency(
      1,
      list.tailMaxFreq,
      a,
      c,
      scoringLength(table, list.tailMinLength),
    );
    if (value > bound) bound = value;
  }
  return bound;
}

/**
 * Scores one term or phrase over several fields with BM25F.
 *
 * @example
 * ```ts
 * const scorer = new Bm25fScorer([cursor], [scoring], idf, 0.9, bound);
 * scorer.nextDoc(); scorer.score();
 * ```
 */
export class Bm25fScorer implements Scorer {
  doc = -1;
  readonly cost: number;
  readonly maxScore: number;
  private readonly a: Float64Array;
  private readonly c: Float64Array;
  private readonly w: Float64Array;

  /**
   * @param sources - one frequency source per field, in the order of `fields`
   * @param fields - the fields' statistics
   * @param weight - idf times boost
   * @param k1 - saturation
   * @param maxNormalized - an upper bound of the mixed normalized frequency tf~
   * @param cost - postings to visit, an estimate
   */
  constructor(
    readonly sources: FrequencySource[],
    readonly fields: FieldScoring[],
    readonly weight: number,
    readonly k1: number,
    maxNormalized: number,
    cost: number,
  ) {
    const norms = fields.map((field) => lengthNormalization(field.b, field.averageLength));
    this.a = Float64Array.from(norms, (norm) => norm.a);
    this.c = Float64Array.from(norms, (norm) => norm.c);
    this.w = Float64Array.from(fields, (field) => field.weight);
    this.maxScore = saturatedScore(weight, maxNormalized, k1);
    this.cost = cost;
  }

  private settle(): number {
    let min = NO_MORE_DOCS;
    for (const source of this.sources) if (source.doc < min) min = source.doc;
    this.doc = min;
    return this.doc;
  }

  nextDoc(): number {
    const sources = this.sources;
    if (sources.length === 1) {
      this.doc = sources[0]!.nextDoc();
      return this.doc;
    }
    const current = this.doc;
    for (const source of sources) if (source.doc <= current) source.nextDoc();
    return this.settle();
  }

  advance(target: number): number {
    const sources = this.sources;
    if (sources.length === 1) {
      this.doc = sources[0]!.advance(target);
      return this.doc;
    }
    for (const source of sources) if (source.doc < target) source.advance(target);
    return this.settle();
  }

  /** @returns the mixed normalized frequency tf~ of the current doc */
  normalizedFrequency(): number {
    const doc = this.doc;
    const sources = this.sources;
    if (sources.length === 1) {
      const scoring = this.fields[0]!;
      const length = scoringLength(scoring.lengthTable, scoring.lengths[doc]!);
      return fieldFrequency(this.w[0]!, sources[0]!.freq(), this.a[0]!, this.c[0]!, length);
    }
    let sum = 0;
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i]!;
      if (source.doc !== doc) continue;
      const scoring = this.fields[i]!;
      const length = scoringLength(scoring.lengthTable, scoring.lengths[doc]!);
      sum += fieldFrequency(this.w[i]!, source.freq(), this.a[i]!, this.c[i]!, length);
    }
    return sum;
  }

  /**
   * One field's share of tf~ for the current doc, as {@link normalizedFrequency} sums it.
   * @param i - the field's position in `fields`
   * @param freq - its frequency in the doc
   * @returns w * tf / (a + c * |d|)
   */
  fieldShare(i: number, freq: number): number {
    const scoring = this.fields[i]!;
    const length = scoringLength(scoring.lengthTable, scoring.lengths[this.doc]!);
    return fieldFrequency(this.w[i]!, freq, this.a[i]!, this.c[i]!, length);
  }

  score(): number {
    return saturatedScore(this.weight, this.normalizedFrequency(), this.k1);
  }

  /** End of the block range of the last shallowAdvance (-1 before the first). */
  private blockEnd = -1;
  /** Score bound over that range. */
  private blockMax = 0;

  /**
   * Moves every cursor's skip pointer to the block holding `target`
   * (posting cursors only; targets never decrease). The bound is cached
   * until a target passes the end of the range.
   * @param target - a doc number
   * @returns the last doc for which {@link blockMaxScore} holds
   */
  shallowAdvance(target: number): number {
    if (target <= this.blockEnd) return this.blockEnd;
    let end = NO_MORE_DOCS;
    let sum = 0;
    const sources = this.sources;
    for (let i = 0; i < sources.length; i++) {
      const cursor = sources[i] as PostingCursor;
      const blockEnd = cursor.shallowAdvance(target);
      if (blockEnd < end) end = blockEnd;
      const maxFreq = cursor.blockMaxFreq();
      if (maxFreq === 0) continue;
      const minLength = scoringLength(this.fields[i]!.lengthTable, cursor.blockMinLength());
      sum += fieldFrequency(this.w[i]!, maxFreq, this.a[i]!, this.c[i]!, minLength);
    }
    this.blockEnd = end;
    this.blockMax = saturatedScore(this.weight, sum, this.k1);
    return end;
  }

  /** @returns an upper bound of the score up to the end returned by the last shallowAdvance */
  blockMaxScore(): number {
    return this.blockMax;
  }
}
