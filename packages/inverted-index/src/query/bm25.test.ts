import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../analysis/analyzer.js';
import { InvertedIndex } from '../inverted-index.js';
import { referenceScores } from '../test/index.js';
import { bm25, bm25Idf, luceneLength, normalizedFrequency, saturate } from './bm25.js';

describe('bm25', () => {
  it('matches hand-computed figures', () => {
    // idf = ln(1 + (10 - 1 + 0.5) / 1.5) = ln(7.333...)
    expect(bm25Idf(10, 1)).toBeCloseTo(Math.log(22 / 3), 12);
    expect(normalizedFrequency(2, 10, 5, 0.5)).toBeCloseTo(2 / 1.5, 12);
    expect(saturate(1, 1.2)).toBeCloseTo(1 / 2.2, 12);
    // Lucene form: idf * tf / (tf + k1 * (1 - b + b * dl / avgdl))
    const expected = Math.log(22 / 3) * (2 / (2 + 1.2 * (0.25 + 0.75 * 2)));
    expect(bm25(2, 10, 5, 10, 1, { k1: 1.2, b: 0.75 })).toBeCloseTo(expected, 12);
  });

  it("reproduces Lucene's one-byte length norm (SmallFloat.intToByte4 / byte4ToInt)", () => {
    for (let length = 0; length < 40; length++) expect(luceneLength(length)).toBe(length);
    expect([40, 41, 42, 100, 1000, 123456].map(luceneLength)).toEqual([
      40, 40, 42, 96, 984, 122904,
    ]);
    let previous = 0;
    for (let length = 0; length < 100_000; length += 7) {
      const value = luceneLength(length);
      expect(value).toBeLessThanOrEqual(length);
      expect(value).toBeGreaterThanOrEqual(previous);
      previous = value;
    }
  });

  it('scores with Lucene norms when asked, and prunes exactly with them', () => {
    const text = (n: number) =>
      Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 'cat' : `w${i}`)).join(' ');
    const exact = new InvertedIndex({
      fields: ['text'],
      analyzer: { stemmer: 'none' },
      k1: 0.9,
      b: 0.4,
    });
    const lucene = new InvertedIndex({
      fields: ['text'],
      analyzer: { stemmer: 'none' },
      lengthNorm: 'lucene',
      k1: 0.9,
      b: 0.4,
    });
    for (let id = 0; id < 300; id++) {
      exact.add({ id, text: text(30 + id) });
      lucene.add({ id, text: text(30 + id) });
    }
    const hit = lucene.search('cat', { k: 300 }).find((h) => h.id === 70)!;
    // dl = 100 -> Lucene norm 96; tf = 20; avgdl exact
    const avgdl = lucene.tokenCount() / 300;
    const idf = Math.log(1 + (300 - 300 + 0.5) / 300.5);
    expect(hit.score).toBeCloseTo((idf * 20) / (20 + 0.9 * (0.6 + (0.4 * 96) / avgdl)), 12);
    expect(exact.search('cat', { k: 300 }).find((h) => h.id === 70)!.score).not.toBeCloseTo(
      hit.score,
      6,
    );
    expect(lucene.search('cat w1 w7', { k: 10 })).toEqual(
      lucene.search('cat w1 w7', { k: 10, pruning: false }),
    );
    expect(InvertedIndex.load(lucene.save()).search('cat')).toEqual(lucene.search('cat'));
  });

  it('scores a tiny index exactly as computed by hand', () => {
    const index = new InvertedIndex({
      fields: ['text'],
      analyzer: { stemmer: 'none', stopwords: false },
      preset: 'anserini',
      lengthNorm: 'exact',
    });
    index.addAll([
      { id: 'a', text: 'cat cat dog' },
      { id: 'b', text: 'dog bird' },
      { id: 'c', text: 'fish' },
    ]);
    // N = 3, df(cat) = 1, avgdl = 6 / 3 = 2, dl(a) = 3, tf = 2, k1 = 0.9, b = 0.4
    const idf = Math.log(1 + (3 - 1 + 0.5) / 1.5);
    const expected = (idf * 2) / (2 + 0.9 * (0.6 + (0.4 * 3) / 2));
    const [hit] = index.search('cat');
    expect(hit!.id).toBe('a');
    expect(hit!.score).toBeCloseTo(expected, 12);
    // the default: k1 1.2, b 0.75
    const defaults = new InvertedIndex({
      fields: ['text'],
      analyzer: { stemmer: 'none', stopwords: false },
    });
    defaults.addAll([
      { id: 'a', text: 'cat cat dog' },
      { id: 'b', text: 'dog bird' },
      { id: 'c', text: 'fish' },
    ]);
    expect(defaults.search('cat')[0]!.score).toBeCloseTo(
      (idf * 2) / (2 + 1.2 * (0.25 + (0.75 * 3) / 2)),
      12,
    );
  });

  it('counts a repeated query term once by default, once per repetition with repeatedTerms: sum', () => {
    const make = (options: { repeatedTerms?: 'once' | 'sum'; preset?: 'anserini' }) => {
      const index = new InvertedIndex({ fields: ['text'], ...options });
      index.addAll([
        { id: 'a', text: 'cat dog' },
        { id: 'b', text: 'dog dog bird' },
      ]);
      return index;
    };
    const once = make({});
    const sum = make({ repeatedTerms: 'sum' });
    const single = once.search('dog', { syntax: 'plain' })[0]!.score;
    expect(once.search('dog dog dogs', { syntax: 'plain' })[0]!.score).toBe(single);
    expect(sum.search('dog dog dogs', { syntax: 'plain' })[0]!.score).toBeCloseTo(3 * single, 12);
    expect(once.search('dog dog', { syntax: 'plain', repeatedTerms: 'sum' })[0]!.score).toBeCloseTo(
      2 * single,
      12,
    );
    expect(make({ preset: 'anserini' }).options.repeatedTerms).toBe('sum');
    expect(InvertedIndex.load(sum.save()).options.repeatedTerms).toBe('sum');
    expect(() => once.search('dog', { repeatedTerms: 'twice' as never })).toThrow(
      /repeatedTerms must be 'once' or 'sum'/,
    );
  });

  it('agrees with the brute-force BM25F reference on several fields', () => {
    const analyzer = createAnalyzer();
    const docs = [
      ['Vitamin D and bone health', 'Vitamin D deficiency raises fracture risk in older adults.'],
      ['Sleep and memory', 'Sleep loss impairs memory consolidation; vitamin levels unchanged.'],
      ['Bone density', 'Bone density declines with age. Calcium and vitamin D help.'],
      ['', 'An empty title, with text about fractures and bones.'],
    ];
    const index = new InvertedIndex({
      fields: ['title', 'text'],
      analyzer,
      boost: { title: 2 },
      b: { title: 0.3, text: 0.75 },
      k1: 1.2,
    });
    docs.forEach(([title, text], id) => index.add({ id, title, text }));
    for (const query of [
      'vitamin d bone',
      'fracture risk',
      'memory sleep sleep',
      'unknown words',
    ]) {
      const reference = referenceScores(docs, analyzer, query, {
        k1: 1.2,
        b: [0.3, 0.75],
        weights: [2, 1],
      });
      const hits = index.search(query, { syntax: 'plain' });
      expect(hits.length).toBe(reference.size);
      for (const hit of hits) expect(hit.score).toBeCloseTo(reference.get(hit.id as number)!, 10);
    }
  });
});
