/**
 * Minimal tokenizers for the generation tests (the real ones are tested in
 * src/tokenizers): characters of a fixed alphabet, and raw UTF-8 bytes.
 */
import type { Tokenizer } from '../src/tokenizers/tokenizer.js';

/** One id per character of `alphabet`; ids past it decode to `<id>`. */
export function alphabetTokenizer(
  alphabet = 'abcdefghijklmnopqrstuvwxyz .,!?\n',
  eos?: number,
): Tokenizer {
  const chars = [...alphabet];
  return {
    kind: 'test-alphabet',
    vocabSize: chars.length,
    special: eos === undefined ? {} : { eos },
    encode: (text) =>
      [...text].map((c) => {
        const id = chars.indexOf(c);
        if (id < 0) throw new Error(`not in the alphabet: ${c}`);
        return id;
      }),
    decode: (ids) => ids.map((id) => chars[id] ?? `<${id}>`).join(''),
    idToToken: (id) => chars[id],
    tokenToId: (token) => (chars.includes(token) ? chars.indexOf(token) : undefined),
    toJSON: () => ({ alphabet }),
  };
}

/** One id per UTF-8 byte (0..255); incomplete sequences decode to U+FFFD. */
export function byteTokenizer(): Tokenizer {
  const decoder = new TextDecoder();
  return {
    kind: 'test-bytes',
    vocabSize: 256,
    special: {},
    encode: (text) => [...new TextEncoder().encode(text)],
    decode: (ids) => decoder.decode(Uint8Array.from(ids.filter((id) => id < 256))),
    idToToken: (id) => String(id),
    tokenToId: (token) => Number(token),
    toJSON: () => ({}),
  };
}
