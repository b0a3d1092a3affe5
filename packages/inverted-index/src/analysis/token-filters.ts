/**
 * The per-token filters of the English analysis chain, each a small
 * {@link TokenFilter}: possessive removal, lowercase, ASCII folding,
 * stopwords and Porter stemming (Lucene's `EnglishPossessiveFilter`,
 * `LowerCaseFilter`, `ASCIIFoldingFilter`, `StopFilter`, `PorterStemFilter`).
 */

import { stemmer } from 'stemmer';
import { mapTerms, TokenKind, type TokenStream } from './token-stream.js';

/**
 * One stage of an analyzer after the tokenizer. `apply` may rewrite the
 * stream in place; it receives the original text for filters that need it
 * (dictionary segmentation).
 */
export interface TokenFilter {
  /** A short name, shown by `Analyzer.describe()`. */
  readonly name: string;
  /**
   * @param stream - the tokens so far
   * @param text - the analyzed text
   * @returns the rewritten tokens
   */
  apply(stream: TokenStream, text: string): TokenStream;
  /**
   * For filters that map each term on its own (a pure function of the term
   * and its kind): the mapping, `null` to drop. Analyzers fuse runs of such
   * filters into one pass with one cache.
   */
  readonly mapTerm?: (term: string, kind: TokenKind) => string | null;
}

function termFilter(
  name: string,
  map: (term: string, kind: TokenKind) => string | null,
): TokenFilter {
  return { name, mapTerm: map, apply: (stream) => mapTerms(stream, map) };
}

/**
 * Removes a trailing English possessive `'s` (also with `’` or `＇`), as
 * Lucene's EnglishPossessiveFilter does: `John's` -> `John`.
 * @returns the filter
 * @example
 * ```ts
 * possessiveFilter().apply(standardTokenize("the cat's toy"), '').terms; // ['the', 'cat', 'toy']
 * ```
 */
export function possessiveFilter(): TokenFilter {
  return termFilter('possessive', (term) => {
    const n = term.length;
    if (n < 3) return term;
    const last = term.charCodeAt(n - 1);
    if (last !== 0x73 && last !== 0x53) return term; // s, S
    const quote = term.charCodeAt(n - 2);
    return quote === 0x27 || quote === 0x2019 || quote === 0xff07 ? term.slice(0, n - 2) : term;
  });
}

/**
 * Lowercases every term (`String.prototype.toLowerCase`, locale-free).
 * @returns the filter
 * @example
 * ```ts
 * lowercaseFilter().apply(standardTokenize('DNA Repair'), '').terms; // ['dna', 'repair']
 * ```
 */
export function lowercaseFilter(): TokenFilter {
  return termFilter('lowercase', (term) => term.toLowerCase());
}

const nonAscii = /[^\p{ASCII}]/u;
const marks = /\p{M}/gu;
const specialFolds: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const specialPattern = new RegExp(`[${Object.keys(specialFolds).join('')}]`, 'g');

/**
 * Folds accented Latin letters to ASCII (`café` -> `cafe`, `straße` ->
 * `strasse`): Unicode decomposition without combining marks, plus the
 * letters that do not decompose. Non-Latin scripts pass unchanged.
 * @returns the filter
 * @example
 * ```ts
 * asciiFoldingFilter().apply(standardTokenize('naïve café'), '').terms; // ['naive', 'cafe']
 * ```
 */
export function asciiFoldingFilter(): TokenFilter {
  const fold = (term: string): string => {
    if (!nonAscii.test(term)) return term;
    return term
      .replace(specialPattern, (char) => specialFolds[char] ?? char)
      .normalize('NFD')
      .replace(marks, '')
      .normalize('NFC');
  };
  return termFilter('ascii-folding', fold);
}

/**
 * Drops the terms in `words` (compared after earlier filters, so put it
 * after lowercase). The dropped positions stay as gaps.
 * @param words - the stopwords
 * @returns the filter
 * @example
 * ```ts
 * stopFilter(['the']).apply(standardTokenize('the end'), '').positions; // [1]
 * ```
 */
export function stopFilter(words: Iterable<string>): TokenFilter {
  const set = new Set(words);
  return termFilter('stop', (term) => (set.has(term) ? null : term));
}

/**
 * Porter stemming (M. F. Porter, "An algorithm for suffix stripping", 1980;
 * the `stemmer` package, which like Lucene's PorterStemmer follows Porter's
 * own C version) of word tokens; CJK tokens pass unchanged. Stems are cached.
 * @param cacheLimit - stems remembered before the cache is cleared
 * @default cacheLimit 200000
 * @returns the filter
 * @example
 * ```ts
 * porterStemFilter().apply(standardTokenize('running studies'), '').terms; // ['run', 'studi']
 * ```
 */
export function porterStemFilter(cacheLimit = 200_000): TokenFilter {
  const cache = new Map<string, string>();
  const stem = (term: string, kind: TokenKind): string => {
    if (kind !== TokenKind.word || term.length < 3) return term;
    let stemmed = cache.get(term);
    if (stemmed === undefined) {
      stemmed = /[a-z]/.test(term) ? stemmer(term) : term;
      if (cache.size >= cacheLimit) cache.clear();
      cache.set(term, stemmed);
    }
    return stemmed;
  };
  return termFilter('porter', stem);
}
