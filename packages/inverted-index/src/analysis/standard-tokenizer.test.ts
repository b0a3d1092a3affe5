import { describe, expect, it } from 'vitest';
import { standardTokenize } from './standard-tokenizer.js';
import { TokenKind } from './token-stream.js';

const terms = (text: string) => standardTokenize(text).terms;

describe('standardTokenize (UAX #29, as Lucene StandardTokenizer)', () => {
  it('splits on spaces and punctuation, keeps case', () => {
    expect(terms('Hello, World! How are you?')).toEqual(['Hello', 'World', 'How', 'are', 'you']);
  });

  it('keeps apostrophes, decimal points and thousands separators inside tokens', () => {
    expect(terms("don't O'Neil's 3.14 1,000,000 $5.")).toEqual([
      "don't",
      "O'Neil's",
      '3.14',
      '1,000,000',
      '5',
    ]);
  });

  it('splits hyphenated forms and keeps letter-digit mixes whole', () => {
    expect(terms('wi-fi COVID-19 H1N1 il-6 snake_case')).toEqual([
      'wi',
      'fi',
      'COVID',
      '19',
      'H1N1',
      'il',
      '6',
      'snake_case',
    ]);
  });

  it('joins letters across a dot but not a trailing dot (U.S.A. -> U.S.A)', () => {
    expect(terms('the U.S.A. and e.g. this')).toEqual(['the', 'U.S.A', 'and', 'e.g', 'this']);
  });

  it('joins letters across a colon and the right single quote (MidLetter, MidNumLet)', () => {
    expect(terms('a:b it’s 1:2')).toEqual(['a:b', 'it’s', '1', '2']);
  });

  it('handles accented letters, combining marks and other scripts', () => {
    expect(terms('naïve café Straße Ελληνικά русский')).toEqual([
      'naïve',
      'café',
      'Straße',
      'Ελληνικά',
      'русский',
    ]);
    expect(terms('cafe\u0301 ok')).toEqual(['cafe\u0301', 'ok']);
  });

  it('emits each Han and Hiragana character alone, Katakana and Hangul runs whole', () => {
    const stream = standardTokenize('学而 ひらがな カタカナ 한국어');
    expect(stream.terms).toEqual(['学', '而', 'ひ', 'ら', 'が', 'な', 'カタカナ', '한국어']);
    expect(stream.kinds[0]).toBe(TokenKind.han);
    expect(stream.kinds[2]).toBe(TokenKind.hiragana);
    expect(stream.kinds[6]).toBe(TokenKind.katakana);
    expect(stream.kinds[7]).toBe(TokenKind.hangul);
  });

  it('reports UTF-16 offsets and consecutive positions', () => {
    const stream = standardTokenize('  ab 😀 cd𝒳e ');
    expect(stream.terms).toEqual(['ab', 'cd𝒳e']);
    expect(stream.starts).toEqual([2, 8]);
    expect(stream.ends).toEqual([4, 13]);
    expect(stream.positions).toEqual([0, 1]);
  });

  it('splits tokens longer than 255 characters', () => {
    const stream = standardTokenize('x'.repeat(600));
    expect(stream.terms.map((term) => term.length)).toEqual([255, 255, 90]);
  });

  it('returns nothing for empty or punctuation-only text', () => {
    expect(terms('')).toEqual([]);
    expect(terms(' ... ,,, !!! ')).toEqual([]);
  });
});
