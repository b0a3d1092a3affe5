/**
 * GPT-2's byte-level alphabet: every byte 0..255 is shown as one printable
 * Unicode character, so a byte string is a plain string and a BPE vocabulary
 * of byte strings is a JSON object. Bytes that are printable Latin-1
 * (`!`..`~`, `¡`..`¬`, `®`..`ÿ`) stand for themselves; the other 68 bytes
 * map, in order, to U+0100.. (so the space 0x20 is `Ġ`, U+0120, and the
 * newline 0x0A is `Ċ`). This is `bytes_to_unicode()` of openai/gpt-2
 * `src/encoder.py`, which Hugging Face's `ByteLevel` pre-tokenizer and
 * decoder use too.
 */

/** `BYTE_TO_CHAR[b]` is the character that stands for byte `b`. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

/** The byte that a byte-level character stands for. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(
  BYTE_TO_CHAR.map((char, byte) => [char, byte]),
);

function buildByteToChar(): string[] {
  const table = new Array<string>(256);
  let next = 256;
  for (let byte = 0; byte < 256; byte++) {
    const printable =
      (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || byte >= 0xae;
    table[byte] = String.fromCharCode(printable ? byte : next++);
  }
  return table;
}

/**
 * The 256 byte-level characters sorted by code point: the order in which
 * GPT-2 (and Hugging Face's BPE trainer) number the single-byte tokens, so
 * `BYTE_ALPHABET[i]` is GPT-2's token `i`.
 */
export const BYTE_ALPHABET: readonly string[] = [...BYTE_TO_CHAR].sort(
  (a, b) => a.charCodeAt(0) - b.charCodeAt(0),
);

const utf8 = new TextEncoder();

/**
 * The byte-level string of `text`'s UTF-8 bytes. Lone surrogates are encoded
 * as U+FFFD (what `TextEncoder` does).
 * @param text - any string
 * @returns one byte-level character per UTF-8 byte
 * @example toByteLevel(' hé') // 'ĠhÃ©'
 */
export function toByteLevel(text: string): string {
  let out = '';
  for (const byte of utf8.encode(text)) out += BYTE_TO_CHAR[byte];
  return out;
}

/**
 * The bytes that a byte-level string stands for, or undefined when it holds
 * a character outside the alphabet.
 * @param token - a byte-level string (a GPT-2 vocabulary entry)
 * @returns its bytes
 * @example fromByteLevel('ĠhÃ©') // Uint8Array [32, 104, 195, 169]
 */
export function fromByteLevel(token: string): Uint8Array | undefined {
  const bytes = new Uint8Array(token.length);
  for (let i = 0; i < token.length; i++) {
    const byte = CHAR_TO_BYTE.get(token[i]!);
    if (byte === undefined) return undefined;
    bytes[i] = byte;
  }
  return bytes;
}
