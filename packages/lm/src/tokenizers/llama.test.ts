import llamaTokenizer from 'llama-tokenizer-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { llamaTokenizerFiles } from './__fixtures__/llama-tokenizer-json.js';
import { variedText } from './__fixtures__/varied-text.js';
import { HfTokenizer } from './hf-tokenizer.js';
import { tokenizerFromFiles } from './load-tokenizer.js';

/**
 * Llama-2 / TinyLlama: SentencePiece-style BPE with byte fallback, checked
 * against llama-tokenizer-js (an independent implementation of the same
 * algorithm) and against the ids of Meta's own tokenizer that
 * llama-tokenizer-js publishes in its test suite.
 */
let tokenizer: HfTokenizer;

beforeAll(() => {
  const { json, config } = llamaTokenizerFiles();
  tokenizer = tokenizerFromFiles({
    'tokenizer.json': JSON.stringify(json),
    'tokenizer_config.json': JSON.stringify(config),
  }) as HfTokenizer;
});

/** Ids that Meta's SentencePiece tokenizer gives (llama-tokenizer-js test-llama-tokenizer.js, bos dropped). */
const PUBLISHED: readonly [string, readonly number[]][] = [
  ['grabbed', [2646, 1327, 287]],
  [' grabbed', [29871, 2646, 1327, 287]],
  ['           grabbed', [9651, 2646, 1327, 287]],
  ['\n', [29871, 13]],
  [' \n', [259, 13]],
  ['\ttabs\t\t\t\tout here', [29871, 12, 21175, 12, 12, 12, 12, 449, 1244]],
  ['ax\n####\nboo', [4853, 13, 4136, 13, 833, 29877]],
  ['镇', [29871, 30411]],
  ['🦙', [29871, 243, 162, 169, 156]],
  ['🦙Ꙋ', [29871, 243, 162, 169, 156, 237, 156, 141]],
  ['Ꙋ🦙', [29871, 237, 156, 141, 243, 162, 169, 156]],
];

describe('Llama tokenizer.json (BPE with byte fallback)', () => {
  it('reads the special tokens and add_bos_token from tokenizer_config.json', () => {
    expect(tokenizer.special).toEqual({ bos: 1, eos: 2, unk: 0 });
    expect(tokenizer.addBosToken).toBe(true);
    expect(tokenizer.vocabSize).toBe(32000);
    expect(tokenizer.fastEncoder).toBe(false);
  });

  it('reads bos / eos / unk from tokenizer.json alone (template and model)', () => {
    const { json } = llamaTokenizerFiles();
    const alone = HfTokenizer.fromJSON(json);
    expect(alone.special).toEqual({ bos: 1, eos: 2, unk: 0 });
    expect(alone.addBosToken).toBe(true);
  });

  it.each(PUBLISHED)("encodes %j as Meta's tokenizer does", (text, ids) => {
    expect(tokenizer.encode(text)).toEqual(ids);
    expect(tokenizer.decode(ids as number[])).toBe(text);
  });

  it('falls back to the UTF-8 bytes of characters outside the vocabulary', () => {
    // 🦙 is U+1F999: F0 9F A6 99, ids 3 + byte
    expect(tokenizer.encode('🦙').slice(1)).toEqual([0xf0, 0x9f, 0xa6, 0x99].map((b) => b + 3));
  });

  it('equals llama-tokenizer-js on 100K characters of varied text, and round-trips it', () => {
    const text = variedText(100_000, 2);
    const ours = tokenizer.encode(text);
    expect(ours).toEqual(llamaTokenizer.encode(text, false, true));
    expect(tokenizer.decode(ours)).toBe(text);
  });

  it('decodes bos / eos only when keepSpecial', () => {
    const ids = [1, ...tokenizer.encode('Hello'), 2];
    expect(tokenizer.decode(ids)).toBe('Hello');
    expect(tokenizer.decode(ids, { keepSpecial: true })).toBe('<s> Hello</s>');
  });
});
