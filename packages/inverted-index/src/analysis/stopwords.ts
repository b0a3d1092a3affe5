/**
 * Lucene's English stopword set (`EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`),
 * the 33 words Anserini and Elasticsearch's `_english_` list also use.
 *
 * @example
 * ```ts
 * ENGLISH_STOPWORDS.includes('the'); // true
 * ```
 */
export const ENGLISH_STOPWORDS: readonly string[] = Object.freeze([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'but',
  'by',
  'for',
  'if',
  'in',
  'into',
  'is',
  'it',
  'no',
  'not',
  'of',
  'on',
  'or',
  'such',
  'that',
  'the',
  'their',
  'then',
  'there',
  'these',
  'they',
  'this',
  'to',
  'was',
  'will',
  'with',
]);
