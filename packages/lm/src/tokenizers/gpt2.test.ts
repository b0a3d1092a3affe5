import { readFileSync } from 'node:fs';
import { encode as referenceEncode } from 'gpt-tokenizer/encoding/r50k_base';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt2FilesFromTiktoken } from './__fixtures__/gpt2-from-tiktoken.js';
import { sharedDataPath, variedText } from './__fixtures__/varied-text.js';
import { BYTE_ALPHABET, BYTE_TO_CHAR, fromByteLevel, toByteLevel } from './byte-level.js';
import { gpt2TokenizerJson } from './gpt2-files.js';
import { gpt2PreTokenize } from './gpt2-pre-tokenize.js';
import { HfTokenizer } from './hf-tokenizer.js';
import { tokenizerFromFiles, tokenizerFromJSON } from './load-tokenizer.js';
import { TokenIdError, TokenizerFormatError } from './tokenizer-errors.js';

const shakespearePath = sharedDataPath('text/tinyshakespeare/input.txt');

/** Index of the first difference, or -1. */
function firstDifference(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

let fast: HfTokenizer;
let library: HfTokenizer;
let text: string;

beforeAll(() => {
  const files = gpt2FilesFromTiktoken();
  fast = tokenizerFromFiles({
    'encoder.json': files.encoderJson,
    'vocab.bpe': files.vocabBpe,
  }) as HfTokenizer;
  library = HfTokenizer.fromJSON(
    gpt2TokenizerJson({ encoder: files.encoderJson, merges: files.vocabBpe }),
    {
      useLibraryEncoder: true,
    },
  );
  text = variedText(300_000, 1);
});

describe('byte-level alphabet', () => {
  it('is a bijection of the 256 bytes that keeps printable Latin-1 and maps the space to Ġ', () => {
    expect(new Set(BYTE_TO_CHAR).size).toBe(256);
    expect(BYTE_TO_CHAR[0x20]).toBe('Ġ');
    expect(BYTE_TO_CHAR[0x0a]).toBe('Ċ');
    expect(BYTE_TO_CHAR[0x41]).toBe('A');
    expect(toByteLevel(' hé')).toBe('ĠhÃ©');
    expect([...fromByteLevel('ĠhÃ©')!]).toEqual([32, 104, 195, 169]);
    expect(fromByteLevel('ĠhĀĀ€')).toBeUndefined();
  });

  it('numbers the single bytes as GPT-2 does (r50k ranks 0..255)', () => {
    const lines = readFileSync(gpt2RanksPath(), 'utf8').split('\n').slice(0, 256);
    lines.forEach((line, rank) => {
      const [base64, id] = line.split(' ');
      expect(Number(id)).toBe(rank);
      expect(toByteLevelBytes(Buffer.from(base64!, 'base64'))).toBe(BYTE_ALPHABET[rank]);
    });
  });
});

function gpt2RanksPath(): string {
  return new URL(import.meta.resolve('gpt-tokenizer/data/r50k_base.tiktoken')).pathname;
}
function toByteLevelBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => BYTE_TO_CHAR[b]).join('');
}

describe('GPT-2 (encoder.json + vocab.bpe) against gpt-tokenizer r50k_base', () => {
  it('loads as gpt2 with <|endoftext|> as bos and eos, 50,257 ids, on the fast encoder', () => {
    expect(fast.kind).toBe('gpt2');
    expect(fast.vocabSize).toBe(50257);
    expect(fast.special).toEqual({ bos: 50256, eos: 50256 });
    expect(fast.addBosToken).toBe(false);
    expect(fast.fastEncoder).toBe(true);
    expect(library.fastEncoder).toBe(false);
  });

  it('gives the published ids of short strings', () => {
    expect(fast.encode('Hello world')).toEqual([15496, 995]);
    expect(fast.encode(' the')).toEqual([262]);
    expect(fast.tokenToId('Ġthe')).toBe(262);
    expect(fast.idToToken(262)).toBe('Ġthe');
  });

  it('equals the reference ids on 300K characters of varied text (fast encoder and library)', () => {
    expect(Buffer.byteLength(text)).toBeGreaterThan(300_000);
    const reference = referenceEncode(text);
    const ours = fast.encode(text);
    expect(firstDifference(ours, reference)).toBe(-1);
    expect(firstDifference(library.encode(text), reference)).toBe(-1);
  });

  it('equals the reference piece by piece, so no error cancels out (short and long pieces)', () => {
    const pieces = gpt2PreTokenize(text);
    expect(pieces.join('')).toBe(text);
    expect(Math.max(...pieces.map((p) => p.length))).toBeGreaterThan(24);
    for (const piece of pieces.slice(0, 20_000)) {
      expect(fast.encode(piece)).toEqual(referenceEncode(piece));
    }
  });

  it.skipIf(!shakespearePath)('equals the reference on all of tinyshakespeare', () => {
    const shakespeare = readFileSync(shakespearePath!, 'utf8');
    expect(firstDifference(fast.encode(shakespeare), referenceEncode(shakespeare))).toBe(-1);
  });
  if (!shakespearePath)
    console.log('skipped the full tinyshakespeare comparison: ../shared/data not found');

  it('round-trips the varied text', () => {
    expect(fast.decode(fast.encode(text))).toBe(text);
  });

  it('splits <|endoftext|> out of text as its id, and decode drops it unless keepSpecial', () => {
    const ids = fast.encode('a<|endoftext|>b');
    expect(ids).toEqual([...referenceEncode('a'), 50256, ...referenceEncode('b')]);
    expect(library.encode('a<|endoftext|>b')).toEqual(ids);
    expect(fast.decode(ids)).toBe('ab');
    expect(fast.decode(ids, { keepSpecial: true })).toBe('a<|endoftext|>b');
  });

  it('saves as tokenizer.json that loads back with the same ids', () => {
    const again = tokenizerFromJSON(JSON.stringify(fast));
    const sample = text.slice(0, 20_000);
    expect(again.encode(sample)).toEqual(fast.encode(sample));
    expect(again.kind).toBe('bpe');
  });

  it('refuses ids out of range in decode with TokenIdError', () => {
    expect(() => fast.decode([15496, 50257])).toThrow(TokenIdError);
    expect(() => fast.decode([15496, 50257])).toThrow(
      'id 50257 at position 1 is out of range (vocabulary size 50257)',
    );
    expect(() => fast.decode([-1])).toThrow(TokenIdError);
    expect(() => fast.decode([1.5])).toThrow(TokenIdError);
    expect(fast.decode([])).toBe('');
  });

  it('names the line of a malformed vocab.bpe', () => {
    const files = gpt2FilesFromTiktoken();
    const broken = files.vocabBpe.replace('\nĠ t\n', '\nĠ t x\n');
    expect(() =>
      tokenizerFromFiles({ 'encoder.json': files.encoderJson, 'vocab.bpe': broken }),
    ).toThrow(/vocab\.bpe: line 2: expected "left right", got "Ġ t x"/);
    expect(() =>
      tokenizerFromFiles({
        'vocab.json': files.encoderJson,
        'merges.txt': '#version: 0.2\nĠ zzzz\n',
      }),
    ).toThrow(TokenizerFormatError);
  });
});
