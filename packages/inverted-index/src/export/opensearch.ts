/**
 * Export to OpenSearch / Elasticsearch: the index body (analysis settings,
 * BM25 similarity, field mappings) that reproduces this index's analysis and
 * ranking parameters in a cluster, and the documents as a Bulk API NDJSON
 * body. See docs/beyond-one-machine.md in the repository for how each
 * parameter maps.
 *
 * Analysis: our chain is StandardTokenizer > CJK bigrams > possessive >
 * lowercase > (ASCII folding) > stopwords > Porter, i.e. Lucene's
 * EnglishAnalyzer with a CJK bigram filter in front, so it maps to a custom
 * analyzer of built-in parts: `standard`, `cjk_bigram`, `stemmer`
 * (`possessive_english`), `lowercase`, `asciifolding`, `stop` (`_english_` or
 * the list), `stemmer` (`english`, which is Porter).
 */
import type { AnalyzerConfig } from '../analysis/analyzer.js';
import { ENGLISH_STOPWORDS, STOPWORD_LISTS } from '../analysis/stopwords.js';
import { DocumentError, OptionError } from '../errors.js';
import type { IndexDocument, InvertedIndexOptions } from '../index-options.js';
import { DEFAULT_BM25 } from '../query/bm25.js';

/** A token filter definition of `settings.analysis.filter`. */
export type OpenSearchFilter = Record<string, unknown> & { type: string };

/** The body of `PUT /<index>`: settings and mappings. */
export interface OpenSearchIndexBody {
  settings: {
    index: { similarity: Record<string, { type: 'BM25'; k1: number; b: number }> };
    analysis: {
      filter: Record<string, OpenSearchFilter>;
      analyzer: Record<string, { type: 'custom'; tokenizer: string; filter: string[] }>;
    };
  };
  mappings: {
    dynamic: false;
    properties: Record<string, Record<string, unknown>>;
  };
}

const builtInFilters: Record<string, OpenSearchFilter> = {
  x_possessive: { type: 'stemmer', language: 'possessive_english' },
  x_english_stop: { type: 'stop', stopwords: '_english_' },
  x_porter: { type: 'stemmer', language: 'english' },
};

function isDefaultStopwords(list: readonly string[]): boolean {
  return (
    list.length === ENGLISH_STOPWORDS.length &&
    [...list].sort().join(' ') === [...ENGLISH_STOPWORDS].sort().join(' ')
  );
}

/** The filter chain (names) of one analyzer config, adding custom filters to `filters`. */
function filterChain(
  config: AnalyzerConfig,
  field: string,
  filters: Record<string, OpenSearchFilter>,
): string[] {
  const chain: string[] = [];
  const cjk = config.cjk ?? 'bigram-unigram';
  if (cjk === 'bigram') chain.push('cjk_bigram');
  else if (cjk === 'bigram-unigram') {
    // Lucene's CJKBigramFilter with outputUnigrams, as this index indexes; on the query side the
    // cluster keeps the unigrams of runs too (this index queries bigrams, and a lone character's unigram)
    filters.x_cjk_bigram_unigrams ??= { type: 'cjk_bigram', output_unigrams: true };
    chain.push('x_cjk_bigram_unigrams');
  } else if (cjk !== 'unigram')
    throw new OptionError(
      'openSearchIndexBody',
      `field "${field}": cjk '${String(cjk)}' has no built-in OpenSearch equivalent (use a segmentation plugin such as analysis-smartcn, or cjk 'bigram')`,
      cjk,
    );
  if (config.possessive ?? true) chain.push('x_possessive');
  if (config.lowercase ?? true) chain.push('lowercase');
  if (config.asciiFolding) chain.push('asciifolding');
  const setting = config.stopwords ?? 'snowball';
  const stopwords = typeof setting === 'string' ? STOPWORD_LISTS[setting] : setting;
  if (stopwords !== false && stopwords.length > 0) {
    if (isDefaultStopwords(stopwords)) chain.push('x_english_stop');
    else {
      const key = `x_stop_${Object.keys(filters).filter((name) => name.startsWith('x_stop_')).length}`;
      const existing = Object.entries(filters).find(
        ([name, f]) =>
          name.startsWith('x_stop_') &&
          JSON.stringify(f.stopwords) === JSON.stringify([...stopwords]),
      );
      if (existing) chain.push(existing[0]);
      else {
        filters[key] = { type: 'stop', stopwords: [...stopwords] };
        chain.push(key);
      }
    }
  }
  const stemmer = config.stemmer ?? 'porter';
  if (stemmer === 'porter') chain.push('x_porter');
  else if (stemmer !== 'none')
    throw new OptionError(
      'openSearchIndexBody',
      `field "${field}": unknown stemmer '${String(stemmer)}'`,
      stemmer,
    );
  return chain;
}

function analyzerConfigOf(options: InvertedIndexOptions, field: string): AnalyzerConfig {
  const given = options.analyzers?.[field] ?? options.analyzer ?? {};
  if (typeof (given as { analyze?: unknown }).analyze === 'function') {
    const config = (given as { config?: AnalyzerConfig }).config;
    if (!config)
      throw new OptionError(
        'openSearchIndexBody',
        `field "${field}": a custom analyzer (composeAnalyzer) has no config to export; pass an AnalyzerConfig or createAnalyzer(config)`,
        given,
      );
    return config;
  }
  return given as AnalyzerConfig;
}

/**
 * The OpenSearch / Elasticsearch index body (`PUT /<index>`) that analyzes and
 * ranks like an {@link InvertedIndex} built with `options`: one custom
 * analyzer per distinct analysis config, one BM25 similarity per distinct
 * (k1, b), each indexed field a `text` field using them (`index_options:
 * freqs` where positions are off); stored-only fields stay in `_source`
 * (`dynamic: false`). Cluster scores equal this index's with
 * `lengthNorm: 'lucene'` (Lucene's one-byte norms).
 *
 * @param options - the options the index was (or will be) built with
 * @returns the body to send with `PUT /<index>`
 * @throws OptionError for analysis with no built-in equivalent (`cjk: 'dictionary'`, a custom analyzer without a config)
 * @example
 * ```ts
 * const body = openSearchIndexBody({ fields: ['title', 'text'], k1: 1.2, b: 0.75 });
 * body.settings.index.similarity; // { x_bm25: { type: 'BM25', k1: 1.2, b: 0.75 } }
 * body.mappings.properties.title; // { type: 'text', analyzer: 'x_english', similarity: 'x_bm25' }
 * ```
 */
export function openSearchIndexBody(options: InvertedIndexOptions): OpenSearchIndexBody {
  if (!options || !Array.isArray(options.fields) || options.fields.length === 0)
    throw new OptionError(
      'openSearchIndexBody',
      'options.fields must list the indexed fields',
      options?.fields,
    );
  const filters: Record<string, OpenSearchFilter> = {};
  const analyzers: OpenSearchIndexBody['settings']['analysis']['analyzer'] = {};
  const similarity: OpenSearchIndexBody['settings']['index']['similarity'] = {};
  const properties: OpenSearchIndexBody['mappings']['properties'] = {};
  const k1 = options.k1 ?? DEFAULT_BM25.k1;
  for (const field of options.fields) {
    const chain = filterChain(analyzerConfigOf(options, field), field, filters);
    let analyzer = Object.entries(analyzers).find(([, a]) => a.filter.join() === chain.join())?.[0];
    if (!analyzer) {
      analyzer =
        Object.keys(analyzers).length === 0
          ? 'x_english'
          : `x_analyzer_${Object.keys(analyzers).length}`;
      analyzers[analyzer] = { type: 'custom', tokenizer: 'standard', filter: chain };
    }
    for (const name of chain) if (builtInFilters[name]) filters[name] = builtInFilters[name]!;
    const b =
      typeof options.b === 'object'
        ? (options.b[field] ?? DEFAULT_BM25.b)
        : (options.b ?? DEFAULT_BM25.b);
    let similarityName = Object.entries(similarity).find(([, s]) => s.k1 === k1 && s.b === b)?.[0];
    if (!similarityName) {
      similarityName =
        Object.keys(similarity).length === 0
          ? 'x_bm25'
          : `x_bm25_${Object.keys(similarity).length}`;
      similarity[similarityName] = { type: 'BM25', k1, b };
    }
    const positions =
      typeof options.positions === 'object'
        ? (options.positions[field] ?? true)
        : (options.positions ?? true);
    properties[field] = {
      type: 'text',
      analyzer,
      similarity: similarityName,
      ...(positions ? {} : { index_options: 'freqs' }),
    };
  }
  return {
    settings: { index: { similarity }, analysis: { filter: filters, analyzer: analyzers } },
    mappings: { dynamic: false, properties },
  };
}

/** Options of {@link openSearchBulkLines}. */
export interface OpenSearchBulkOptions {
  /** The target index (`_index` of every action). */
  index: string;
  /** The field holding each document's id, sent as `_id`. @default 'id' */
  idField?: string;
  /** Fields to add to each document's source (vectors, for example). */
  extraFields?: (document: IndexDocument, position: number) => Record<string, unknown>;
}

const encoder = new TextEncoder();

/**
 * The Bulk API body for `documents`, line by line: an `index` action
 * (`{"index":{"_index":...,"_id":...}}`) then the document's source, each line
 * ending with a newline (the last one too), as `POST _bulk` with
 * `Content-Type: application/x-ndjson` expects.
 *
 * @param documents - the documents (as given to `InvertedIndex.add`)
 * @param options - target index, id field, extra fields
 * @returns a generator of lines (each with its trailing `\n`)
 * @throws DocumentError for a document without an id, or an id over 512 bytes
 * @example
 * ```ts
 * [...openSearchBulkLines([{ id: 2, title: 'My Neighbor Totoro' }], { index: 'movies' })].join('');
 * // '{"index":{"_index":"movies","_id":"2"}}\n{"id":2,"title":"My Neighbor Totoro"}\n'
 * ```
 */
export function* openSearchBulkLines(
  documents: Iterable<IndexDocument>,
  options: OpenSearchBulkOptions,
): Generator<string> {
  if (typeof options?.index !== 'string' || options.index.length === 0)
    throw new OptionError(
      'openSearchBulkLines',
      'options.index must name the target index',
      options?.index,
    );
  const idField = options.idField ?? 'id';
  let position = 0;
  for (const document of documents) {
    const id = document?.[idField];
    if (typeof id !== 'string' && typeof id !== 'number')
      throw new DocumentError(
        'openSearchBulkLines',
        `document ${position} has no string or number "${idField}"`,
        id,
      );
    const _id = String(id);
    if (encoder.encode(_id).length > 512)
      throw new DocumentError(
        'openSearchBulkLines',
        `document id over 512 bytes (OpenSearch's limit)`,
        id,
      );
    yield `${JSON.stringify({ index: { _index: options.index, _id } })}\n`;
    const extra = options.extraFields?.(document, position) ?? {};
    yield `${JSON.stringify({ ...document, ...extra })}\n`;
    position++;
  }
}

/**
 * The whole Bulk API body for `documents` as one string (see
 * {@link openSearchBulkLines}; stream the lines instead for large sets).
 *
 * @param documents - the documents
 * @param options - target index, id field, extra fields
 * @returns the NDJSON body
 * @throws DocumentError for a document without an id, or an id over 512 bytes
 * @example
 * ```ts
 * writeFileSync('bulk.ndjson', openSearchBulk(docs, { index: 'papers' }));
 * // curl -H 'Content-Type: application/x-ndjson' -XPOST localhost:9200/_bulk --data-binary @bulk.ndjson
 * ```
 */
export function openSearchBulk(
  documents: Iterable<IndexDocument>,
  options: OpenSearchBulkOptions,
): string {
  let out = '';
  for (const line of openSearchBulkLines(documents, options)) out += line;
  return out;
}
