/**
 * Options of {@link InvertedIndex} and of its searches, with their
 * validation and defaults.
 */

import { type Analyzer, type AnalyzerConfig, createAnalyzer } from './analysis/analyzer.js';
import { OptionError } from './errors.js';
import { own } from './own.js';
import { ANSERINI_BM25, DEFAULT_BM25 } from './query/bm25.js';

/** A document: an object with an id field and text fields. */
export type IndexDocument = Record<string, unknown>;

/**
 * Ranking presets: `default` (Snowball stopwords, Porter, BM25 k1 1.2 / b 0.75,
 * repeated query terms counted once, CJK unigrams and bigrams: chosen on
 * SciFact's train claims) or `anserini` (the settings of Anserini's BEIR
 * regressions and of this package before 0.1: Lucene's 33 stopwords, Porter,
 * k1 0.9 / b 0.4, repeated terms summed, CJK bigrams, Lucene's one-byte length
 * norms; SciFact test nDCG@10 0.6789 exactly as Anserini).
 */
export type RankingPreset = 'default' | 'anserini';

/** Options of the {@link InvertedIndex} constructor. */
export interface InvertedIndexOptions {
  /** The fields to index (their values are strings, numbers or arrays of them). */
  fields: readonly string[];
  /**
   * The ranking settings other options start from; options given explicitly
   * override the preset's. @default 'default'
   */
  preset?: RankingPreset;
  /** Fields kept in the forward index and returned with results. @default [] */
  storeFields?: readonly string[];
  /** The field that holds the document id (a string or a number). @default 'id' */
  idField?: string;
  /** The analyzer of every field: an analyzer or a config. @default createAnalyzer() (English; with `preset: 'anserini'`, `{ stopwords: 'lucene', cjk: 'bigram' }`) */
  analyzer?: Analyzer | AnalyzerConfig;
  /** Analyzers per field, overriding `analyzer`. */
  analyzers?: Readonly<Record<string, Analyzer | AnalyzerConfig>>;
  /** Store positions (needed by phrase queries), for all fields or per field. @default true */
  positions?: boolean | Readonly<Record<string, boolean>>;
  /** BM25 saturation `k1`. @default 1.2 (Lucene; `preset: 'anserini'` 0.9) */
  k1?: number;
  /** BM25 length normalization `b`, for all fields or per field. @default 0.75 (Lucene; `preset: 'anserini'` 0.4) */
  b?: number | Readonly<Record<string, number>>;
  /**
   * A term repeated in one query text (`a plain query`, or one term of the
   * query language that analyzes to several words): `once` scores it once,
   * `sum` once per repetition (Lucene's bag of words). Terms the query
   * language keeps apart (`a b a`) are separate clauses either way.
   * @default 'once' (`preset: 'anserini'` 'sum')
   */
  repeatedTerms?: 'once' | 'sum';
  /** BM25F field weights w_f. @default 1 for every field */
  boost?: Readonly<Record<string, number>>;
  /** The most terms a prefix or fuzzy query expands to. @default 64 */
  maxExpansions?: number;
  /**
   * Field lengths in BM25: `exact`, or `lucene` to use Lucene's lossy one-byte
   * norms (SmallFloat), which reproduces Lucene's and Anserini's scores.
   * @default 'exact' (`preset: 'anserini'` 'lucene')
   */
  lengthNorm?: 'exact' | 'lucene';
  /** Reads a field of a document. @default (doc, field) => doc[field] */
  extractField?: (document: IndexDocument, field: string) => unknown;
}

/** Options of `search`. */
export interface SearchOptions {
  /** How many results. @default 10 */
  k?: number;
  /** The fields searched by terms that name none. @default all indexed fields */
  fields?: readonly string[];
  /** BM25F field weights for this search, overriding the index's. */
  boost?: Readonly<Record<string, number>>;
  /** `query`: the query language; `plain`: the text is a bag of words (no operators). @default 'query' */
  syntax?: 'query' | 'plain';
  /** Meaning of juxtaposed clauses in the query language. @default 'or' */
  defaultOperator?: 'or' | 'and';
  /** Use Block-Max WAND where the query allows; `false` scores every match. @default true */
  pruning?: boolean;
  /** Overrides the index's `repeatedTerms` for this search. */
  repeatedTerms?: 'once' | 'sum';
}

/** One search hit. */
export interface SearchResult {
  /** The document id. */
  id: string | number;
  /** Its BM25F score. */
  score: number;
  /** Its stored fields, when the index stores any. */
  fields?: Record<string, unknown>;
}

/** The options after defaults, as the index uses them. */
export interface ResolvedOptions {
  fields: string[];
  storeFields: string[];
  idField: string;
  analyzers: Analyzer[];
  positions: boolean[];
  k1: number;
  b: number[];
  boost: number[];
  maxExpansions: number;
  lengthNorm: 'exact' | 'lucene';
  repeatedTerms: 'once' | 'sum';
  preset: RankingPreset;
  extractField: (document: IndexDocument, field: string) => unknown;
}

function toAnalyzer(value: Analyzer | AnalyzerConfig | undefined, fallback: Analyzer): Analyzer {
  if (value === undefined) return fallback;
  return typeof (value as Analyzer).analyze === 'function'
    ? (value as Analyzer)
    : createAnalyzer(value as AnalyzerConfig);
}

function checkNumber(name: string, value: number, low: number, high: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < low || value > high) {
    throw new OptionError(
      'InvertedIndex',
      `${name} must be in [${low}, ${high}], got ${value}`,
      value,
    );
  }
  return value;
}

function checkLengthNorm(value: string): 'exact' | 'lucene' {
  if (value !== 'exact' && value !== 'lucene') {
    throw new OptionError(
      'InvertedIndex',
      `lengthNorm must be 'exact' or 'lucene', got ${value}`,
      value,
    );
  }
  return value;
}

/**
 * Checks a `repeatedTerms` value.
 * @param op - the calling function
 * @param value - the value
 * @returns the value
 * @throws OptionError unless it is `once` or `sum`
 */
export function checkRepeatedTerms(op: string, value: unknown): 'once' | 'sum' {
  if (value !== 'once' && value !== 'sum') {
    throw new OptionError(op, `repeatedTerms must be 'once' or 'sum', got ${String(value)}`, value);
  }
  return value;
}

/**
 * Validates options and fills in defaults.
 * @param options - the constructor options
 * @returns the resolved options
 * @throws OptionError for missing or duplicate fields and out-of-range parameters
 * @example
 * ```ts
 * resolveOptions({ fields: ['text'] }).k1; // 1.2
 * resolveOptions({ fields: ['text'], preset: 'anserini' }).k1; // 0.9
 * ```
 */
export function resolveOptions(options: InvertedIndexOptions): ResolvedOptions {
  const fields = [...(options?.fields ?? [])];
  if (fields.length === 0) {
    throw new OptionError('InvertedIndex', 'fields must name at least one field', options?.fields);
  }
  if (new Set(fields).size !== fields.length) {
    throw new OptionError('InvertedIndex', `fields has duplicates: ${fields.join(', ')}`, fields);
  }
  for (const name of Object.keys({ ...options.analyzers, ...options.boost })) {
    if (!fields.includes(name)) {
      throw new OptionError('InvertedIndex', `unknown field '${name}' in options`, name);
    }
  }
  const preset = options.preset ?? 'default';
  if (preset !== 'default' && preset !== 'anserini') {
    throw new OptionError(
      'InvertedIndex',
      `preset must be 'default' or 'anserini', got ${String(preset)}`,
      preset,
    );
  }
  const anserini = preset === 'anserini';
  const bm25Defaults = anserini ? ANSERINI_BM25 : DEFAULT_BM25;
  const base = toAnalyzer(
    options.analyzer,
    createAnalyzer(anserini ? { stopwords: 'lucene', cjk: 'bigram' } : {}),
  );
  const analyzers = fields.map((field) => toAnalyzer(own(options.analyzers, field), base));
  const positions = fields.map((field) =>
    typeof options.positions === 'object'
      ? (own(options.positions, field) ?? true)
      : (options.positions ?? true),
  );
  const k1 = checkNumber('k1', options.k1 ?? bm25Defaults.k1, 0, 1000);
  const b = fields.map((field) =>
    checkNumber(
      'b',
      typeof options.b === 'object'
        ? (own(options.b, field) ?? bm25Defaults.b)
        : (options.b ?? bm25Defaults.b),
      0,
      1,
    ),
  );
  const boost = fields.map((field) =>
    checkNumber(`boost.${field}`, own(options.boost, field) ?? 1, 0, Number.MAX_VALUE),
  );
  return {
    fields,
    storeFields: [...(options.storeFields ?? [])],
    idField: options.idField ?? 'id',
    analyzers,
    positions,
    k1,
    b,
    boost,
    maxExpansions: options.maxExpansions ?? 64,
    lengthNorm: checkLengthNorm(options.lengthNorm ?? (anserini ? 'lucene' : 'exact')),
    repeatedTerms: checkRepeatedTerms(
      'InvertedIndex',
      options.repeatedTerms ?? (anserini ? 'sum' : 'once'),
    ),
    preset,
    extractField: options.extractField ?? ((document, field) => own(document, field)),
  };
}
