import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt2FilesFromTiktoken } from './__fixtures__/gpt2-from-tiktoken.js';
import { llamaTokenizerFiles } from './__fixtures__/llama-tokenizer-json.js';
import { shakespeareSlice } from './__fixtures__/varied-text.js';
import { trainBpe } from './bpe-trainer.js';
import { CharTokenizer } from './char-tokenizer.js';
import { gpt2TokenizerJson } from './gpt2-files.js';
import { HfTokenizer } from './hf-tokenizer.js';
import type { Tokenizer } from './tokenizer.js';

/**
 * decode(encode(s)) on arbitrary strings. Byte-level and byte-fallback
 * tokenizers work on UTF-8, which cannot hold a lone surrogate: encode turns
 * each one into U+FFFD (as `TextEncoder` does), so decode(encode(s)) equals
 * `s` with its lone surrogates replaced by U+FFFD (`s.toWellFormed()`), and
 * equals `s` itself whenever `s` is well-formed. The character-level
 * tokenizer has one id per code point, lone surrogates included, so it
 * round-trips every string made of its vocabulary exactly.
 */

/** String.prototype.toWellFormed (ES2024), written out. */
function toWellFormed(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
        continue;
      }
    }
    out += c >= 0xd800 && c <= 0xdfff ? '\uFFFD' : s[i]!;
  }
  return out;
}

const unit = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      ' ',
      '   ',
      '\n',
      '\t',
      '\r\n',
      '\u00a0',
      '\u3000',
      "'s",
      "'ll",
      "n't",
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '😀',
      '👍🏽',
      '👨‍👩‍👧',
      '中',
      '文',
      'é',
      'e\u0301',
      'a',
      'Z',
      '7',
      '<|endoftext|>',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  },
);
const text = fc.string({ unit, maxLength: 80 });
const wellFormed = fc.string({
  unit: fc.oneof(unit).filter((u) => toWellFormed(u) === u),
  maxLength: 80,
});

const tokenizers: Record<string, Tokenizer> = {};

beforeAll(() => {
  const files = gpt2FilesFromTiktoken();
  const gpt2 = gpt2TokenizerJson({ encoder: files.encoderJson, merges: files.vocabBpe });
  tokenizers['GPT-2 (fast encoder)'] = HfTokenizer.fromJSON(gpt2);
  tokenizers['GPT-2 (library encoder)'] = HfTokenizer.fromJSON(gpt2, { useLibraryEncoder: true });
  const llama = llamaTokenizerFiles();
  tokenizers.Llama = HfTokenizer.fromJSON(llama.json, { config: llama.config });
  tokenizers['trained byte-level BPE'] = trainBpe(shakespeareSlice(), {
    vocabSize: 800,
    specialTokens: ['<|endoftext|>'],
  }).tokenizer;
});

/** Special tokens in the text are encoded as their ids and dropped by decode: keep them. */
const decodeAll = (tokenizer: Tokenizer, s: string) =>
  tokenizer.decode(tokenizer.encode(s), { keepSpecial: true });

describe('decode(encode(s))', () => {
  for (const name of [
    'GPT-2 (fast encoder)',
    'GPT-2 (library encoder)',
    'trained byte-level BPE',
    'Llama',
  ]) {
    it(`${name}: equals s.toWellFormed() (lone surrogates become U+FFFD)`, () => {
      const tokenizer = tokenizers[name]!;
      // U+2581 is SentencePiece's space sign: Llama's decoder turns it into a space, by design
      const input = name === 'Llama' ? text.filter((s) => !s.includes('\u2581')) : text;
      fc.assert(
        fc.property(input, (s) => {
          expect(decodeAll(tokenizer, s)).toBe(toWellFormed(s));
        }),
        { numRuns: 400 },
      );
    });

    it(`${name}: equals s for well-formed s`, () => {
      const tokenizer = tokenizers[name]!;
      const input = name === 'Llama' ? wellFormed.filter((s) => !s.includes('\u2581')) : wellFormed;
      fc.assert(
        fc.property(input, (s) => {
          expect(decodeAll(tokenizer, s)).toBe(s);
        }),
        { numRuns: 400 },
      );
    });
  }

  it('the lone surrogate case, spelled out', () => {
    const s = 'a\uD800b\uDFFFc😀';
    for (const name of ['GPT-2 (fast encoder)', 'GPT-2 (library encoder)', 'Llama']) {
      expect(tokenizers[name]!.decode(tokenizers[name]!.encode(s))).toBe('a\uFFFDb\uFFFDc😀');
    }
  });

  it('character-level: equals s exactly, lone surrogates included', () => {
    fc.assert(
      fc.property(text, fc.string({ unit, maxLength: 20 }), (s, more) => {
        // (not fromCorpus(s + more): a lone high surrogate at the end of s would pair with more)
        const tokenizer = CharTokenizer.fromCharacters(new Set([...s, ...more]));
        expect(tokenizer.decode(tokenizer.encode(s))).toBe(s);
        expect(tokenizer.encode(s).length).toBe([...s].length);
      }),
      { numRuns: 400 },
    );
  });
});
