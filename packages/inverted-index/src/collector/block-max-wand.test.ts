import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../analysis/analyzer.js';
import { InvertedIndex } from '../inverted-index.js';
import { randomTexts, referenceScores, seededRandom, topOf } from '../test/index.js';
import { TopK } from './top-k.js';

const VOCABULARY = Array.from({ length: 300 }, (_, i) => `w${i.toString(36)}x`);

function randomIndex(seed: number, count: number, fields: string[]) {
  const random = seededRandom(seed);
  const texts = fields.map(() => randomTexts(random, count, VOCABULARY, 40));
  const index = new InvertedIndex({
    fields,
    analyzer: { stemmer: 'none', stopwords: false },
    boost: Object.fromEntries(fields.map((field, f) => [field, 1 + f])),
  });
  for (let id = 0; id < count; id++) {
    index.add(
      Object.fromEntries([['id', id], ...fields.map((field, f) => [field, texts[f]![id]])]),
    );
  }
  return { index, texts, random };
}

function randomQuery(random: () => number): string {
  const length = 1 + Math.floor(random() * 8);
  const words: string[] = [];
  for (let i = 0; i < length; i++) {
    words.push(VOCABULARY[Math.floor(VOCABULARY.length ** random()) - 1]!);
  }
  return words.join(' ');
}

describe('TopK', () => {
  it('keeps the k best, ties broken by lower doc number', () => {
    const top = new TopK(3);
    for (const [score, doc] of [
      [1, 5],
      [3, 1],
      [2, 9],
      [2, 4],
      [0.5, 0],
      [3, 0],
    ] as const) {
      top.offer(score, doc);
    }
    expect(top.results()).toEqual([
      { doc: 0, score: 3 },
      { doc: 1, score: 3 },
      { doc: 4, score: 2 },
    ]);
  });
});

describe('Block-Max WAND', () => {
  it('returns exactly the exhaustive top-k on random queries (property)', () => {
    const { index } = randomIndex(1, 3000, ['text']);
    const multi = randomIndex(2, 1500, ['title', 'text']).index;
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(1, 5, 10, 50), (seed, k) => {
        const random = seededRandom(seed);
        for (const target of [index, multi]) {
          const query = randomQuery(random);
          const pruned = target.search(query, { k, syntax: 'plain' });
          const exhaustive = target.search(query, { k, syntax: 'plain', pruning: false });
          expect(pruned).toEqual(exhaustive);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('stays exact with deleted documents and excluded terms', () => {
    const { index, random } = randomIndex(3, 2000, ['text']);
    for (let id = 0; id < 2000; id += 3) index.remove(id);
    for (let i = 0; i < 60; i++) {
      const query = `${randomQuery(random)} -${VOCABULARY[Math.floor(random() * 40)]}`;
      expect(index.search(query, { k: 10 })).toEqual(
        index.search(query, { k: 10, pruning: false }),
      );
    }
  });

  it('agrees with brute-force BM25F scoring', () => {
    const { index, texts, random } = randomIndex(4, 400, ['title', 'text']);
    const documents = texts[0]!.map((title, id) => [title, texts[1]![id]!]);
    const analyzer = createAnalyzer({ stemmer: 'none', stopwords: false });
    for (let i = 0; i < 30; i++) {
      const query = randomQuery(random);
      const expected = topOf(
        referenceScores(documents, analyzer, query, { k1: 1.2, b: [0.75, 0.75], weights: [1, 2] }),
        10,
      );
      const hits = index.search(query, { k: 10, syntax: 'plain' });
      expect(hits.map((hit) => hit.score)).toHaveLength(expected.length);
      hits.forEach((hit, rank) => expect(hit.score).toBeCloseTo(expected[rank]![1], 9));
    }
  });
});
