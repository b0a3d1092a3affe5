import { describe, expect, it } from 'vitest';
import { ZH_SENTENCES } from '../__fixtures__/zh-sentences.js';
import { OptionError } from '../errors.js';
import { composeAnalyzer, createAnalyzer } from './analyzer.js';
import { loadJiebaSegmenter } from './jieba-segmenter.js';
import { standardTokenize } from './standard-tokenizer.js';
import { mapTerms } from './token-stream.js';

describe('createAnalyzer (English, as Lucene EnglishAnalyzer)', () => {
  const analyzer = createAnalyzer();

  it('removes possessives, lowercases, drops stopwords and stems', () => {
    expect(analyzer.analyze("The patient's studies are RUNNING into the trials").terms).toEqual([
      'patient',
      'studi',
      'run',
      'trial',
    ]);
  });

  it('leaves position gaps where stopwords were', () => {
    const stream = analyzer.analyze('effects of the vitamin');
    expect(stream.terms).toEqual(['effect', 'vitamin']);
    expect(stream.positions).toEqual([0, 3]);
  });

  it('folds accents only when asked', () => {
    expect(analyzer.analyze('café naïve').terms).toEqual(['café', 'naïv']);
    expect(createAnalyzer({ asciiFolding: true }).analyze('Café Straße').terms).toEqual([
      'cafe',
      'strass',
    ]);
  });

  it('takes a custom stopword list, or none', () => {
    expect(createAnalyzer({ stopwords: ['vitamin'] }).analyze('the vitamin').terms).toEqual([
      'the',
    ]);
    expect(createAnalyzer({ stopwords: false, stemmer: 'none' }).analyze('the cats').terms).toEqual(
      ['the', 'cats'],
    );
  });

  it('normalizes single query terms without stemming', () => {
    expect(analyzer.normalize('Vitamins')).toBe('vitamins');
  });

  it('describes its stages', () => {
    expect(analyzer.describe()).toBe(
      'standard > cjk-bigram-unigram > possessive > lowercase > stop > porter',
    );
  });

  it('rejects unknown options', () => {
    expect(() => createAnalyzer({ cjk: 'dictionary' })).toThrow(OptionError);
    expect(() => createAnalyzer({ cjk: 'trigram' as never })).toThrow(/unknown cjk mode/);
  });

  it('composes custom chains', () => {
    const upper = composeAnalyzer(standardTokenize, [
      { name: 'upper', apply: (stream) => mapTerms(stream, (term) => term.toUpperCase()) },
    ]);
    expect(upper.analyze('a b').terms).toEqual(['A', 'B']);
  });
});

describe('CJK analysis on real Chinese sentences', () => {
  const sentence = ZH_SENTENCES[0]!; // 子曰：“学而时习之，不亦说乎？...”

  it("makes overlapping bigrams with cjk: 'bigram' (Lucene CJKAnalyzer)", () => {
    const stream = createAnalyzer({ cjk: 'bigram' }).analyze('学而时习之，不亦说乎');
    expect(stream.terms).toEqual(['学而', '而时', '时习', '习之', '不亦', '亦说', '说乎']);
    expect(stream.positions).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(stream.starts).toEqual([0, 1, 2, 3, 6, 7, 8]);
  });

  it('indexes unigrams and bigrams by default (CJKBigramFilter outputUnigrams), queries with bigrams', () => {
    const analyzer = createAnalyzer();
    const stream = analyzer.analyze('学而时，不亦');
    expect(stream.terms).toEqual(['学', '学而', '而', '而时', '时', '不', '不亦', '亦']);
    // a bigram sits at its first character's position, as Lucene's position increment 0
    expect(stream.positions).toEqual([0, 0, 1, 1, 2, 3, 3, 4]);
    expect(stream.starts).toEqual([0, 0, 1, 1, 2, 4, 4, 5]);
    expect(stream.ends).toEqual([1, 2, 2, 3, 3, 5, 6, 6]);
    const query = analyzer.analyzeQuery!('学而时，不亦 书');
    expect(query.terms).toEqual(['学而', '而时', '不亦', '书']);
    expect(query.positions).toEqual([0, 1, 2, 3]);
  });

  it('keeps a lone character as a unigram, and splits mixed text', () => {
    expect(createAnalyzer({ cjk: 'bigram' }).analyze('子曰：好 DNA repair 研究').terms).toEqual([
      '子曰',
      '好',
      'dna',
      'repair',
      '研究',
    ]);
  });

  it('analyzes a whole sentence of the Analects', () => {
    const terms = createAnalyzer({ cjk: 'bigram' }).analyze(sentence).terms;
    expect(terms).toContain('学而');
    expect(terms).toContain('朋自');
    expect(terms.every((term) => [...term].length <= 2)).toBe(true);
  });

  it('makes unigrams when asked', () => {
    expect(createAnalyzer({ cjk: 'unigram' }).analyze('君子').terms).toEqual(['君', '子']);
  });

  it('segments words with jieba-wasm offline when selected', async () => {
    const segmenter = await loadJiebaSegmenter();
    expect(segmenter.segment('我来到北京清华大学')).toEqual(['我', '来到', '北京', '清华大学']);
    const analyzer = createAnalyzer({ cjk: 'dictionary', segmenter });
    const stream = analyzer.analyze('我来到北京清华大学 to study');
    expect(stream.terms).toEqual(['我', '来到', '北京', '清华大学', 'studi']);
    expect(stream.starts.slice(0, 4)).toEqual([0, 1, 3, 5]);
  });
});
