import { Tokenizer as HuggingFaceTokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { shakespeareSlice, variedText } from './__fixtures__/varied-text.js';
import { CharTokenizer } from './char-tokenizer.js';
import { tokenizerFromFiles } from './load-tokenizer.js';
import { tokenizerConfigJson } from './tokenizer-config.js';
import { TokenIdError, TokenizerFormatError, UnknownCharacterError } from './tokenizer-errors.js';

/** The ids `@huggingface/tokenizers` gives for `text` with our tokenizer.json. */
function huggingFaceIds(tokenizer: CharTokenizer, text: string): number[] {
  const library = new HuggingFaceTokenizer(tokenizer.toJSON(), tokenizerConfigJson(tokenizer));
  return library.encode(text, { add_special_tokens: false }).ids;
}

describe('CharTokenizer', () => {
  it('numbers the sorted distinct characters of a corpus, as nanoGPT does', () => {
    const corpus = shakespeareSlice();
    const tokenizer = CharTokenizer.fromCorpus(corpus);
    // nanoGPT: chars = sorted(list(set(data))); stoi = { ch: i for i, ch in enumerate(chars) }
    const chars = [...new Set(corpus)].sort();
    expect(tokenizer.vocabulary).toEqual(chars);
    expect(tokenizer.encode('First Citizen')).toEqual(
      [...'First Citizen'].map((c) => chars.indexOf(c)),
    );
    expect(tokenizer.decode(tokenizer.encode(corpus))).toBe(corpus);
    expect(tokenizer.kind).toBe('char');
    expect(tokenizer.special).toEqual({});
  });

  it('counts code points, not UTF-16 units, and sorts by code point', () => {
    // U+FF01 sorts before U+1F600 by code point, after it by UTF-16 unit
    const tokenizer = CharTokenizer.fromCorpus('😀！a😀');
    expect(tokenizer.vocabulary).toEqual(['a', '！', '😀']);
    expect(tokenizer.vocabSize).toBe(3);
    expect(tokenizer.encode('😀a')).toEqual([2, 0]);
  });

  it("throws UnknownCharacterError naming the character and its position under 'error'", () => {
    const tokenizer = CharTokenizer.fromCorpus('abc');
    expect(() => tokenizer.encode('ab😀z')).toThrow(UnknownCharacterError);
    expect(() => tokenizer.encode('ab😀z')).toThrow(
      'encode: character "😀" (U+1F600) at position 2 is not in the vocabulary (3 characters)',
    );
    try {
      tokenizer.encode('abcz');
    } catch (error) {
      expect(error).toMatchObject({ character: 'z', position: 3 });
    }
  });

  it("drops unknown characters under 'skip', as Hugging Face does without an unk token", () => {
    const tokenizer = CharTokenizer.fromCorpus('abc', { unknown: 'skip' });
    expect(tokenizer.encode('axbyc')).toEqual([0, 1, 2]);
    expect(huggingFaceIds(tokenizer, 'axbyc')).toEqual([0, 1, 2]);
  });

  it('maps unknown characters to a replacement character or an unk token', () => {
    const replace = CharTokenizer.fromCorpus('ab?', { unknown: { unkToken: '?' } });
    expect(replace.vocabulary).toEqual(['?', 'a', 'b']);
    expect(replace.encode('axb')).toEqual([1, 0, 2]);
    expect(replace.decode(replace.encode('axb'))).toBe('a?b');
    expect(replace.special.unk).toBeUndefined();
    const added = CharTokenizer.fromCorpus('ab', { unknown: { unkToken: '\uFFFD' } });
    expect(added.vocabulary).toEqual(['a', 'b', '\uFFFD']);
    expect(added.decode(added.encode('axb'))).toBe('a\uFFFDb');
    const unk = CharTokenizer.fromCorpus('ab', { unknown: { unkToken: '<unk>' } });
    expect(unk.encode('axb')).toEqual([0, 2, 1]);
    expect(unk.special.unk).toBe(2);
    expect(unk.decode([0, 2, 1])).toBe('ab');
    expect(unk.decode([0, 2, 1], { keepSpecial: true })).toBe('a<unk>b');
    for (const tokenizer of [replace, added, unk]) {
      expect(huggingFaceIds(tokenizer, 'axb😀ba')).toEqual(tokenizer.encode('axb😀ba'));
    }
  });

  it('gives special tokens ids after the characters and cuts them out of text', () => {
    const tokenizer = CharTokenizer.fromCorpus('ab', {
      specialTokens: { bos: '<s>', eos: '</s>', pad: '<pad>' },
    });
    expect(tokenizer.special).toEqual({ bos: 2, eos: 3, pad: 4 });
    expect(tokenizer.encode('<s>ab</s>')).toEqual([2, 0, 1, 3]);
    expect(tokenizer.decode([2, 0, 1, 3])).toBe('ab');
    expect(tokenizer.decode([2, 0, 1, 3], { keepSpecial: true })).toBe('<s>ab</s>');
    expect(huggingFaceIds(tokenizer, '<s>ab</s><pad>')).toEqual(tokenizer.encode('<s>ab</s><pad>'));
  });

  it('saves as a tokenizer.json that @huggingface/tokenizers runs with the same ids and text', () => {
    const corpus = variedText(40_000, 3);
    const tokenizer = CharTokenizer.fromCorpus(corpus, { specialTokens: { eos: '<|endoftext|>' } });
    const text = `${corpus.slice(0, 20_000)}<|endoftext|>${corpus.slice(20_000)}`;
    const ids = tokenizer.encode(text);
    expect(huggingFaceIds(tokenizer, text)).toEqual(ids);
    const library = new HuggingFaceTokenizer(tokenizer.toJSON(), tokenizerConfigJson(tokenizer));
    expect(
      library.decode(ids, { skip_special_tokens: true, clean_up_tokenization_spaces: false }),
    ).toBe(tokenizer.decode(ids));
  });

  it('loads back from its tokenizer.json and tokenizer_config.json', () => {
    const tokenizer = CharTokenizer.fromCorpus('hello world', {
      unknown: { unkToken: '<unk>' },
      specialTokens: { bos: '<s>', eos: '</s>' },
    });
    const again = tokenizerFromFiles({
      'tokenizer.json': JSON.stringify(tokenizer),
      'tokenizer_config.json': JSON.stringify(tokenizerConfigJson(tokenizer)),
    }) as CharTokenizer;
    expect(again).toBeInstanceOf(CharTokenizer);
    expect(again.vocabulary).toEqual(tokenizer.vocabulary);
    expect(again.special).toEqual(tokenizer.special);
    expect(again.unknown).toEqual({ unkToken: '<unk>' });
    expect(again.encode('<s>held! </s>')).toEqual(tokenizer.encode('<s>held! </s>'));
    const plain = CharTokenizer.fromCorpus('abc');
    const loaded = CharTokenizer.fromJSON(JSON.stringify(plain));
    expect(loaded.unknown).toBe('error');
    expect(CharTokenizer.fromJSON(plain.toJSON(), { unknown: 'skip' }).encode('axc')).toEqual([
      0, 2,
    ]);
  });

  it('refuses bad vocabularies, ids out of range and non-character documents', () => {
    expect(() => CharTokenizer.fromCharacters(['a', 'bc'])).toThrow(
      'vocabulary entry "bc" is not one character',
    );
    expect(() => CharTokenizer.fromCharacters(['a', 'a'])).toThrow('character "a" is listed twice');
    const tokenizer = CharTokenizer.fromCorpus('ab');
    expect(() => tokenizer.decode([0, 2])).toThrow(TokenIdError);
    expect(() => tokenizer.decode([0, 2])).toThrow(
      'id 2 at position 1 is out of range (vocabulary size 2)',
    );
    const json = tokenizer.toJSON();
    const merged = {
      ...json,
      model: { ...json.model, vocab: { a: 0, b: 1, ab: 2 }, merges: ['a b'] },
    };
    expect(() => CharTokenizer.fromJSON(merged)).toThrow(TokenizerFormatError);
  });
});
