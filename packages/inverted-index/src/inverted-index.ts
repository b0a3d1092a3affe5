/**
 * The public full-text index: documents in, ranked results out. It owns the
 * forward index (document id -> stored fields) and an {@link IndexStore}
 * (term dictionary, postings, statistics), and runs queries through the
 * pipeline query -> weight -> scorer -> collector.
 */

import type { Analyzer } from './analysis/analyzer.js';
import { emptyTokenStream, type TokenStream } from './analysis/token-stream.js';
import { collectTopK } from './collector/collect.js';
import { DocumentError, OptionError, ReentrancyError } from './errors.js';
import {
  checkRepeatedTerms,
  type IndexDocument,
  type InvertedIndexOptions,
  type ResolvedOptions,
  resolveOptions,
  type SearchOptions,
  type SearchResult,
} from './index-options.js';
import { own, setOwn } from './own.js';
import { compactStore } from './postings/compact.js';
import { IndexStore } from './postings/index-store.js';
import { createWeight } from './query/create-weight.js';
import type { Explanation } from './query/explanation.js';
import { parseQuery } from './query/parser.js';
import type { Query } from './query/query.js';
import { validateQuery } from './query/validate-query.js';
import type { SearchContext } from './query/weight.js';
import { decodeSnapshot, type LoadOptions } from './snapshot/decode.js';
import { encodeSnapshot } from './snapshot/encode.js';
import { makeSnippet, type SnippetOptions } from './snippet.js';

type DocumentId = string | number;

/**
 * A full-text index with BM25/BM25F ranking, a query language, Block-Max
 * WAND top-k, updates and deletes, snippets and snapshots.
 *
 * @example
 * ```ts
 * const index = new InvertedIndex({ fields: ['title', 'text'], storeFields: ['title'] });
 * index.addAll([
 *   { id: 1, title: 'Vitamin D', text: 'Vitamin D deficiency is common in winter.' },
 *   { id: 2, title: 'Sleep', text: 'Sleep loss affects memory.' },
 * ]);
 * index.search('vitamin winter');
 * // [{ id: 1, score: 1.33, fields: { title: 'Vitamin D' } }]
 * ```
 */
export class InvertedIndex {
  /** @internal */ options: ResolvedOptions;
  /** @internal */ store: IndexStore;
  /** @internal doc number -> external id */ ids: (DocumentId | undefined)[] = [];
  /** @internal doc number -> stored fields */ stored: (Record<string, unknown> | undefined)[] = [];
  /** @internal external id -> doc number */ docNums = new Map<DocumentId, number>();
  private sortedTermsCache: string[] | null = null;
  /** The operation running now, or null: no method may be called from inside another. */
  private running: string | null = null;

  /** Runs `run` as operation `op`, refusing a call from inside another operation. */
  private exclusive<T>(op: string, run: () => T): T {
    if (this.running !== null) throw new ReentrancyError(op, this.running);
    this.running = op;
    try {
      return run();
    } finally {
      this.running = null;
    }
  }

  /**
   * @param options - fields, stored fields, analyzers, BM25 parameters
   * @throws OptionError for invalid options
   * @example
   * ```ts
   * new InvertedIndex({ fields: ['title', 'text'], boost: { title: 2 }, k1: 1.2, b: 0.75 });
   * ```
   */
  constructor(options: InvertedIndexOptions) {
    this.options = resolveOptions(options);
    this.store = new IndexStore(
      this.options.fields.map((name, f) => ({ name, positions: this.options.positions[f]! })),
    );
  }

  /** Live documents. */
  get size(): number {
    return this.store.liveCount;
  }

  /** Distinct terms in the dictionary (terms of deleted documents included until compaction). */
  get termCount(): number {
    return this.store.terms.length;
  }

  /** @returns analyzed tokens over live documents and all fields */
  tokenCount(): number {
    return this.store.tokenCount();
  }

  /**
   * Adds a document.
   * @param document - an object with the id field and text fields
   * @throws DocumentError when the id is missing, not a string or number, or already present
   * @throws ReentrancyError when called from inside another call on this index (a custom analyzer or extractField)
   * @example
   * ```ts
   * index.add({ id: 'a1', title: 'Vitamin D', text: 'Deficiency and fractures.' });
   * index.size; // 1
   * ```
   */
  add(document: IndexDocument): void {
    this.exclusive('add', () => this.addDocument(document));
  }

  private addDocument(document: IndexDocument): void {
    const { fields, idField, storeFields, extractField, analyzers } = this.options;
    const id = document?.[idField];
    if (typeof id !== 'string' && typeof id !== 'number') {
      throw new DocumentError(
        'add',
        `document ${idField} must be a string or a number, got ${typeof id}`,
        id,
      );
    }
    if (this.docNums.has(id))
      throw new DocumentError('add', `duplicate document id ${JSON.stringify(id)}`, id);
    const streams: TokenStream[] = fields.map((field, f) => {
      const text = this.fieldText(extractField(document, field));
      return text.length === 0 ? emptyTokenStream() : analyzers[f]!.analyze(text);
    });
    const doc = this.store.addDocument(streams);
    this.ids[doc] = id;
    this.docNums.set(id, doc);
    if (storeFields.length > 0) {
      const values: Record<string, unknown> = {};
      for (const field of storeFields) {
        const value = extractField(document, field);
        if (value !== undefined) setOwn(values, field, value);
      }
      this.stored[doc] = values;
    }
    this.sortedTermsCache = null;
  }

  private fieldText(value: unknown): string {
    if (value === undefined || value === null) return '';
    if (Array.isArray(value)) return value.map((item) => this.fieldText(item)).join('\n');
    return String(value);
  }

  /**
   * Adds documents in order.
   * @param documents - the documents
   * @throws DocumentError as {@link add}; documents before the failing one stay added
   * @example
   * ```ts
   * index.addAll([{ id: 1, text: 'a' }, { id: 2, text: 'b' }]);
   * ```
   */
  addAll(documents: Iterable<IndexDocument>): void {
    for (const document of documents) this.add(document);
  }

  /**
   * @param id - a document id
   * @returns whether a live document has this id
   * @example
   * ```ts
   * index.has('a1'); // true
   * ```
   */
  has(id: DocumentId): boolean {
    return this.docNums.has(id);
  }

  /**
   * @param id - a document id
   * @returns the stored fields of the document, or undefined when absent
   * @example
   * ```ts
   * index.get('a1'); // { title: 'Vitamin D' } with storeFields: ['title']
   * ```
   */
  get(id: DocumentId): Record<string, unknown> | undefined {
    const doc = this.docNums.get(id);
    return doc === undefined ? undefined : (this.stored[doc] ?? {});
  }

  /**
   * Removes a document. Its postings are skipped at query time and purged
   * by {@link compact} (run automatically when more than half the doc numbers are deleted).
   * @param id - the document id
   * @throws DocumentError when no document has this id
   * @example
   * ```ts
   * index.remove('a1');
   * index.has('a1'); // false
   * ```
   */
  remove(id: DocumentId): void {
    if (this.running !== null) throw new ReentrancyError('remove', this.running);
    const doc = this.docNums.get(id);
    if (doc === undefined)
      throw new DocumentError('remove', `no document with id ${JSON.stringify(id)}`, id);
    this.store.deleteDocument(doc);
    this.docNums.delete(id);
    this.ids[doc] = undefined;
    this.stored[doc] = undefined;
    const deleted = this.store.docNumCount - this.store.liveCount;
    if (deleted > 1024 && deleted * 2 > this.store.docNumCount) this.compact();
  }

  /**
   * Replaces a document with a new version (same id).
   * @param document - the new version
   * @throws DocumentError when no document has its id
   * @example
   * ```ts
   * index.update({ id: 'a1', title: 'Vitamin D3', text: 'Updated text.' });
   * ```
   */
  update(document: IndexDocument): void {
    if (this.running !== null) throw new ReentrancyError('update', this.running);
    const id = document?.[this.options.idField];
    if ((typeof id !== 'string' && typeof id !== 'number') || !this.docNums.has(id)) {
      throw new DocumentError('update', `no document with id ${JSON.stringify(id)}`, id);
    }
    this.remove(id);
    this.add(document);
  }

  /**
   * Purges deleted documents from the postings and renumbers the rest
   * (results and statistics do not change).
   * @example
   * ```ts
   * index.remove('a1');
   * index.compact();
   * ```
   */
  compact(): void {
    if (this.running !== null) throw new ReentrancyError('compact', this.running);
    if (this.store.liveCount === this.store.docNumCount) return;
    const { store, remap } = compactStore(this.store);
    const ids: (DocumentId | undefined)[] = [];
    const stored: (Record<string, unknown> | undefined)[] = [];
    this.docNums.clear();
    for (let doc = 0; doc < remap.length; doc++) {
      const target = remap[doc]!;
      if (target < 0) continue;
      ids[target] = this.ids[doc];
      stored[target] = this.stored[doc];
      this.docNums.set(this.ids[doc]!, target);
    }
    this.store = store;
    this.ids = ids;
    this.stored = stored;
    this.sortedTermsCache = null;
  }

  /** @internal binds the index to a search's options */
  context(options: SearchOptions = {}): SearchContext {
    const { fields, analyzers, boost, b, k1, maxExpansions, lengthNorm } = this.options;
    const repeatedTerms =
      options.repeatedTerms === undefined
        ? this.options.repeatedTerms
        : checkRepeatedTerms('search', options.repeatedTerms);
    const defaultFields = (options.fields ?? fields).map((name) => fields.indexOf(name));
    for (const [i, f] of defaultFields.entries()) {
      if (f < 0)
        throw new OptionError(
          'search',
          `unknown field '${options.fields![i]}'`,
          options.fields![i],
        );
    }
    return {
      store: this.store,
      fieldNames: fields,
      analyzers,
      fieldWeights: fields.map((name, f) => own(options.boost, name) ?? boost[f]!),
      fieldB: b,
      k1,
      defaultFields,
      maxExpansions,
      lengthNorm,
      repeatedTerms,
      sortedTerms: () => (this.sortedTermsCache ??= [...this.store.terms].sort()),
    };
  }

  /** @internal parses a string query, checks a query object */
  toQuery(query: string | Query, options: SearchOptions = {}, op = 'search'): Query {
    if (typeof query !== 'string') {
      validateQuery(op, query);
      return query;
    }
    if (options.syntax === 'plain') return { type: 'term', text: query };
    return parseQuery(query, {
      fields: this.options.fields,
      defaultOperator: options.defaultOperator ?? 'or',
    });
  }

  /**
   * Searches the index.
   * @param query - a query string (query language, or plain words with `syntax: 'plain'`) or a {@link Query}
   * @param options - k, fields, per-field boosts, syntax, pruning
   * @returns the top k hits, best first (ties by insertion order)
   * @throws QuerySyntaxError for a malformed query string
   * @throws InvalidArgumentError when `query` is neither a string nor a well-formed Query
   * @throws OptionError for unknown fields or phrases on fields without positions
   * @example
   * ```ts
   * index.search('title:vitamin "bone density"~2 -mouse', { k: 5 });
   * // [{ id: 'a1', score: 3.12, fields: { title: 'Vitamin D' } }]
   * index.search('vitamin d and bones', { syntax: 'plain' }); // a bag of words
   * ```
   */
  search(query: string | Query, options: SearchOptions = {}): SearchResult[] {
    return this.exclusive('search', () => this.searchNow(query, options));
  }

  private searchNow(query: string | Query, options: SearchOptions): SearchResult[] {
    const weight = createWeight(this.toQuery(query, options), this.context(options));
    const k = options.k ?? 10;
    if (!Number.isInteger(k) || k < 0) {
      throw new OptionError('search', `k must be a non-negative integer, got ${k}`, k);
    }
    const top = collectTopK(weight, k, this.store.deleted, options.pruning ?? true);
    return top.results().map(({ doc, score }) => {
      const stored = this.stored[doc];
      const result: SearchResult = { id: this.ids[doc]!, score };
      if (stored) result.fields = stored;
      return result;
    });
  }

  /**
   * Explains the score of one document for a query.
   * @param id - the document id
   * @param query - the query
   * @param options - as for search
   * @returns the explanation tree, or null when the document does not match
   * @throws DocumentError when no document has this id
   * @example
   * ```ts
   * index.explain('a1', 'vitamin').value === index.search('vitamin')[0].score; // true
   * ```
   */
  explain(id: DocumentId, query: string | Query, options: SearchOptions = {}): Explanation | null {
    const doc = this.docNums.get(id);
    if (doc === undefined)
      throw new DocumentError('explain', `no document with id ${JSON.stringify(id)}`, id);
    return this.exclusive('explain', () =>
      createWeight(this.toQuery(query, options, 'explain'), this.context(options)).explain(doc),
    );
  }

  /**
   * A snippet of a stored field with the query's matches highlighted.
   * @param id - the document id
   * @param query - the query
   * @param options - field, window length, markers
   * @returns the snippet ('' when the field is not stored)
   * @throws DocumentError when no document has this id
   * @example
   * ```ts
   * index.snippet('a1', 'fractures', { field: 'text' }); // 'Deficiency and <mark>fractures</mark>.'
   * ```
   */
  snippet(
    id: DocumentId,
    query: string | Query,
    options: SnippetOptions & SearchOptions = {},
  ): string {
    const doc = this.docNums.get(id);
    if (doc === undefined)
      throw new DocumentError('snippet', `no document with id ${JSON.stringify(id)}`, id);
    const { fields, storeFields, analyzers } = this.options;
    const field = options.field ?? storeFields.find((name) => fields.includes(name));
    const f = field === undefined ? -1 : fields.indexOf(field);
    const value = field === undefined ? undefined : own(this.stored[doc], field);
    if (f < 0 || value === undefined) return '';
    return this.exclusive('snippet', () => {
      const terms = new Map<number, Set<string>>();
      createWeight(this.toQuery(query, options, 'snippet'), this.context(options)).collectTerms(
        terms,
      );
      return makeSnippet(this.fieldText(value), analyzers[f]!, terms.get(f) ?? new Set(), options);
    });
  }

  /**
   * Serializes the index (deleted documents purged) to the versioned,
   * checksummed binary format.
   * @returns the snapshot bytes
   * @example
   * ```ts
   * const bytes = index.save(); // Uint8Array, starts with 'XIIX'
   * ```
   */
  save(): Uint8Array {
    if (this.running !== null) throw new ReentrancyError('save', this.running);
    return encodeSnapshot(this);
  }

  /**
   * Restores an index from {@link save}'s bytes.
   * @param bytes - the snapshot
   * @param options - analyzers for fields that used custom (non-config) analyzers
   * @returns the index
   * @throws CorruptSnapshotError for truncated or corrupted bytes
   * @throws SnapshotVersionError for an unknown format version
   * @example
   * ```ts
   * const copy = InvertedIndex.load(index.save());
   * copy.search('vitamin'); // same results as index.search('vitamin')
   * ```
   */
  static load(bytes: Uint8Array | ArrayBuffer, options: LoadOptions = {}): InvertedIndex {
    const state = decodeSnapshot(bytes, options);
    const index = new InvertedIndex(state.options);
    index.store = state.store;
    index.ids = state.ids;
    index.stored = state.stored;
    state.ids.forEach((id, doc) => index.docNums.set(id, doc));
    return index;
  }

  /** @internal */
  analyzerOf(field: number): Analyzer {
    return this.options.analyzers[field]!;
  }
}
