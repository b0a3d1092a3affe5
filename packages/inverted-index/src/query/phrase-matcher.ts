/**
 * Phrase matching in one field: a conjunction of the phrase terms' posting
 * cursors, then a check of their positions. Each term's positions are
 * shifted by its offset in the phrase, so an exact match is where all
 * shifted positions are equal. With slop, a match is a window whose shifted
 * positions differ by at most `slop`, and counts 1 / (1 + spread), as
 * Lucene's sloppy phrase frequency does.
 */

import { NO_MORE_DOCS, type PostingCursor } from '../postings/posting-cursor.js';
import type { FrequencySource } from './field-scoring.js';

/**
 * The phrase frequency of shifted position lists.
 * @param lists - per phrase term, positions minus the term's offset in the phrase, ascending
 * @param slop - allowed spread
 * @returns the number of matches (exact) or the sum of 1 / (1 + spread) (sloppy)
 * @example
 * ```ts
 * phraseFrequency([Int32Array.of(3, 9), Int32Array.of(3, 12)], 0); // 1
 * ```
 */
export function phraseFrequency(lists: readonly Int32Array[], slop: number): number {
  const n = lists.length;
  const at = new Int32Array(n);
  let freq = 0;
  for (;;) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let minIndex = 0;
    for (let i = 0; i < n; i++) {
      if (at[i]! >= lists[i]!.length) return freq;
      const value = lists[i]![at[i]!]!;
      if (value < min) {
        min = value;
        minIndex = i;
      }
      if (value > max) max = value;
    }
    const spread = max - min;
    if (spread <= slop) freq += slop === 0 ? 1 : 1 / (1 + spread);
    at[minIndex]!++;
  }
}

/**
 * Documents where the phrase occurs in one field; `freq()` is the phrase frequency.
 *
 * @example
 * ```ts
 * const matcher = new PhraseMatcher([sideCursor, effectCursor], [0, 1], 0);
 * matcher.nextDoc(); matcher.freq(); // 1
 * ```
 */
export class PhraseMatcher implements FrequencySource {
  doc = -1;
  private frequency = 0;
  private readonly shifted: Int32Array[];
  private readonly order: number[];

  /**
   * @param cursors - one cursor per phrase term
   * @param offsets - each term's position in the phrase
   * @param slop - allowed spread
   */
  constructor(
    private readonly cursors: PostingCursor[],
    private readonly offsets: readonly number[],
    private readonly slop: number,
  ) {
    this.shifted = cursors.map(() => new Int32Array(0));
    this.order = cursors
      .map((_, i) => i)
      .sort((x, y) => cursors[x]!.list.size - cursors[y]!.list.size);
  }

  private candidate(doc: number): number {
    const cursors = this.cursors;
    const lead = cursors[this.order[0]!]!;
    for (;;) {
      if (doc === NO_MORE_DOCS) {
        this.doc = NO_MORE_DOCS;
        return this.doc;
      }
      let aligned = true;
      for (let k = 1; k < this.order.length; k++) {
        const cursor = cursors[this.order[k]!]!;
        const reached = cursor.doc < doc ? cursor.advance(doc) : cursor.doc;
        if (reached > doc) {
          doc = lead.advance(reached);
          aligned = false;
          break;
        }
      }
      if (!aligned) continue;
      for (let i = 0; i < cursors.length; i++) {
        const positions = cursors[i]!.positions();
        const shifted = new Int32Array(positions.length);
        for (let p = 0; p < positions.length; p++) shifted[p] = positions[p]! - this.offsets[i]!;
        this.shifted[i] = shifted;
      }
      const frequency = phraseFrequency(this.shifted, this.slop);
      if (frequency > 0) {
        this.frequency = frequency;
        this.doc = doc;
        return this.doc;
      }
      doc = lead.nextDoc();
    }
  }

  nextDoc(): number {
    return this.candidate(this.cursors[this.order[0]!]!.nextDoc());
  }

  advance(target: number): number {
    return this.candidate(this.cursors[this.order[0]!]!.advance(target));
  }

  freq(): number {
    return this.frequency;
  }
}
