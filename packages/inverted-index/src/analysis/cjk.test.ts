/**
 * One-character and odd-length Chinese queries match by default (issue 19:
 * `书` found nothing in `看书` when only bigrams were indexed), checked
 * against a brute-force substring oracle on real sentences; multi-character
 * queries and phrases behave as with bigrams; `cjk: 'bigram'` and snapshots
 * saved with it keep the old behaviour.
 */
import { describe, expect, it } from 'vitest';
import { ZH_SENTENCES } from '../__fixtures__/zh-sentences.js';
import { InvertedIndex } from '../inverted-index.js';
import { Q } from '../query/query.js';

function build(cjk?: 'bigram' | 'bigram-unigram'): InvertedIndex {
  const index = new InvertedIndex({
    fields: ['text'],
    storeFields: ['text'],
    analyzer: cjk ? { cjk } : undefined,
  });
  ZH_SENTENCES.forEach((text, id) => index.add({ id, text }));
  index.add({ id: 'book', text: '我喜欢看书' });
  return index;
}

const all = (index: InvertedIndex, query: string) =>
  index
    .search(query, { k: 1000 })
    .map((hit) => hit.id)
    .sort((a, b) => String(a).localeCompare(String(b)));

/** The ids of the sentences that contain `chars` as a substring. */
function containing(chars: string): (string | number)[] {
  const texts: [string | number, string][] = [
    ...ZH_SENTENCES.map((text, id): [number, string] => [id, text]),
    ['book', '我喜欢看书'],
  ];
  return texts
    .filter(([, text]) => text.includes(chars))
    .map(([id]) => id)
    .sort((a, b) => String(a).localeCompare(String(b)));
}

describe('CJK analysis by default (bigrams and unigrams)', () => {
  const index = build();

  it('finds a one-character query wherever the character occurs', () => {
    expect(all(index, '书')).toEqual(containing('书')); // 看书, and 《书》 alone in sentence 36
    expect(all(index, '书')).toContain('book');
    for (const char of ['子', '仁', '礼', '信', '学', '乎', '看']) {
      expect(all(index, char), char).toEqual(containing(char));
    }
    expect(index.search(Q.phrase('看书')).map((hit) => hit.id)).toEqual(['book']);
  });

  it('matches odd-length runs and lone characters inside a longer query', () => {
    // three characters: two bigrams, all in the document
    expect(all(index, '"时习之"')).toEqual(containing('时习之'));
    // a lone character beside a two-character word: both parts match
    expect(index.search('看 书')[0]!.id).toBe('book');
    expect(index.search('喜欢 书')[0]!.id).toBe('book');
  });

  it('ranks and phrases multi-character queries by their bigrams', () => {
    expect(all(index, '"君子"')).toEqual(containing('君子'));
    expect(all(index, '"朋自远方来"')).toEqual(containing('朋自远方来'));
    expect(index.snippet(0, '朋自远方来')).toContain('<mark>朋自远方来</mark>');
    expect(index.snippet('book', '书')).toBe('我喜欢看<mark>书</mark>');
  });

  it('keeps its analysis through a snapshot', () => {
    const copy = InvertedIndex.load(index.save());
    expect(all(copy, '书')).toEqual(containing('书'));
    expect(copy.search('君子')).toEqual(index.search('君子'));
  });
});

describe("cjk: 'bigram' (Lucene's CJKAnalyzer) keeps the old behaviour", () => {
  it('a one-character query matches only where the character stands alone', () => {
    const index = build('bigram');
    expect(all(index, '书')).toEqual([36]); // 《书》, not 看书
    expect(all(InvertedIndex.load(index.save()), '书')).toEqual([36]);
    expect(all(index, '"君子"')).toEqual(containing('君子'));
  });
});
