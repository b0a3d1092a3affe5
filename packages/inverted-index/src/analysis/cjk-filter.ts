/**
 * CJK handling after the tokenizer, which emits each Han and Hiragana
 * character alone and Katakana / Hangul runs whole:
 *
 * - `bigram-unigram` (the default, as Lucene's CJKBigramFilter with
 *   `outputUnigrams`): every character is indexed as a unigram and, with the
 *   next one, as a bigram at the same position, `中华人` -> `中`, `中华`,
 *   `华`, `华人`, `人`. Queries analyze with `bigram` (below), so a query of
 *   two or more characters matches by its bigrams, as before, and a lone
 *   character (`书`, or the odd one out in `看 书`) matches its unigram.
 * - `bigram` (Lucene's CJKAnalyzer / CJKBigramFilter): characters of
 *   adjacent CJK tokens (no gap in the text) form overlapping bigrams,
 *   `中华人民` -> `中华`, `华人`, `人民`; a lone character stays a unigram.
 *   Indexed this way, a one-character query matches only documents where
 *   that character stands alone.
 * - `unigram`: one token per character.
 * - `dictionary`: runs of Han characters go through a {@link WordSegmenter}
 *   (a dictionary word segmenter such as jieba); other CJK runs get bigrams.
 */

import type { TokenFilter } from './token-filters.js';
import { TokenKind, type TokenStream } from './token-stream.js';

/** A dictionary word segmenter: splits a run of Han text into words. */
export interface WordSegmenter {
  /** A short name, stored with the analyzer description (`jieba`). */
  readonly name: string;
  /**
   * @param text - a run of Han characters without spaces
   * @returns the words, in order, whose concatenation is `text`
   */
  segment(text: string): string[];
}

/** How {@link cjkFilter} splits CJK text. */
export type CjkMode = 'bigram-unigram' | 'bigram' | 'unigram' | 'dictionary';

/** The CJK modes, for validation. */
export const CJK_MODES: readonly CjkMode[] = ['bigram-unigram', 'bigram', 'unigram', 'dictionary'];

/**
 * The mode queries are analyzed with for an index mode: `bigram` for
 * `bigram-unigram` (bigrams for runs, the unigram for a lone character), the
 * index mode otherwise.
 * @param mode - the index-time mode
 * @returns the query-time mode
 * @example
 * ```ts
 * queryCjkMode('bigram-unigram'); // 'bigram'
 * ```
 */
export function queryCjkMode(mode: CjkMode): CjkMode {
  return mode === 'bigram-unigram' ? 'bigram' : mode;
}

function splitCodePoints(text: string, offset: number, out: [string, number][]): void {
  let i = 0;
  for (const char of text) {
    out.push([char, offset + i]);
    i += char.length;
  }
}

/**
 * Reworks CJK tokens into bigrams (with unigrams), unigrams or dictionary words.
 * @param mode - `bigram-unigram`, `bigram`, `unigram` or `dictionary`
 * @param segmenter - the word segmenter, required for `dictionary`
 * @default mode 'bigram-unigram'
 * @returns the filter
 * @example
 * ```ts
 * cjkFilter('bigram').apply(standardTokenize('学而时习之'), '学而时习之').terms;
 * // ['学而', '而时', '时习', '习之']
 * cjkFilter('bigram-unigram').apply(standardTokenize('时习之'), '时习之').terms;
 * // ['时', '时习', '习', '习之', '之'] (positions 0, 0, 1, 1, 2)
 * ```
 */
export function cjkFilter(
  mode: CjkMode = 'bigram-unigram',
  segmenter?: WordSegmenter,
): TokenFilter {
  return {
    name: mode === 'dictionary' ? `cjk-${segmenter?.name ?? 'dictionary'}` : `cjk-${mode}`,
    apply(stream: TokenStream, text: string): TokenStream {
      const { terms, positions, starts, ends, kinds } = stream;
      if (!kinds.some((kind) => kind !== TokenKind.word)) return stream;
      const out: TokenStream = { terms: [], positions: [], starts: [], ends: [], kinds: [] };
      let position = -1;
      let previousInput = -1;
      const emit = (term: string, start: number, end: number, kind: TokenKind, gap: number) => {
        position += 1 + gap;
        out.terms.push(term);
        out.positions.push(position);
        out.starts.push(start);
        out.ends.push(end);
        out.kinds.push(kind);
      };
      let i = 0;
      while (i < terms.length) {
        const gap = previousInput < 0 ? positions[i]! : positions[i]! - previousInput - 1;
        if (kinds[i] === TokenKind.word) {
          emit(terms[i]!, starts[i]!, ends[i]!, TokenKind.word, gap);
          previousInput = positions[i]!;
          i++;
          continue;
        }
        // a run of CJK tokens with no gap between them in the text
        let j = i + 1;
        while (j < terms.length && kinds[j] !== TokenKind.word && starts[j] === ends[j - 1]) j++;
        const runStart = starts[i]!;
        const runEnd = ends[j - 1]!;
        const allHan = kinds.slice(i, j).every((kind) => kind === TokenKind.han);
        const kind = kinds[i]!;
        if (mode === 'dictionary' && segmenter && allHan) {
          let offset = runStart;
          let first = true;
          for (const word of segmenter.segment(text.slice(runStart, runEnd))) {
            if (word.trim().length > 0)
              emit(word, offset, offset + word.length, kind, first ? gap : 0);
            first = false;
            offset += word.length;
          }
        } else {
          const chars: [string, number][] = [];
          for (let t = i; t < j; t++) splitCodePoints(terms[t]!, starts[t]!, chars);
          if (mode === 'bigram-unigram') {
            chars.forEach(([char, start], index) => {
              emit(char, start, start + char.length, kind, index === 0 ? gap : 0);
              const next = chars[index + 1];
              if (next) {
                // the bigram at the unigram's position (position increment 0)
                position -= 1;
                emit(char + next[0], start, next[1] + next[0].length, kind, 0);
              }
            });
          } else if (mode === 'unigram' || chars.length === 1) {
            chars.forEach(([char, start], index) =>
              emit(char, start, start + char.length, kind, index === 0 ? gap : 0),
            );
          } else {
            for (let c = 0; c + 1 < chars.length; c++) {
              const [a, start] = chars[c]!;
              const [b, bStart] = chars[c + 1]!;
              emit(a + b, start, bStart + b.length, kind, c === 0 ? gap : 0);
            }
          }
        }
        previousInput = positions[j - 1]!;
        i = j;
      }
      return out;
    },
  };
}
