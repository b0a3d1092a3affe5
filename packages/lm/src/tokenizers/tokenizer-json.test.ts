import { describe, expect, it } from 'vitest';
import { LmError, TokenizerError } from '../errors.js';
import { CharTokenizer } from './char-tokenizer.js';
import { HfTokenizer } from './hf-tokenizer.js';
import { tokenizerFromFiles, tokenizerFromJSON } from './load-tokenizer.js';
import { TokenizerFormatError, UnsupportedTokenizerError } from './tokenizer-errors.js';

/** A loosely typed document, to break in different ways. */
// biome-ignore lint/suspicious/noExplicitAny: the tests write wrong types into it on purpose
type Doc = Record<string, any>;

/** A small valid BPE document (whitespace pre-tokenizer, no byte level). */
function tiny(): Doc {
  return {
    added_tokens: [{ id: 4, content: '<eos>', special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: {
      type: 'BPE',
      vocab: { a: 0, b: 1, ab: 2, '<unk>': 3, '<eos>': 4 },
      merges: ['a b'],
      unk_token: '<unk>',
    },
  };
}

describe('tokenizer.json validation', () => {
  it('accepts a small BPE document and runs it through the library', () => {
    const tokenizer = HfTokenizer.fromJSON(tiny());
    expect(tokenizer.encode('ab ba')).toEqual([2, 1, 0]);
    expect(tokenizer.encode('abc')).toEqual([2, 3]);
    expect(tokenizer.special).toEqual({ eos: 4, unk: 3 }); // unk from the model, eos by its conventional name
    expect(tokenizer.vocabSize).toBe(5);
    const merges = tiny();
    merges.model.merges = [['a', 'b']];
    expect(HfTokenizer.fromJSON(merges).encode('ab')).toEqual([2]);
  });

  it.each([
    ['{"model": ', /tokenizer\.json: not valid JSON/],
    ['[1, 2]', /tokenizer\.json: expected a JSON object, got \[1,2\]/],
    ['{}', /tokenizer\.json: model: must be an object, got undefined/],
  ])('names what is wrong with %j', (text, message) => {
    expect(() => tokenizerFromJSON(text)).toThrow(TokenizerFormatError);
    expect(() => tokenizerFromJSON(text)).toThrow(message);
  });

  it.each<[string, (doc: Doc) => void, RegExp]>([
    [
      'a negative id',
      (d) => (d.model.vocab.a = -1),
      /model\.vocab\["a"\]: id must be a non-negative integer, got -1/,
    ],
    [
      'two tokens with one id',
      (d) => (d.model.vocab.b = 0),
      /model\.vocab\["b"\]: id 0 is also the id of "a"/,
    ],
    [
      'a merge of three parts',
      (d) => (d.model.merges = ['a b c']),
      /model\.merges\[0\]: expected "left right"/,
    ],
    [
      'a merge outside the vocabulary',
      (d) => (d.model.merges = ['a c']),
      /model\.merges\[0\]: token "c" is not in the vocabulary/,
    ],
    [
      'a merge result outside the vocabulary',
      (d) => (d.model.merges = ['b a']),
      /token "ba" is not in the vocabulary/,
    ],
    [
      'merges that are not an array',
      (d) => (d.model.merges = 'a b'),
      /model\.merges: must be an array/,
    ],
    [
      'an unk token outside the vocabulary',
      (d) => (d.model.unk_token = '<?>'),
      /model\.unk_token: "<\?>" is not in the vocabulary/,
    ],
    [
      'an added token without content',
      (d) => (d.added_tokens = [{ id: 9 }]),
      /added_tokens\[0\]: expected \{ id, content \}/,
    ],
    [
      "an added token with another token's id",
      (d) => (d.added_tokens = [{ id: 0, content: 'x' }]),
      /id 0 of "x" is the id of "a"/,
    ],
    ['a decoder without a type', (d) => (d.decoder = { x: 1 }), /decoder\.type: must be a string/],
    [
      'a component the library does not know',
      (d) => (d.pre_tokenizer = { type: 'Nope' }),
      /rejected by @huggingface\/tokenizers/,
    ],
  ])('refuses %s with TokenizerFormatError', (_, breakIt, message) => {
    const doc = tiny();
    breakIt(doc);
    expect(() => HfTokenizer.fromJSON(doc)).toThrow(TokenizerFormatError);
    expect(() => HfTokenizer.fromJSON(doc)).toThrow(message);
  });

  it.each(['Unigram', 'WordPiece', 'Foo'])(
    'refuses model type %s with UnsupportedTokenizerError',
    (type) => {
      const doc = tiny();
      doc.model.type = type;
      const call = () => tokenizerFromJSON(doc);
      expect(call).toThrow(UnsupportedTokenizerError);
      expect(call).toThrow(`tokenizer.json model type '${type}' is not supported (supported: BPE)`);
      try {
        call();
      } catch (error) {
        expect(LmError.isInstance(error)).toBe(true);
        expect(error).toMatchObject({ modelType: type, supported: ['BPE'] });
      }
    },
  );

  it('refuses a tokenizer_config.json that names a token outside the vocabulary', () => {
    expect(() => HfTokenizer.fromJSON(tiny(), { config: { eos_token: '</s>' } })).toThrow(
      /tokenizer_config\.json: eos_token: "<\/s>" is not in the vocabulary/,
    );
    expect(() => HfTokenizer.fromJSON(tiny(), { config: '{' })).toThrow(
      /tokenizer_config\.json: not valid JSON/,
    );
    // a config that says null means "no such token", even when a conventional name exists
    expect(
      HfTokenizer.fromJSON(tiny(), { config: { eos_token: '<eos>', unk_token: null } }).special,
    ).toEqual({ eos: 4 });
    expect(
      HfTokenizer.fromJSON(tiny(), { config: { eos_token: { content: '<eos>' } } }).special.eos,
    ).toBe(4);
  });

  it('says which files it needs when none is given', () => {
    expect(() => tokenizerFromFiles({ 'config.json': '{}' })).toThrow(TokenizerError);
    expect(() => tokenizerFromFiles({ 'config.json': '{}' })).toThrow(
      'loadTokenizer: no tokenizer files: expected tokenizer.json, or encoder.json / vocab.json with vocab.bpe / merges.txt; got config.json',
    );
  });

  it('reads file bytes as UTF-8 and tells character-level documents apart', () => {
    const char = CharTokenizer.fromCorpus('héllo');
    const bytes = new TextEncoder().encode(JSON.stringify(char));
    expect(tokenizerFromFiles({ 'tokenizer.json': bytes }).kind).toBe('char');
    expect(tokenizerFromJSON(tiny()).kind).toBe('bpe');
  });
});
