import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZH_SENTENCES } from './__fixtures__/zh-sentences.js';
import { DocumentError, InvertedIndexError, OptionError } from './errors.js';
import { InvertedIndex } from './inverted-index.js';
import { Q } from './query/query.js';
import { randomTexts, seededRandom } from './test/index.js';

const DOCS = [
  {
    id: 1,
    title: 'Vitamin D and bone health',
    text: 'Vitamin D deficiency raises the risk of fractures.',
  },
  {
    id: 2,
    title: 'Sleep and memory',
    text: 'Sleep loss impairs memory; side effects of drugs vary.',
  },
  { id: 3, title: 'Drug side effects', text: 'The side effects of statins include muscle pain.' },
  { id: 4, title: 'Effects on the side', text: 'Effects seen on the left side of the body.' },
];

function makeIndex(): InvertedIndex {
  const index = new InvertedIndex({ fields: ['title', 'text'], storeFields: ['title', 'text'] });
  index.addAll(DOCS);
  return index;
}

const ids = (hits: { id: string | number }[]) => hits.map((hit) => hit.id);

describe('InvertedIndex documents', () => {
  it('adds, gets, checks and counts documents', () => {
    const index = makeIndex();
    expect(index.size).toBe(4);
    expect(index.has(2)).toBe(true);
    expect(index.has(9)).toBe(false);
    expect(index.get(1)).toEqual({ title: DOCS[0]!.title, text: DOCS[0]!.text });
    expect(index.get(9)).toBeUndefined();
  });

  it('rejects bad and duplicate ids with DocumentError naming the id', () => {
    const index = makeIndex();
    expect(() => index.add({ title: 'x' })).toThrow(DocumentError);
    expect(() => index.add({ id: 1, title: 'x' })).toThrow('add: duplicate document id 1');
    expect(() => index.remove('nope')).toThrow('remove: no document with id "nope"');
    expect(() => index.update({ id: 42, title: 'x' })).toThrow(DocumentError);
    expect(InvertedIndexError.isInstance(new DocumentError('add', 'x', 1))).toBe(true);
  });

  it('validates options', () => {
    expect(() => new InvertedIndex({ fields: [] })).toThrow(OptionError);
    expect(() => new InvertedIndex({ fields: ['a', 'a'] })).toThrow(/duplicates/);
    expect(() => new InvertedIndex({ fields: ['a'], k1: -1 })).toThrow(/k1 must be/);
    expect(() => new InvertedIndex({ fields: ['a'], b: 2 })).toThrow(/b must be/);
    expect(() => new InvertedIndex({ fields: ['a'], boost: { c: 1 } })).toThrow(
      /unknown field 'c'/,
    );
  });

  it('updates a document in place of the old version', () => {
    const index = makeIndex();
    index.update({ id: 1, title: 'Calcium', text: 'Calcium intake and bones.' });
    expect(ids(index.search('vitamin'))).toEqual([]);
    expect(ids(index.search('calcium'))).toEqual([1]);
    expect(index.size).toBe(4);
  });

  it('keeps statistics right after deletes', () => {
    const index = makeIndex();
    const before = index.tokenCount();
    index.remove(3);
    expect(index.size).toBe(3);
    expect(index.tokenCount()).toBeLessThan(before);
    const fresh = new InvertedIndex({ fields: ['title', 'text'], storeFields: ['title', 'text'] });
    fresh.addAll(DOCS.filter((doc) => doc.id !== 3));
    for (const query of ['side effects', 'vitamin memory', 'effects']) {
      expect(index.search(query)).toEqual(fresh.search(query));
    }
    index.compact();
    expect(index.search('side effects')).toEqual(fresh.search('side effects'));
    expect(index.tokenCount()).toBe(fresh.tokenCount());
  });

  it('leaves the same results after add-then-delete as never adding (property)', () => {
    const vocabulary = 'alpha beta gamma delta epsilon zeta eta theta iota kappa'.split(' ');
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 30 }), (seed, extra) => {
        const random = seededRandom(seed);
        const base = randomTexts(random, 25, vocabulary, 12);
        const added = randomTexts(random, extra, vocabulary, 12);
        const plain = new InvertedIndex({ fields: ['text'] });
        base.forEach((text, id) => plain.add({ id, text }));
        const churned = new InvertedIndex({ fields: ['text'] });
        base.forEach((text, id) => {
          churned.add({ id, text });
          if (id < added.length) churned.add({ id: `x${id}`, text: added[id]! });
        });
        added.forEach((text, id) => {
          if (id >= base.length) churned.add({ id: `x${id}`, text });
        });
        added.forEach((_, id) => churned.remove(`x${id}`));
        for (const query of ['alpha beta', 'gamma', 'theta kappa eta', 'alpha AND NOT beta']) {
          expect(churned.search(query, { k: 30 })).toEqual(plain.search(query, { k: 30 }));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('compacts automatically when most doc numbers are deleted', () => {
    const index = new InvertedIndex({ fields: ['text'] });
    for (let i = 0; i < 3000; i++) index.add({ id: i, text: `word${i % 10} common` });
    for (let i = 0; i < 2500; i++) index.remove(i);
    expect(index.store.docNumCount).toBeLessThan(3000);
    expect(index.size).toBe(500);
    expect(index.search('word3', { k: 1000 }).length).toBe(50);
  });
});

describe('InvertedIndex search', () => {
  const index = makeIndex();

  it('ranks BM25F matches and returns stored fields', () => {
    const [first] = index.search('vitamin bone');
    expect(first!.id).toBe(1);
    expect(first!.fields).toEqual({ title: DOCS[0]!.title, text: DOCS[0]!.text });
  });

  it('answers phrase queries, with slop', () => {
    expect(ids(index.search('"side effects"')).sort()).toEqual([2, 3]);
    expect(ids(index.search('"effects side"'))).toEqual([]);
    expect(ids(index.search('"effects side"~2')).sort()).toEqual([2, 3, 4]);
    expect(ids(index.search('"effects on the side"'))).toEqual([4]);
  });

  it('answers boolean, field, prefix, fuzzy and boosted queries', () => {
    expect(ids(index.search('+side -statins')).sort()).toEqual([2, 4]);
    expect(ids(index.search('side AND NOT statins')).sort()).toEqual([2, 4]);
    expect(ids(index.search('title:side')).sort()).toEqual([3, 4]);
    expect(ids(index.search('vitam*'))).toEqual([1]);
    expect(ids(index.search('vitamon~1'))).toEqual([1]);
    expect(ids(index.search('memori~2'))).toEqual([2]);
    expect(ids(index.search('(sleep OR statins) AND (memory OR pain)')).sort()).toEqual([2, 3]);
    const plain = index.search('effects');
    const boosted = index.search('effects^3');
    expect(boosted[0]!.score).toBeCloseTo(plain[0]!.score * 3, 10);
    expect(ids(index.search(Q.and(Q.term('side'), Q.not(Q.term('statins'))))).sort()).toEqual([
      2, 4,
    ]);
  });

  it('honours per-search fields and boosts', () => {
    expect(ids(index.search('memory', { fields: ['text'] }))).toEqual([2]);
    const titleHeavy = ids(index.search('effects', { boost: { title: 10 } }));
    expect(titleHeavy.indexOf(3)).toBeLessThan(titleHeavy.indexOf(2));
    const zeroTitle = index.search('statins effects', { boost: { title: 0 } });
    expect(ids(zeroTitle)).toEqual(ids(index.search('statins effects', { fields: ['text'] })));
    expect(() => index.search('x', { fields: ['nope'] })).toThrow(InvertedIndexError);
  });

  it('handles empty queries, stopword-only queries and unknown words', () => {
    expect(index.search('')).toEqual([]);
    expect(index.search('the of and', { syntax: 'plain' })).toEqual([]);
    expect(index.search('the AND of')).toEqual([]);
    expect(index.search('+the vitamin')).toHaveLength(1);
    expect(index.search('zzzz')).toEqual([]);
    expect(index.search('vitamin', { k: 0 })).toEqual([]);
    expect(() => index.search('vitamin', { k: 2.5 })).toThrow(
      'search: k must be a non-negative integer, got 2.5',
    );
  });

  it('explains scores: the explanation value equals the search score', () => {
    for (const query of ['vitamin bone', '"side effects"', 'side -statins', 'vitam*']) {
      for (const hit of index.search(query)) {
        const explanation = index.explain(hit.id, query)!;
        expect(explanation.value).toBeCloseTo(hit.score, 10);
      }
    }
    // one term: the explanation and the scorer call the same bm25.ts functions, so they agree bit for bit
    for (const term of ['vitamin', 'side', 'effects']) {
      for (const hit of index.search(term))
        expect(index.explain(hit.id, term)!.value).toBe(hit.score);
    }
    expect(index.explain(1, 'statins')).toBeNull();
    const text = JSON.stringify(index.explain(1, 'vitamin'));
    expect(text).toContain('idf');
    expect(text).toContain('k1');
  });

  it('makes snippets with highlighted matches', () => {
    expect(index.snippet(3, 'side effect', { field: 'text' })).toBe(
      'The <mark>side</mark> <mark>effects</mark> of statins include muscle pain.',
    );
    const long = new InvertedIndex({ fields: ['text'], storeFields: ['text'] });
    long.add({
      id: 1,
      text: `${'filler words here. '.repeat(30)}the vitamin matters ${'more '.repeat(40)}`,
    });
    const snippet = long.snippet(1, 'vitamin', { maxLength: 60 });
    expect(snippet).toContain('<mark>vitamin</mark>');
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
  });
});

describe('InvertedIndex edge cases', () => {
  it('indexes empty documents and documents with missing fields', () => {
    const index = new InvertedIndex({ fields: ['title', 'text'] });
    index.add({ id: 'empty', title: '', text: '' });
    index.add({ id: 'missing' });
    index.add({ id: 'real', text: 'real words' });
    expect(index.size).toBe(3);
    expect(ids(index.search('real'))).toEqual(['real']);
    index.remove('empty');
    expect(index.size).toBe(2);
  });

  it('indexes and searches a 1 MB document', () => {
    const index = new InvertedIndex({ fields: ['text'], storeFields: ['text'] });
    const random = seededRandom(7);
    const words = 'cell gene protein tumor immune receptor signal pathway'.split(' ');
    const parts: string[] = [];
    for (let i = 0; i < 150_000; i++) parts.push(words[Math.floor(random() * words.length)]!);
    const text = `${parts.join(' ')} needle`;
    expect(text.length).toBeGreaterThan(1_000_000);
    index.add({ id: 'big', text });
    index.add({ id: 'small', text: 'needle in a haystack' });
    expect(ids(index.search('needle'))).toEqual(['small', 'big']);
    expect(index.search('"gene protein"')[0]!.id).toBe('big');
    expect(index.snippet('big', 'needle')).toContain('<mark>needle</mark>');
  });

  it('searches mixed Chinese and English text', () => {
    const index = new InvertedIndex({ fields: ['text'], storeFields: ['text'] });
    ZH_SENTENCES.forEach((text, id) => index.add({ id, text }));
    index.add({ id: 'mixed', text: '学而时习之 means learning with practice' });
    const hits = index.search('学而时习之');
    expect(hits[0]!.id).toBe('mixed');
    expect(ids(hits)).toContain(0);
    expect(ids(index.search('"时习之" practice'))[0]).toBe('mixed');
    expect(ids(index.search('君子')).length).toBeGreaterThan(2);
    expect(index.snippet(0, '朋自远方来')).toContain('<mark>朋自远方来</mark>');
  });
});
