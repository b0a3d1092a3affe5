/**
 * @x/inverted-index: full-text search for Node.js and browsers. The only
 * public entry point: everything a user needs is exported here by name.
 * Node-only file helpers live in `@x/inverted-index/node`.
 */

export {
  type Analyzer,
  type AnalyzerConfig,
  composeAnalyzer,
  createAnalyzer,
} from './analysis/analyzer.js';
export { type CjkMode, cjkFilter, type WordSegmenter } from './analysis/cjk-filter.js';
export {
  type JiebaModule,
  type JiebaOptions,
  loadJiebaSegmenter,
} from './analysis/jieba-segmenter.js';
export { standardTokenize } from './analysis/standard-tokenizer.js';
export {
  ENGLISH_STOPWORDS,
  SNOWBALL_STOPWORDS,
  STOPWORD_LISTS,
  type StopwordListName,
} from './analysis/stopwords.js';
export {
  asciiFoldingFilter,
  lowercaseFilter,
  porterStemFilter,
  possessiveFilter,
  stopFilter,
  type TokenFilter,
} from './analysis/token-filters.js';
export {
  emptyTokenStream,
  mapTerms,
  TokenKind,
  type TokenStream,
} from './analysis/token-stream.js';
export * from './errors.js';
export {
  type OpenSearchBulkOptions,
  type OpenSearchFilter,
  type OpenSearchIndexBody,
  openSearchBulk,
  openSearchBulkLines,
  openSearchIndexBody,
} from './export/opensearch.js';
export type {
  IndexDocument,
  InvertedIndexOptions,
  RankingPreset,
  SearchOptions,
  SearchResult,
} from './index-options.js';
export { InvertedIndex } from './inverted-index.js';
export {
  ANSERINI_BM25,
  type Bm25Parameters,
  bm25,
  bm25Idf,
  DEFAULT_BM25,
  LUCENE_BM25,
  normalizedFrequency,
  saturate,
} from './query/bm25.js';
export type { Explanation } from './query/explanation.js';
export { type ParseOptions, parseQuery } from './query/parser.js';
export {
  type BooleanClause,
  type BooleanQuery,
  type FuzzyQuery,
  type Occur,
  type PhraseQuery,
  type PrefixQuery,
  Q,
  type Query,
  type TermQuery,
} from './query/query.js';
export { editDistance } from './query/term-expansion.js';
export type { LoadOptions } from './snapshot/decode.js';
export { SNAPSHOT_VERSION } from './snapshot/format.js';
export type { SnippetOptions } from './snippet.js';
