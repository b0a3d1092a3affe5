import { Tokenizer as HuggingFaceTokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { LmValueError } from '../errors.js';
import { chineseSlice, shakespeareSlice, variedText } from './__fixtures__/varied-text.js';
import { trainBpe } from './bpe-trainer.js';
import { HfTokenizer } from './hf-tokenizer.js';

/** GPT-2's pre-tokenization regex, as gpt-tokenizer writes it (R50K_TOKEN_SPLIT_REGEX). */
const GPT2_REGEX = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** GPT-2's bytes_to_unicode, written out again. */
function byteChars(): string[] {
  const printable = [...range(33, 126), ...range(161, 172), ...range(174, 255)];
  const chars: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++)
    chars[b] = String.fromCharCode(printable.includes(b) ? b : 256 + extra++);
  return chars;
}
function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * The reference: BPE training by the book, recounting every pair of every
 * word before each merge (no incremental state), ties to the smaller pair of
 * ids. Returns the merges in order.
 */
function naiveTrain(
  corpus: string,
  vocabSize: number,
  specials: string[],
  minFrequency: number,
): string[][] {
  const chars = byteChars();
  const tokens = [...specials, ...[...chars].sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0))];
  const idOf = new Map(tokens.map((t, i) => [t, i]));
  const counts = new Map<string, number>();
  let text = corpus;
  for (const special of specials) text = text.split(special).join('\u0000SPLIT\u0000');
  for (const run of text.split('\u0000SPLIT\u0000')) {
    for (const word of run.match(GPT2_REGEX) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const words = [...counts].map(([word, count]) => ({
    symbols: Array.from(new TextEncoder().encode(word), (b) => chars[b]!),
    count,
  }));
  const merges: string[][] = [];
  while (tokens.length < vocabSize) {
    const pairs = new Map<string, { a: string; b: string; count: number }>();
    for (const { symbols, count } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]}\u0000${symbols[i + 1]}`;
        const entry = pairs.get(key) ?? { a: symbols[i]!, b: symbols[i + 1]!, count: 0 };
        entry.count += count;
        pairs.set(key, entry);
      }
    }
    let best: { a: string; b: string; count: number } | undefined;
    for (const pair of pairs.values()) {
      const better =
        !best ||
        pair.count > best.count ||
        (pair.count === best.count &&
          (idOf.get(pair.a)! < idOf.get(best.a)! ||
            (pair.a === best.a && idOf.get(pair.b)! < idOf.get(best.b)!)));
      if (better) best = pair;
    }
    if (!best || best.count < minFrequency) break;
    const merged = best.a + best.b;
    if (!idOf.has(merged)) {
      idOf.set(merged, tokens.length);
      tokens.push(merged);
    }
    merges.push([best.a, best.b]);
    for (const word of words) {
      const out: string[] = [];
      for (let i = 0; i < word.symbols.length; i++) {
        if (word.symbols[i] === best.a && word.symbols[i + 1] === best.b) {
          out.push(merged);
          i++;
        } else out.push(word.symbols[i]!);
      }
      word.symbols = out;
    }
  }
  return merges;
}

describe('trainBpe', () => {
  it('learns the same merges as a trainer that recounts every pair before each merge', () => {
    const corpus = `${shakespeareSlice().slice(0, 6000)}\n${chineseSlice().slice(0, 800)} 👍🏽👍🏽 aaaa aaa ${variedText(3000, 9)}<|endoftext|>tail`;
    for (const [vocabSize, minFrequency] of [
      [257 + 400, 2],
      [257 + 120, 1],
    ] as const) {
      const result = trainBpe(corpus, {
        vocabSize,
        minFrequency,
        specialTokens: ['<|endoftext|>'],
      });
      const reference = naiveTrain(corpus, vocabSize, ['<|endoftext|>'], minFrequency);
      expect(result.merges.map((m) => [...m])).toEqual(reference);
      expect(result.tokenizer.vocabSize).toBe(vocabSize);
    }
  });

  it('saves a tokenizer.json that @huggingface/tokenizers encodes exactly as training segmented the corpus', () => {
    const corpus = `${shakespeareSlice()}${variedText(20_000, 4)}`;
    const result = trainBpe(corpus, {
      vocabSize: 1500,
      specialTokens: ['<|endoftext|>', '<pad>'],
      roles: { eos: '<|endoftext|>', bos: '<|endoftext|>', pad: '<pad>' },
    });
    const expected: number[] = [];
    for (const piece of corpus.match(GPT2_REGEX)!)
      expected.push(...result.segmentation.get(piece)!);
    const library = new HuggingFaceTokenizer(
      JSON.parse(JSON.stringify(result.json)),
      result.config,
    );
    expect(library.encode(corpus, { add_special_tokens: false }).ids).toEqual(expected);
    expect(result.tokenizer.fastEncoder).toBe(true);
    expect(result.tokenizer.encode(corpus)).toEqual(expected);
    expect(result.tokenizer.decode(expected)).toBe(corpus);
    expect(result.tokenizer.special).toEqual({ bos: 0, eos: 0, pad: 1 });
    // text it was not trained on: the fast encoder and the library agree
    const unseen = variedText(60_000, 5);
    const viaLibrary = HfTokenizer.fromJSON(result.json, { useLibraryEncoder: true });
    expect(result.tokenizer.encode(unseen)).toEqual(viaLibrary.encode(unseen));
    expect(result.tokenizer.decode(result.tokenizer.encode(unseen))).toBe(unseen);
  });

  it('cuts special tokens out of the corpus, so no merge spans them, and encodes them as their ids', () => {
    const result = trainBpe('hello world<|endoftext|>'.repeat(50), {
      vocabSize: 300,
      specialTokens: ['<|endoftext|>'],
    });
    expect(result.merges.some(([a, b]) => (a + b).includes('<') || (a + b).includes('|'))).toBe(
      false,
    );
    const ids = result.tokenizer.encode('hello<|endoftext|>');
    expect(ids.at(-1)).toBe(0);
    expect(result.tokenizer.decode(ids, { keepSpecial: true })).toBe('hello<|endoftext|>');
  });

  it('stops early when no pair is frequent enough', () => {
    // pre-tokens 'ab', ' ab', ' cd': only (a, b) is seen twice; after it every pair is seen once
    const result = trainBpe('ab ab cd', { vocabSize: 1000 });
    expect(result.merges.map(([a, b]) => a + b)).toEqual(['ab']);
    expect(result.tokenizer.vocabSize).toBe(257);
    const all = trainBpe('ab ab cd', { vocabSize: 1000, minFrequency: 1 });
    // ties go to the smaller pair of ids: c (66) < Ġ (220), then ab (256) < cd (257)
    expect(all.merges.map(([a, b]) => a + b)).toEqual(['ab', 'cd', 'Ġab', 'Ġcd']);
  });

  it('refuses bad options with LmValueError', () => {
    expect(() => trainBpe('x', { vocabSize: 100 })).toThrow(LmValueError);
    expect(() => trainBpe('x', { vocabSize: 300, minFrequency: 0 })).toThrow(/minFrequency/);
    expect(() => trainBpe('x', { vocabSize: 300, specialTokens: ['a', 'a'] })).toThrow(
      /specialTokens/,
    );
    expect(() => trainBpe('x', { vocabSize: 300, specialTokens: ['A'] })).toThrow(
      /byte-level character/,
    );
    expect(() => trainBpe('x', { vocabSize: 300, roles: { eos: '</s>' } })).toThrow(/roles.eos/);
  });
});
