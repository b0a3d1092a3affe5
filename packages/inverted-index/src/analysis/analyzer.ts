/**
 * Analyzers: a tokenizer followed by token filters. `createAnalyzer(config)`
 * builds the standard chains from a serializable config (which snapshots
 * store); `composeAnalyzer` joins any tokenizer and filters.
 */

import { OptionError } from '../errors.js';
import {
  CJK_MODES,
  type CjkMode,
  cjkFilter,
  queryCjkMode,
  type WordSegmenter,
} from './cjk-filter.js';
import { standardTokenize } from './standard-tokenizer.js';
import { STOPWORD_LISTS, type StopwordListName } from './stopwords.js';
import { TermCache } from './term-cache.js';
import {
  asciiFoldingFilter,
  lowercaseFilter,
  porterStemFilter,
  possessiveFilter,
  stopFilter,
  type TokenFilter,
} from './token-filters.js';
import { mapTerms, TokenKind, type TokenStream } from './token-stream.js';

/** Turns text into a token stream. */
export interface Analyzer {
  /**
   * @param text - the text of one field
   * @returns its tokens
   */
  analyze(text: string): TokenStream;
  /**
   * Analyzes query text when it must differ from indexing (the default CJK
   * mode indexes unigrams and bigrams, and queries with bigrams only); absent,
   * queries use {@link analyze}.
   * @param text - the query text
   * @returns its tokens
   */
  analyzeQuery?(text: string): TokenStream;
  /**
   * Normalizes a single query term that is not analyzed as text (prefix and
   * fuzzy terms): case and accent folding only, no stemming.
   * @param term - the raw term
   * @returns the normalized term
   */
  normalize(term: string): string;
  /** The serializable config this analyzer was made from, if any. */
  readonly config?: AnalyzerConfig;
  /** Stage names, for example `standard > possessive > lowercase > stop > porter`. */
  describe(): string;
}

/** A serializable description of a standard analysis chain. */
export interface AnalyzerConfig {
  /** Remove English possessives (`'s`). @default true */
  possessive?: boolean;
  /** Lowercase terms. @default true */
  lowercase?: boolean;
  /** Fold accented Latin letters to ASCII. @default false */
  asciiFolding?: boolean;
  /**
   * Stopwords to drop: a built-in list by name (`snowball`, Snowball's 174
   * English words; `lucene`, Lucene's 33), a list of words, or `false` for none.
   * @default 'snowball'
   */
  stopwords?: StopwordListName | readonly string[] | false;
  /** Stemmer: `porter` or `none`. @default 'porter' */
  stemmer?: 'porter' | 'none';
  /**
   * CJK splitting: `bigram-unigram` (Lucene's CJKBigramFilter with `outputUnigrams`:
   * both are indexed, queries use bigrams and lone characters, so one-character
   * queries match), `bigram` (Lucene's CJKAnalyzer: a one-character query matches
   * only where the character stands alone), `unigram` or `dictionary`.
   * @default 'bigram-unigram'
   */
  cjk?: CjkMode;
  /** The word segmenter for `cjk: 'dictionary'` (see `loadJiebaSegmenter`); not serialized. */
  segmenter?: WordSegmenter;
}

const FUSED_CACHE_LIMIT = 100_000;

/**
 * Fuses each run of consecutive per-term filters (those with `mapTerm`)
 * into one filter: one pass over the tokens, and a cache from the
 * tokenizer's term to the run's result, so a word seen before costs one
 * map lookup instead of lowercase + stopword + stemmer calls.
 */
function fuseTermFilters(filters: readonly TokenFilter[]): TokenFilter[] {
  const out: TokenFilter[] = [];
  let run: TokenFilter[] = [];
  const flush = () => {
    if (run.length === 0) return;
    if (run.length === 1) {
      out.push(run[0]!);
      run = [];
      return;
    }
    const maps = run.map((filter) => filter.mapTerm!);
    const caches = [new Map<string, string | null>(), new Map<string, string | null>()];
    const map = (term: string, kind: TokenKind): string | null => {
      const cache = caches[kind === TokenKind.word ? 0 : 1]!;
      let result = cache.get(term);
      if (result === undefined) {
        let value: string | null = term;
        for (const step of maps) {
          value = step(value, kind);
          if (value === null || value.length === 0) {
            value = null;
            break;
          }
        }
        result = value;
        if (cache.size >= FUSED_CACHE_LIMIT) cache.clear();
        cache.set(term, result);
      }
      return result;
    };
    out.push({
      name: run.map((filter) => filter.name).join(' > '),
      mapTerm: map,
      apply: (stream) => mapTerms(stream, map),
    });
    run = [];
  };
  for (const filter of filters) {
    if (filter.mapTerm) run.push(filter);
    else {
      flush();
      out.push(filter);
    }
  }
  flush();
  return out;
}

/**
 * Joins a tokenizer and filters into an analyzer.
 * @param tokenize - the tokenizer
 * @param filters - the filters, applied in order
 * @param normalizeFilters - the filters applied to single query terms by `normalize`
 * @returns the analyzer
 * @example
 * ```ts
 * const upper = composeAnalyzer(standardTokenize, [
 *   { name: 'upper', apply: (s) => mapTerms(s, (t) => t.toUpperCase()) },
 * ]);
 * upper.analyze('a b').terms; // ['A', 'B']
 * ```
 */
export function composeAnalyzer(
  tokenize: (text: string) => TokenStream,
  filters: readonly TokenFilter[],
  normalizeFilters: readonly TokenFilter[] = [],
): Analyzer {
  const stages = fuseTermFilters(filters);
  return {
    analyze(text: string): TokenStream {
      let stream = tokenize(text);
      for (const stage of stages) stream = stage.apply(stream, text);
      return stream;
    },
    normalize(term: string): string {
      let stream: TokenStream = {
        terms: [term],
        positions: [0],
        starts: [0],
        ends: [term.length],
        kinds: [0],
      };
      for (const filter of normalizeFilters) stream = filter.apply(stream, term);
      return stream.terms[0] ?? term;
    },
    describe: () => ['standard', ...filters.map((filter) => filter.name)].join(' > '),
  };
}

/**
 * Builds the standard analysis chain: StandardTokenizer, CJK unigrams and
 * bigrams (or bigrams, unigrams, dictionary words), possessive removal,
 * lowercase, optional ASCII folding, stopwords, Porter stemming. The default
 * is Lucene's EnglishAnalyzer chain with Snowball's English stop list (chosen
 * on SciFact's train claims); `{ stopwords: 'lucene', cjk: 'bigram' }` is
 * EnglishAnalyzer exactly (Anserini's default, `preset: 'anserini'`).
 *
 * @param config - which stages to use
 * @returns the analyzer
 * @throws OptionError when `cjk` is `dictionary` without a segmenter
 * @example
 * ```ts
 * createAnalyzer().analyze("The patients' studies showed 3.5% mortality in 北京大学").terms;
 * // ['patient', 'studi', 'show', '3.5', 'mortal', '北京', '京大', '大学']
 * ```
 */
export function createAnalyzer(config: AnalyzerConfig = {}): Analyzer {
  const cjk = config.cjk ?? 'bigram-unigram';
  if (!CJK_MODES.includes(cjk)) {
    throw new OptionError(
      'createAnalyzer',
      `unknown cjk mode '${String(cjk)}' (one of ${CJK_MODES.join(', ')})`,
      cjk,
    );
  }
  if (cjk === 'dictionary' && !config.segmenter) {
    throw new OptionError(
      'createAnalyzer',
      "cjk 'dictionary' needs a segmenter (await loadJiebaSegmenter())",
      cjk,
    );
  }
  const termFilters: TokenFilter[] = [];
  const normalizeFilters: TokenFilter[] = [];
  if (config.possessive ?? true) termFilters.push(possessiveFilter());
  if (config.lowercase ?? true) {
    const lowercase = lowercaseFilter();
    termFilters.push(lowercase);
    normalizeFilters.push(lowercase);
  }
  if (config.asciiFolding) {
    const folding = asciiFoldingFilter();
    termFilters.push(folding);
    normalizeFilters.push(folding);
  }
  const stopwordSetting = config.stopwords ?? 'snowball';
  let stopwords: readonly string[] | false;
  if (typeof stopwordSetting === 'string') {
    if (!Object.hasOwn(STOPWORD_LISTS, stopwordSetting)) {
      throw new OptionError(
        'createAnalyzer',
        `unknown stopword list '${stopwordSetting}' (one of ${Object.keys(STOPWORD_LISTS).join(', ')}, a list of words, or false)`,
        stopwordSetting,
      );
    }
    stopwords = STOPWORD_LISTS[stopwordSetting as StopwordListName];
  } else if (stopwordSetting === false || Array.isArray(stopwordSetting)) {
    stopwords = stopwordSetting;
  } else {
    throw new OptionError(
      'createAnalyzer',
      'stopwords must be a list name, an array of words or false',
      stopwordSetting,
    );
  }
  if (stopwords !== false && stopwords.length > 0) termFilters.push(stopFilter(stopwords));
  const stem = config.stemmer ?? 'porter';
  if (stem === 'porter') termFilters.push(porterStemFilter());
  else if (stem !== 'none')
    throw new OptionError('createAnalyzer', `unknown stemmer '${stem}'`, stem);
  const cjkStage = cjkFilter(cjk, config.segmenter);
  const queryMode = queryCjkMode(cjk);
  const queryCjkStage = queryMode === cjk ? cjkStage : cjkFilter(queryMode, config.segmenter);
  const analyzer = composeAnalyzer(standardTokenize, [cjkStage, ...termFilters], normalizeFilters);
  const queryAnalyzer =
    queryCjkStage === cjkStage
      ? null
      : composeAnalyzer(standardTokenize, [queryCjkStage, ...termFilters], normalizeFilters);
  const { segmenter: _segmenter, ...serializable } = config;
  // every setting explicit, so a snapshot loads with the analysis it was built with
  // even after a default changes
  const serialized: AnalyzerConfig = {
    possessive: config.possessive ?? true,
    lowercase: config.lowercase ?? true,
    asciiFolding: config.asciiFolding ?? false,
    ...serializable,
    stopwords: stopwordSetting,
    stemmer: stem,
    cjk,
  };
  // Fast path with the same result: the per-term filters run inside the
  // tokenizer for word tokens (through a cache keyed on the text), the CJK
  // filter leaves word tokens alone, and the per-term filters then run on
  // the CJK tokens only.
  const wordFilter = fuseTermFilters(termFilters)[0];
  if (termFilters.length > 0 && wordFilter?.mapTerm) {
    const mapTerm = wordFilter.mapTerm;
    const words = new TermCache((word) => mapTerm(word, TokenKind.word));
    const analyzeWith =
      (stage: TokenFilter) =>
      (text: string): TokenStream => {
        let stream = standardTokenize(text, words);
        stream = stage.apply(stream, text);
        if (stream.kinds.some((kind) => kind !== TokenKind.word)) {
          stream = mapTerms(stream, (term, kind) =>
            kind === TokenKind.word ? term : mapTerm(term, kind),
          );
        }
        return stream;
      };
    const fast: Analyzer = { ...analyzer, analyze: analyzeWith(cjkStage), config: serialized };
    if (queryAnalyzer) fast.analyzeQuery = analyzeWith(queryCjkStage);
    return fast;
  }
  const plain: Analyzer = { ...analyzer, config: serialized };
  if (queryAnalyzer) plain.analyzeQuery = queryAnalyzer.analyze;
  return plain;
}
