/**
 * Reading a tokenizer from a checkpoint's files, given in memory (what a
 * browser fetched, or what `@x/lm/node` read from a folder). The format is
 * told by the file names, as transformers does: `tokenizer.json` (with
 * `tokenizer_config.json` and `special_tokens_map.json` for the special
 * tokens) when present, a character-level one if it has that layout;
 * otherwise GPT-2's `encoder.json` / `vocab.json` with `vocab.bpe` /
 * `merges.txt`.
 */
import { TokenizerError } from '../errors.js';
import { CharTokenizer } from './char-tokenizer.js';
import { addedTokensFromConfig, gpt2TokenizerJson } from './gpt2-files.js';
import { HfTokenizer } from './hf-tokenizer.js';
import type { Tokenizer } from './tokenizer.js';
import { TokenizerFormatError } from './tokenizer-errors.js';
import { parseTokenizerJson } from './tokenizer-json.js';

/** A file's content: its text, its bytes (UTF-8), or (for JSON files) the parsed value. */
export type TokenizerFileContent = string | Uint8Array | object;

/** Files of a checkpoint folder by name (`tokenizer.json`, `vocab.bpe`, ...); others are ignored. */
export interface TokenizerFiles {
  readonly [fileName: string]: TokenizerFileContent | undefined;
}

/** The file names `tokenizerFromFiles` reads. */
export const TOKENIZER_FILE_NAMES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'encoder.json',
  'vocab.json',
  'vocab.bpe',
  'merges.txt',
] as const;

const utf8 = new TextDecoder();
const text = (content: TokenizerFileContent | undefined): string | object | undefined =>
  content instanceof Uint8Array ? utf8.decode(content) : content;

function jsonFile(name: string, content: TokenizerFileContent | undefined, op: string): unknown {
  const value = text(content);
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new TokenizerFormatError(op, name, '', `not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/**
 * The tokenizer of a checkpoint, from its files in memory.
 * @param files - file name to content
 * @returns a `CharTokenizer` or an `HfTokenizer`
 * @throws TokenizerError when no known set of files is present
 * @throws TokenizerFormatError / UnsupportedTokenizerError for a malformed or unsupported file
 * @example
 * const tokenizer = tokenizerFromFiles({
 *   'tokenizer.json': await (await fetch('/model/tokenizer.json')).text(),
 *   'tokenizer_config.json': await (await fetch('/model/tokenizer_config.json')).text(),
 * });
 */
export function tokenizerFromFiles(files: TokenizerFiles): Tokenizer {
  const op = 'loadTokenizer';
  if (typeof files !== 'object' || files === null) {
    throw new TokenizerError(
      op,
      `expected an object of file name to content, got ${files === null ? 'null' : typeof files}`,
    );
  }
  const config = jsonFile('tokenizer_config.json', files['tokenizer_config.json'], op);
  const specialTokensMap = jsonFile(
    'special_tokens_map.json',
    files['special_tokens_map.json'],
    op,
  );
  if (files['tokenizer.json'] !== undefined) {
    const parsed = parseTokenizerJson(text(files['tokenizer.json']), op);
    if (CharTokenizer.isCharTokenizerJson(parsed.json)) {
      return CharTokenizer.fromJSON(parsed.json, { config });
    }
    return HfTokenizer.fromJSON(parsed.json, { config, specialTokensMap, op });
  }
  const encoderName = files['encoder.json'] !== undefined ? 'encoder.json' : 'vocab.json';
  const mergesName = files['vocab.bpe'] !== undefined ? 'vocab.bpe' : 'merges.txt';
  const encoder = files[encoderName];
  const merges = text(files[mergesName]);
  if (encoder !== undefined && merges !== undefined) {
    if (typeof merges !== 'string') {
      throw new TokenizerFormatError(op, mergesName, '', 'expected text');
    }
    const json = gpt2TokenizerJson(
      {
        encoder: jsonFile(encoderName, encoder, op) as Record<string, number>,
        merges,
        addedTokens: addedTokensFromConfig(config),
        names: { encoder: encoderName, merges: mergesName },
      },
      op,
    );
    return HfTokenizer.fromJSON(json, { config, specialTokensMap, kind: 'gpt2', op });
  }
  const present = Object.keys(files).filter((name) => files[name] !== undefined);
  throw new TokenizerError(
    op,
    `no tokenizer files: expected tokenizer.json, or encoder.json / vocab.json with vocab.bpe / merges.txt; got ${present.length ? present.join(', ') : 'none'}`,
  );
}

/**
 * `tokenizerFromFiles` as a promise (the same call as `@x/lm/node`'s
 * `loadTokenizer`, which also takes a folder path).
 * @param files - file name to content
 * @returns the tokenizer
 * @throws as `tokenizerFromFiles`
 * @example const tokenizer = await loadTokenizer({ 'tokenizer.json': json });
 */
export async function loadTokenizer(files: TokenizerFiles): Promise<Tokenizer> {
  return tokenizerFromFiles(files);
}

/**
 * A tokenizer from one `tokenizer.json` document (character-level or Hugging Face).
 * @param json - the document's text or parsed JSON
 * @param config - tokenizer_config.json, text or parsed, if any
 * @returns the tokenizer
 * @throws TokenizerFormatError / UnsupportedTokenizerError for a malformed or unsupported document
 * @example tokenizerFromJSON(JSON.stringify(CharTokenizer.fromCorpus('abc'))).kind // 'char'
 */
export function tokenizerFromJSON(json: unknown, config?: unknown): Tokenizer {
  return tokenizerFromFiles({
    'tokenizer.json': json as TokenizerFileContent,
    'tokenizer_config.json': config as TokenizerFileContent,
  });
}
