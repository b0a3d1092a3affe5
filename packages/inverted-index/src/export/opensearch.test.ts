import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeAnalyzer, createAnalyzer } from '../analysis/analyzer.js';
import { standardTokenize } from '../analysis/standard-tokenizer.js';
import { SNOWBALL_STOPWORDS } from '../analysis/stopwords.js';
import { DocumentError, OptionError } from '../errors.js';
import { InvertedIndex } from '../inverted-index.js';
import { openSearchBulk, openSearchBulkLines, openSearchIndexBody } from './opensearch.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../__fixtures__/opensearch/${name}`, import.meta.url), 'utf8');

type Body = {
  settings: {
    analysis: {
      filter: Record<string, unknown>;
      analyzer: Record<string, { tokenizer: string; filter: string[] }>;
    };
  };
};
/** An analyzer's chain with filter names replaced by their definitions (built-ins by name). */
function resolvedChain(body: Body, analyzer: string): unknown[] {
  const definition = body.settings.analysis.analyzer[analyzer]!;
  return [
    { tokenizer: definition.tokenizer },
    ...definition.filter.map((name) => body.settings.analysis.filter[name] ?? name),
  ];
}

describe('openSearchIndexBody', () => {
  const documented = JSON.parse(fixture('english-analyzer.json')) as Body;
  // keyword_marker with no keywords marks nothing: the documented chain without it
  const documentedChain = resolvedChain(documented, 'english_analyzer').filter(
    (step) => (step as { type?: string }).type !== 'keyword_marker',
  );

  it("maps English analysis (Lucene's stopwords, no CJK bigrams) to the documentation's custom English analyzer", () => {
    const body = openSearchIndexBody({
      fields: ['content'],
      analyzer: { cjk: 'unigram', stopwords: 'lucene' },
    });
    expect(resolvedChain(body, body.mappings.properties.content!.analyzer as string)).toEqual(
      documentedChain,
    );
  });

  it('maps the default analysis to that chain with CJK unigrams + bigrams after the tokenizer and Snowball stopwords', () => {
    const body = openSearchIndexBody({ fields: ['content'] });
    const chain = resolvedChain(body, 'x_english');
    const stop = { type: 'stop', stopwords: [...SNOWBALL_STOPWORDS] };
    expect(chain).toEqual([
      documentedChain[0],
      { type: 'cjk_bigram', output_unigrams: true },
      ...documentedChain
        .slice(1)
        .map((step) => ((step as { type?: string }).type === 'stop' ? stop : step)),
    ]);
    const bigramOnly = openSearchIndexBody({
      fields: ['c'],
      analyzer: { cjk: 'bigram', stopwords: 'lucene' },
    });
    expect(resolvedChain(bigramOnly, 'x_english')).toEqual([
      documentedChain[0],
      'cjk_bigram',
      ...documentedChain.slice(1),
    ]);
  });

  it('carries k1 and b into BM25 similarities, per field where b differs', () => {
    const body = openSearchIndexBody({
      fields: ['title', 'text'],
      k1: 1.2,
      b: { title: 0.3, text: 0.75 },
    });
    expect(body.settings.index.similarity).toEqual({
      x_bm25: { type: 'BM25', k1: 1.2, b: 0.3 },
      x_bm25_1: { type: 'BM25', k1: 1.2, b: 0.75 },
    });
    expect(body.mappings.properties.title).toEqual({
      type: 'text',
      analyzer: 'x_english',
      similarity: 'x_bm25',
    });
    expect(body.mappings.properties.text!.similarity).toBe('x_bm25_1');
    // defaults: Lucene's k1 1.2, b 0.75
    expect(openSearchIndexBody({ fields: ['a'] }).settings.index.similarity.x_bm25).toEqual({
      type: 'BM25',
      k1: 1.2,
      b: 0.75,
    });
  });

  it('exports custom stopwords, folding, no stemming, positions off and analyzers made by createAnalyzer', () => {
    const body = openSearchIndexBody({
      fields: ['a', 'b'],
      analyzers: {
        a: { stopwords: ['foo', 'bar'], stemmer: 'none', asciiFolding: true },
        b: createAnalyzer({ cjk: 'unigram' }),
      },
      positions: { b: false },
    });
    expect(resolvedChain(body, body.mappings.properties.a!.analyzer as string)).toEqual([
      { tokenizer: 'standard' },
      { type: 'cjk_bigram', output_unigrams: true },
      { type: 'stemmer', language: 'possessive_english' },
      'lowercase',
      'asciifolding',
      { type: 'stop', stopwords: ['foo', 'bar'] },
    ]);
    expect(body.mappings.properties.b!.analyzer).not.toBe(body.mappings.properties.a!.analyzer);
    expect(body.mappings.properties.b!.index_options).toBe('freqs');
    expect(body.mappings.dynamic).toBe(false);
  });

  it('refuses analysis with no built-in equivalent, naming the field', () => {
    expect(() => openSearchIndexBody({ fields: ['zh'], analyzer: { cjk: 'dictionary' } })).toThrow(
      OptionError,
    );
    expect(() => openSearchIndexBody({ fields: ['zh'], analyzer: { cjk: 'dictionary' } })).toThrow(
      /field "zh": cjk 'dictionary'/,
    );
    const custom = composeAnalyzer(standardTokenize, []);
    expect(() => openSearchIndexBody({ fields: ['x'], analyzer: custom })).toThrow(
      /field "x": a custom analyzer/,
    );
    expect(() => openSearchIndexBody({ fields: [] })).toThrow(OptionError);
  });
});

describe('openSearchBulkLines', () => {
  it("writes the documentation's bulk example line for line", () => {
    const ours = openSearchBulk(
      [
        { id: '2', title: 'My Neighbor Totoro' },
        { id: '3', title: 'Princess Mononoke' },
      ],
      { index: 'movies', extraFields: () => ({}) },
    );
    const parse = (text: string) =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line));
    const documented = parse(fixture('bulk-movies.ndjson'));
    const got = parse(ours);
    // the documented sources carry no id field; ours keep the document as given
    expect(got.map((line, i) => (i % 2 === 1 ? { title: line.title } : line))).toEqual(documented);
    expect(ours.endsWith('\n')).toBe(true);
    expect(ours.split('\n')).toHaveLength(5); // four lines, each ending in \n
  });

  it('exports what an index holds: every document once, ids as strings, extra fields merged', () => {
    const documents = [
      { id: 1, text: 'vitamin d and bones' },
      { id: 'b', text: '论语 学而时习之' },
    ];
    const index = new InvertedIndex({ fields: ['text'] });
    index.addAll(documents);
    const lines = [
      ...openSearchBulkLines(documents, { index: 'papers', extraFields: (_, i) => ({ rank: i }) }),
    ];
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(
      true,
    );
    const actions = lines.filter((_, i) => i % 2 === 0).map((line) => JSON.parse(line));
    expect(actions).toEqual([
      { index: { _index: 'papers', _id: '1' } },
      { index: { _index: 'papers', _id: 'b' } },
    ]);
    expect(JSON.parse(lines[3]!)).toEqual({ id: 'b', text: '论语 学而时习之', rank: 1 });
    expect(actions.length).toBe(index.size);
  });

  it('refuses a document without an id, an id over 512 bytes and a missing index name', () => {
    expect(() => openSearchBulk([{ text: 'x' }], { index: 'p' })).toThrow(DocumentError);
    expect(() => openSearchBulk([{ id: 'é'.repeat(300) }], { index: 'p' })).toThrow(/512 bytes/);
    expect(() => openSearchBulk([], { index: '' })).toThrow(OptionError);
  });
});
