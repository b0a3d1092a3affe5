/**
 * BM25 and BM25F as small pure functions.
 *
 * BM25 (Robertson et al., Okapi at TREC-3, 1994), in Lucene's form (since
 * Lucene 8 without the constant (k1 + 1) factor, which does not change the
 * ranking):
 *
 *   idf(t)      = ln(1 + (N - df + 0.5) / (df + 0.5))
 *   score(t, d) = boost * idf(t) * tf / (tf + k1 * (1 - b + b * |d| / avgdl))
 *
 * BM25F (Robertson, Zaragoza & Taylor, "Simple BM25 extension to multiple
 * weighted fields", CIKM 2004) first mixes the length-normalized frequencies
 * of the fields with their weights w_f, then saturates once:
 *
 *   tf~(t, d)   = sum_f w_f * tf_f / (1 - b_f + b_f * |d_f| / avgdl_f)
 *   score(t, d) = boost * idf(t) * tf~ / (k1 + tf~)
 *
 * With one field and w = 1 this is exactly BM25.
 *
 * This file is the one place the formula is written: the scorers
 * (field-scoring.ts), their bounds for Block-Max WAND and the explanations
 * (weight.ts) call {@link lengthNormalization}, {@link fieldFrequency} and
 * {@link saturatedScore}, so a score, its bound and its explanation agree to
 * the last bit.
 */

/** BM25 parameters. */
export interface Bm25Parameters {
  /**
   * Term-frequency saturation, `k1` in the BM25 papers; range [0, ~3].
   * @default 1.2 (Lucene and Elasticsearch; Anserini uses 0.9)
   */
  k1: number;
  /**
   * Length normalization, `b` in the BM25 papers; range [0, 1].
   * @default 0.75 (Lucene and Elasticsearch; Anserini uses 0.4)
   */
  b: number;
}

/**
 * The defaults: k1 = 1.2, b = 0.75 (Lucene's and Elasticsearch's), chosen
 * with the rest of the default ranking on SciFact's train claims.
 */
export const DEFAULT_BM25: Readonly<Bm25Parameters> = Object.freeze({ k1: 1.2, b: 0.75 });

/** Lucene's and Elasticsearch's defaults, k1 = 1.2, b = 0.75 (today's {@link DEFAULT_BM25}). */
export const LUCENE_BM25: Readonly<Bm25Parameters> = Object.freeze({ k1: 1.2, b: 0.75 });

/** Anserini's BEIR settings, k1 = 0.9, b = 0.4 (`preset: 'anserini'`; the defaults before 0.1). */
export const ANSERINI_BM25: Readonly<Bm25Parameters> = Object.freeze({ k1: 0.9, b: 0.4 });

/**
 * Inverse document frequency, Lucene's BM25 form (always positive).
 * @param docCount - N, documents in the collection
 * @param docFreq - df, documents containing the term
 * @returns ln(1 + (N - df + 0.5) / (df + 0.5))
 * @example
 * ```ts
 * bm25Idf(10, 1); // 2.0149030205422647
 * ```
 */
export function bm25Idf(docCount: number, docFreq: number): number {
  return Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));
}

/** The length normalization of one field, 1 - b + b * |d| / avgdl, as `a + c * |d|`. */
export interface LengthNormalization {
  /** 1 - b */
  a: number;
  /** b / avgdl */
  c: number;
}

/**
 * The constants of a field's length normalization, computed once per query.
 * @param b - length normalization
 * @param averageLength - average field length
 * @returns `{ a: 1 - b, c: b / avgdl }`
 * @example
 * ```ts
 * lengthNormalization(0.5, 5); // { a: 0.5, c: 0.1 }
 * ```
 */
export function lengthNormalization(b: number, averageLength: number): LengthNormalization {
  return { a: 1 - b, c: b / averageLength };
}

/**
 * One field's weighted, length-normalized frequency, w * tf / (a + c * |d|):
 * the term of the BM25F sum tf~ (the hot-path form, with {@link lengthNormalization}'s constants).
 * @param weight - the field weight w_f (1 for BM25)
 * @param freq - term frequency in the field
 * @param a - 1 - b
 * @param c - b / avgdl
 * @param length - the field's length in tokens
 * @returns the field's share of tf~
 * @example
 * ```ts
 * fieldFrequency(1, 2, 0.5, 0.1, 10); // 1.3333333333333333
 * ```
 */
export function fieldFrequency(
  weight: number,
  freq: number,
  a: number,
  c: number,
  length: number,
): number {
  return (weight * freq) / (a + c * length);
}

/**
 * The BM25 score from a (mixed, normalized) frequency: weight * tf~ / (k1 + tf~).
 * @param weight - idf times the query boost
 * @param normalized - tf~
 * @param k1 - saturation
 * @returns the score
 * @example
 * ```ts
 * saturatedScore(2, 1, 1); // 1
 * ```
 */
export function saturatedScore(weight: number, normalized: number, k1: number): number {
  return (weight * normalized) / (k1 + normalized);
}

/**
 * The length-normalized frequency of one field, tf / (1 - b + b * len / avgdl).
 * @param freq - term frequency in the field
 * @param length - the field's length in tokens
 * @param averageLength - average field length
 * @param b - length normalization
 * @returns the normalized frequency
 * @example
 * ```ts
 * normalizedFrequency(2, 10, 5, 0.5); // 1.3333333333333333
 * ```
 */
export function normalizedFrequency(
  freq: number,
  length: number,
  averageLength: number,
  b: number,
): number {
  const { a, c } = lengthNormalization(b, averageLength);
  return fieldFrequency(1, freq, a, c, length);
}

/**
 * BM25 saturation of a (mixed, normalized) frequency: tf~ / (k1 + tf~).
 * @param normalized - tf~
 * @param k1 - saturation
 * @returns a value in [0, 1)
 * @example
 * ```ts
 * saturate(1, 1.2); // 0.45454545454545453
 * ```
 */
export function saturate(normalized: number, k1: number): number {
  return saturatedScore(1, normalized, k1);
}

/**
 * The BM25 score of one term in one single-field document.
 * @param freq - term frequency
 * @param length - document length
 * @param averageLength - average document length
 * @param docCount - N
 * @param docFreq - df
 * @param parameters - k1 and b
 * @returns the score
 * @example
 * ```ts
 * bm25(2, 10, 5, 10, 1, { k1: 1.2, b: 0.75 }); // 2.0149030205422647 * 2 / (2 + 1.2 * 1.75)
 * ```
 */
export function bm25(
  freq: number,
  length: number,
  averageLength: number,
  docCount: number,
  docFreq: number,
  parameters: Bm25Parameters = DEFAULT_BM25,
): number {
  const normalized = normalizedFrequency(freq, length, averageLength, parameters.b);
  return bm25Idf(docCount, docFreq) * saturate(normalized, parameters.k1);
}

/**
 * Lucene's lossy document-length norm (`SmallFloat.intToByte4` then
 * `byte4ToInt`, as BM25Similarity stores lengths in one byte): exact up to
 * 23, then 4 significant bits. Only used with `lengthNorm: 'lucene'`, to
 * reproduce Lucene / Anserini scores; the default keeps exact lengths.
 * @param length - a field length in tokens
 * @returns the length Lucene's norm decodes to (never more than `length`)
 * @example
 * ```ts
 * luceneLength(100); // 96
 * ```
 */
export function luceneLength(length: number): number {
  const free = 24; // 255 - longToInt4(Integer.MAX_VALUE)
  if (length < free) return length;
  // encode: longToInt4(length - free)
  const value = length - free;
  const bits = 32 - Math.clz32(value);
  let encoded: number;
  if (bits < 4) encoded = value;
  else {
    const shift = bits - 4;
    encoded = ((value >>> shift) & 0x07) | ((shift + 1) << 3);
  }
  // decode: int4ToLong(encoded)
  const mantissa = encoded & 0x07;
  const shift = (encoded >>> 3) - 1;
  const decoded = shift === -1 ? mantissa : (mantissa | 0x08) * 2 ** shift;
  return free + decoded;
}
