/**
 * One adapter per library, so the eval and the bench run every library the
 * same way: build over SciFact (title and text concatenated into one field),
 * search plain text for the top k ids, serialize to bytes. Each peer runs
 * with its documented defaults plus the setup the issue names (wink with its
 * README's stemming and stopword prep, FlexSearch with `suggest: true`).
 */

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { create, insertMultiple, search as oramaSearch, save } from '@orama/orama';
import FlexSearch from 'flexsearch';
import MiniSearch from 'minisearch';
import { InvertedIndex, type InvertedIndexOptions } from '../src/index.js';
import type { CorpusDoc } from './data.js';

const require = createRequire(import.meta.url);

/** A library under test. */
export interface Adapter {
  /** Display name with version. */
  readonly name: string;
  /** Indexes the corpus. */
  build(docs: readonly CorpusDoc[]): Promise<void>;
  /** @returns the ids of the top k documents for a plain-text query */
  search(text: string, k: number): Promise<string[]>;
  /** @returns the index serialized as the library offers it */
  serialize(): Promise<Uint8Array>;
}

const encoder = new TextEncoder();
/** The installed version of a package, read from the package.json above its entry file. */
function version(name: string): string {
  let folder = dirname(require.resolve(name));
  for (;;) {
    const path = join(folder, 'package.json');
    if (existsSync(path)) {
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === name && manifest.version) return manifest.version;
    }
    const parent = dirname(folder);
    if (parent === folder) return '?';
    folder = parent;
  }
}
const contents = (doc: CorpusDoc) => `${doc.title} ${doc.text}`;

/** @returns our index, flat (one field), with the default ranking unless `options.index` says otherwise */
export function ours(
  options: { storeText?: boolean; index?: Partial<InvertedIndexOptions> } = {},
): Adapter & { index: InvertedIndex } {
  const adapter = {
    name: '@x/inverted-index',
    index: new InvertedIndex({
      fields: ['contents'],
      storeFields: options.storeText ? ['contents'] : [],
      ...options.index,
    }),
    async build(docs: readonly CorpusDoc[]) {
      for (const doc of docs) adapter.index.add({ id: doc.id, contents: contents(doc) });
    },
    async search(text: string, k: number) {
      return adapter.index.search(text, { k, syntax: 'plain' }).map((hit) => String(hit.id));
    },
    async serialize() {
      return adapter.index.save();
    },
  };
  return adapter;
}

/** @returns wink-bm25-text-search with the wink-nlp prep task of its README */
export function wink(): Adapter {
  const bm25 = require('wink-bm25-text-search');
  const winkNLP = require('wink-nlp');
  const model = require('wink-eng-lite-web-model');
  const nlp = winkNLP(model);
  const its = nlp.its;
  const prep = (text: string): string[] => {
    const tokens: string[] = [];
    nlp
      .readDoc(text)
      .tokens()
      .filter(
        (t: { out(x: unknown): unknown }) => t.out(its.type) === 'word' && !t.out(its.stopWordFlag),
      )
      .each((t: { out(x: unknown): string }) =>
        tokens.push(t.out(its.negationFlag) ? `!${t.out(its.stem)}` : t.out(its.stem)),
      );
    return tokens;
  };
  const engine = bm25();
  engine.defineConfig({ fldWeights: { body: 1 } });
  engine.definePrepTasks([prep]);
  return {
    name: `wink-bm25-text-search ${version('wink-bm25-text-search')}`,
    async build(docs) {
      docs.forEach((doc) => engine.addDoc({ body: contents(doc) }, doc.id));
      engine.consolidate();
    },
    async search(text, k) {
      return (engine.search(text, k) as [string, number][]).map(([id]) => String(id));
    },
    async serialize() {
      return encoder.encode(engine.exportJSON());
    },
  };
}

/** @returns wink-bm25-text-search with the wink-nlp-utils prep of its 3.0 examples (lowercase, tokenize, stopwords, Porter2 stem, negations) */
export function winkUtils(): Adapter {
  const bm25 = require('wink-bm25-text-search');
  const nlp = require('wink-nlp-utils');
  const engine = bm25();
  engine.defineConfig({ fldWeights: { body: 1 } });
  engine.definePrepTasks([
    nlp.string.lowerCase,
    nlp.string.tokenize0,
    nlp.tokens.removeWords,
    nlp.tokens.stem,
    nlp.tokens.propagateNegations,
  ]);
  return {
    name: `wink-bm25-text-search ${version('wink-bm25-text-search')} (wink-nlp-utils prep)`,
    async build(docs) {
      docs.forEach((doc) => engine.addDoc({ body: contents(doc) }, doc.id));
      engine.consolidate();
    },
    async search(text, k) {
      return (engine.search(text, k) as [string, number][]).map(([id]) => String(id));
    },
    async serialize() {
      return encoder.encode(engine.exportJSON());
    },
  };
}

interface LunrIndex {
  query(fn: (q: unknown) => void): { ref: string }[];
  search(text: string): { ref: string }[];
  toJSON(): unknown;
}

/** Builds lunr over the corpus with its default English pipeline (trimmer, stopwords, stemmer). */
function buildLunr(docs: readonly CorpusDoc[]): LunrIndex {
  const lunr = require('lunr');
  return lunr(function (this: {
    ref(f: string): void;
    field(f: string): void;
    add(d: unknown): void;
  }) {
    this.ref('id');
    this.field('contents');
    for (const doc of docs) this.add({ id: doc.id, contents: contents(doc) });
  });
}

/**
 * @returns lunr with its default English pipeline, terms ORed; the query's
 * tokens go through the index pipeline's trimmer and stopword filter before
 * `q.term` stems them (lunr's best showing on plain-text queries)
 */
export function lunrAdapter(): Adapter {
  const lunr = require('lunr');
  let index: LunrIndex | null = null;
  return {
    name: `lunr ${version('lunr')}`,
    async build(docs) {
      index = buildLunr(docs);
    },
    async search(text, k) {
      const tokens = (lunr.tokenizer(text) as unknown[])
        .map((token) => lunr.stopWordFilter(lunr.trimmer(token)))
        .filter((token) => token !== undefined && String(token).length > 0);
      const hits = index!.query((query) => {
        for (const token of tokens)
          (query as { term(t: string, o: object): void }).term(String(token), {});
      });
      return hits.slice(0, k).map((hit) => hit.ref);
    },
    async serialize() {
      return encoder.encode(JSON.stringify(index!.toJSON()));
    },
  };
}

/**
 * @returns lunr queried as its guide shows, `index.search(text)`, with the
 * query language's operator characters (`: ^ ~ * + \` and a leading `-`)
 * replaced by spaces so that no claim is a syntax error. lunr's query
 * lexer does not trim punctuation, so a claim's last word ("cells.") finds
 * nothing: that, not the ranking, costs this usage its nDCG.
 */
export function lunrSearchAdapter(): Adapter {
  let index: LunrIndex | null = null;
  return {
    name: `lunr ${version('lunr')} (index.search(text))`,
    async build(docs) {
      index = buildLunr(docs);
    },
    async search(text, k) {
      const safe = text.replace(/[:^~*+\\]/g, ' ').replace(/(^|\s)-+/g, ' ');
      try {
        return index!
          .search(safe)
          .slice(0, k)
          .map((hit) => hit.ref);
      } catch {
        // lunr's query parser rejects some texts (a '-' it reads as an operator): no results
        return [];
      }
    },
    async serialize() {
      return encoder.encode(JSON.stringify(index!.toJSON()));
    },
  };
}

/** @returns MiniSearch with its defaults (OR, BM25+) */
export function miniSearch(): Adapter {
  const index = new MiniSearch<{ id: string; contents: string }>({ fields: ['contents'] });
  return {
    name: `MiniSearch ${version('minisearch')}`,
    async build(docs) {
      index.addAll(docs.map((doc) => ({ id: doc.id, contents: contents(doc) })));
    },
    async search(text, k) {
      return index
        .search(text)
        .slice(0, k)
        .map((hit) => String(hit.id));
    },
    async serialize() {
      return encoder.encode(JSON.stringify(index));
    },
  };
}

/** @returns a FlexSearch Index with its defaults, queried with `suggest: true` */
export function flexSearch(): Adapter {
  const { Index } = FlexSearch as unknown as {
    Index: new (
      options?: object,
    ) => {
      add(id: number, text: string): void;
      search(text: string, options: object): number[];
      export(fn: (key: string, data: string) => void): Promise<void> | void;
    };
  };
  const index = new Index();
  let ids: string[] = [];
  return {
    name: `FlexSearch ${version('flexsearch')}`,
    async build(docs) {
      ids = docs.map((doc) => doc.id);
      docs.forEach((doc, i) => index.add(i, contents(doc)));
    },
    async search(text, k) {
      return index.search(text, { limit: k, suggest: true }).map((i) => ids[i]!);
    },
    async serialize() {
      const parts: string[] = [];
      await index.export((key, data) => {
        parts.push(key, data ?? '');
      });
      parts.push(JSON.stringify(ids));
      return encoder.encode(parts.join('\n'));
    },
  };
}

/** @returns Orama with its defaults (BM25, English tokenizer) */
export function orama(): Adapter {
  const db = create({ schema: { id: 'string', contents: 'string' } as const });
  return {
    name: `@orama/orama ${version('@orama/orama')}`,
    async build(docs) {
      await insertMultiple(
        db,
        docs.map((doc) => ({ id: doc.id, contents: contents(doc) })),
      );
    },
    async search(text, k) {
      const result = await oramaSearch(db, { term: text, properties: ['contents'], limit: k });
      return result.hits.map((hit) => String(hit.document.id));
    },
    async serialize() {
      return encoder.encode(JSON.stringify(save(db)));
    },
  };
}

/** Adapters by command-line name. */
export const ADAPTERS: Record<string, () => Adapter> = {
  ours: () => ours(),
  wink,
  'wink-utils': winkUtils,
  lunr: lunrAdapter,
  'lunr-search': lunrSearchAdapter,
  minisearch: miniSearch,
  flexsearch: flexSearch,
  orama,
};
