/**
 * GPT-2's original tokenizer files, `encoder.json` (token to id; also named
 * `vocab.json`) and `vocab.bpe` (the merges, one `left right` a line after a
 * `#version` line; also named `merges.txt`), turned into the equivalent
 * `tokenizer.json`: the one Hugging Face publishes for `gpt2` (a `ByteLevel`
 * pre-tokenizer and decoder, a BPE model, `<|endoftext|>` as a special added
 * token).
 */
import { TokenizerFormatError } from './tokenizer-errors.js';
import type { AddedTokenJson, JsonObject, TokenizerJson } from './tokenizer-json.js';

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The GPT-2 files, as text or (for the encoder) parsed JSON. */
export interface Gpt2TokenizerFiles {
  /** `encoder.json` / `vocab.json`: text or the parsed object. */
  readonly encoder: string | { readonly [token: string]: number };
  /** `vocab.bpe` / `merges.txt` text. */
  readonly merges: string;
  /** Added tokens beyond `<|endoftext|>` (e.g. `added_tokens_decoder` of a tokenizer_config.json). */
  readonly addedTokens?: readonly AddedTokenJson[];
  /** The file names, for messages. @default encoder.json, vocab.bpe */
  readonly names?: { readonly encoder?: string; readonly merges?: string };
}

/**
 * The `tokenizer.json` document equivalent to GPT-2's files.
 * @param files - encoder and merges
 * @param op - the operation named in errors
 * @returns the document (load it with `HfTokenizer.fromJSON`)
 * @throws TokenizerFormatError for an encoder that is not a token-to-id object, or a merges line that is not two vocabulary tokens
 * @example
 * const json = gpt2TokenizerJson({ encoder: encoderJsonText, merges: vocabBpeText });
 * HfTokenizer.fromJSON(json).encode('Hello world') // [15496, 995]
 */
export function gpt2TokenizerJson(files: Gpt2TokenizerFiles, op = 'loadTokenizer'): TokenizerJson {
  const encoderName = files.names?.encoder ?? 'encoder.json';
  const mergesName = files.names?.merges ?? 'vocab.bpe';
  let vocab: unknown = files.encoder;
  if (typeof vocab === 'string') {
    try {
      vocab = JSON.parse(vocab);
    } catch (error) {
      throw new TokenizerFormatError(
        op,
        encoderName,
        '',
        `not valid JSON (${(error as Error).message})`,
        {
          cause: error,
        },
      );
    }
  }
  if (!isObject(vocab)) {
    throw new TokenizerFormatError(op, encoderName, '', 'expected an object of token to id');
  }
  if (typeof files.merges !== 'string') {
    throw new TokenizerFormatError(op, mergesName, '', `expected text, got ${typeof files.merges}`);
  }
  const merges: string[] = [];
  const lines = files.merges.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line === '' || (index === 0 && line.startsWith('#version'))) return;
    const parts = line.split(' ');
    if (parts.length !== 2) {
      throw new TokenizerFormatError(
        op,
        mergesName,
        `line ${index + 1}`,
        `expected "left right", got ${JSON.stringify(line)}`,
      );
    }
    for (const part of [parts[0]!, parts[1]!, parts[0]! + parts[1]!]) {
      if (!Object.hasOwn(vocab, part)) {
        throw new TokenizerFormatError(
          op,
          mergesName,
          `line ${index + 1}`,
          `token ${JSON.stringify(part)} is not in ${encoderName}`,
        );
      }
    }
    merges.push(line);
  });
  const added: AddedTokenJson[] = [];
  const endOfText = (vocab as Record<string, unknown>)['<|endoftext|>'];
  if (typeof endOfText === 'number') {
    added.push({
      id: endOfText,
      content: '<|endoftext|>',
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: true,
      special: true,
    });
  }
  for (const token of files.addedTokens ?? []) {
    if (!added.some((t) => t.content === token.content)) added.push(token);
  }
  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', ...byteLevel },
    post_processor: {
      type: 'ByteLevel',
      ...byteLevel,
      trim_offsets: false,
      add_prefix_space: true,
    },
    decoder: { type: 'ByteLevel', ...byteLevel, add_prefix_space: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: vocab as Record<string, number>,
      merges,
    },
  };
}

/**
 * `added_tokens_decoder` of a tokenizer_config.json (`{ "50256": { content, special, ... } }`) as added tokens.
 * @param config - a parsed tokenizer_config.json
 * @returns its added tokens (empty when it has none)
 */
export function addedTokensFromConfig(config: unknown): AddedTokenJson[] {
  if (!isObject(config) || !isObject(config.added_tokens_decoder)) return [];
  const out: AddedTokenJson[] = [];
  for (const [id, token] of Object.entries(config.added_tokens_decoder)) {
    if (isObject(token) && typeof token.content === 'string' && /^\d+$/.test(id)) {
      out.push({ ...(token as object), id: Number(id), content: token.content } as AddedTokenJson);
    }
  }
  return out;
}
