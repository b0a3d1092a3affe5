/**
 * The token stream every analyzer stage reads and writes: parallel arrays
 * (struct of arrays), one entry per token, so that a field of a million
 * tokens costs five arrays, not a million objects.
 */

/**
 * Token kinds, as Lucene's StandardTokenizer types them. `word` covers
 * letters and digits (<ALPHANUM>, <NUM>); the CJK kinds are one character
 * (`han`, `hiragana`) or a run (`katakana`, `hangul`).
 */
export const TokenKind = {
  word: 0,
  han: 1,
  hiragana: 2,
  katakana: 3,
  hangul: 4,
} as const;

/** One of the values of {@link TokenKind}. */
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/**
 * Tokens as parallel arrays. `positions` are token positions (0, 1, 2, ...);
 * a filter that drops a token (stopwords) leaves a gap, as Lucene does, so
 * phrase queries see the removed word. `starts`/`ends` are UTF-16 offsets
 * of the token in the analyzed text (for snippets).
 *
 * @example
 * ```ts
 * createAnalyzer().analyze("The cat's hat");
 * // { terms: ['cat', 'hat'], positions: [1, 2], starts: [4, 10], ends: [9, 13], kinds: [0, 0] }
 * ```
 */
export interface TokenStream {
  terms: string[];
  positions: number[];
  starts: number[];
  ends: number[];
  kinds: TokenKind[];
}

/**
 * An empty token stream.
 * @returns a stream with no tokens
 * @example
 * ```ts
 * emptyTokenStream().terms.length; // 0
 * ```
 */
export function emptyTokenStream(): TokenStream {
  return { terms: [], positions: [], starts: [], ends: [], kinds: [] };
}

/**
 * Replaces each term by `map(term, kind)`, dropping the token when it
 * returns `null` (its position stays a gap). Works in place.
 * @param stream - the stream to rewrite
 * @param map - the term mapping
 * @returns the same stream, rewritten
 * @example
 * ```ts
 * mapTerms(stream, (term) => (term === 'the' ? null : term));
 * ```
 */
export function mapTerms(
  stream: TokenStream,
  map: (term: string, kind: TokenKind) => string | null,
): TokenStream {
  const { terms, positions, starts, ends, kinds } = stream;
  let out = 0;
  for (let i = 0; i < terms.length; i++) {
    const mapped = map(terms[i]!, kinds[i]!);
    if (mapped === null || mapped.length === 0) continue;
    terms[out] = mapped;
    positions[out] = positions[i]!;
    starts[out] = starts[i]!;
    ends[out] = ends[i]!;
    kinds[out] = kinds[i]!;
    out++;
  }
  if (out !== terms.length) {
    terms.length = out;
    positions.length = out;
    starts.length = out;
    ends.length = out;
    kinds.length = out;
  }
  return stream;
}
