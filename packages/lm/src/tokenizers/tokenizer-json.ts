/**
 * The Hugging Face `tokenizer.json` document (the format of the Rust
 * `tokenizers` crate, which transformers and `@huggingface/tokenizers` read),
 * as far as this package relies on it, and its validation: everything the
 * loader needs is checked here, before the document reaches the library, so a
 * malformed file gets a `TokenizerFormatError` naming the field.
 */
import { TokenizerFormatError, UnsupportedTokenizerError } from './tokenizer-errors.js';

/** A JSON object (a normalizer, pre-tokenizer, post-processor or decoder). */
export type JsonObject = { readonly [key: string]: unknown };

/** One entry of `added_tokens`. */
export interface AddedTokenJson {
  readonly id: number;
  readonly content: string;
  readonly single_word?: boolean;
  readonly lstrip?: boolean;
  readonly rstrip?: boolean;
  readonly normalized?: boolean;
  readonly special?: boolean;
}

/** The `model` of a BPE tokenizer. */
export interface BpeModelJson {
  readonly type: 'BPE';
  readonly dropout?: number | null;
  readonly unk_token?: string | null;
  readonly continuing_subword_prefix?: string | null;
  readonly end_of_word_suffix?: string | null;
  readonly fuse_unk?: boolean;
  readonly byte_fallback?: boolean;
  readonly ignore_merges?: boolean;
  /** Token string to id. */
  readonly vocab: { readonly [token: string]: number };
  /** In priority order: `"left right"` strings or `[left, right]` pairs. */
  readonly merges: readonly (string | readonly [string, string])[];
}

/** A `tokenizer.json` document. */
export interface TokenizerJson {
  readonly version?: string;
  readonly truncation?: unknown;
  readonly padding?: unknown;
  readonly added_tokens: readonly AddedTokenJson[];
  readonly normalizer: JsonObject | null;
  readonly pre_tokenizer: JsonObject | null;
  readonly post_processor: JsonObject | null;
  readonly decoder: JsonObject | null;
  readonly model: BpeModelJson;
}

/** A validated document with its vocabulary and merges decoded. */
export interface ParsedTokenizerJson {
  /** The document, with absent optional sections set to null. */
  readonly json: TokenizerJson;
  /** The model's vocabulary (added tokens not included). */
  readonly vocab: ReadonlyMap<string, number>;
  /** The merges as pairs, in priority order. */
  readonly merges: readonly (readonly [string, string])[];
}

/** The model types this package loads. */
export const SUPPORTED_MODEL_TYPES = ['BPE'] as const;

const FILE = 'tokenizer.json';

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/**
 * Parses and validates a `tokenizer.json` document.
 * @param input - the file's text, or the parsed JSON
 * @param op - the operation named in errors
 * @returns the document with its vocabulary and merges
 * @throws TokenizerFormatError for text that is not JSON or a document that is malformed
 * @throws UnsupportedTokenizerError for a model type other than BPE
 * @example parseTokenizerJson(text).vocab.get('Ġthe') // 262 for GPT-2
 */
export function parseTokenizerJson(input: unknown, op = 'loadTokenizer'): ParsedTokenizerJson {
  const fail = (location: string, message: string): never => {
    throw new TokenizerFormatError(op, FILE, location, message);
  };
  let doc = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (error) {
      throw new TokenizerFormatError(op, FILE, '', `not valid JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
  }
  if (!isObject(doc)) return fail('', `expected a JSON object, got ${show(doc)}`);
  const model = doc.model;
  if (!isObject(model)) return fail('model', `must be an object, got ${show(model)}`);
  let type = model.type;
  if (type === undefined && 'merges' in model) type = 'BPE';
  if (typeof type !== 'string') return fail('model.type', `must be a string, got ${show(type)}`);
  if (type !== 'BPE') throw new UnsupportedTokenizerError(op, type, SUPPORTED_MODEL_TYPES);

  const vocabJson = model.vocab;
  if (!isObject(vocabJson)) return fail('model.vocab', `must be an object, got ${show(vocabJson)}`);
  const vocab = new Map<string, number>();
  const byId = new Map<number, string>();
  for (const [token, id] of Object.entries(vocabJson)) {
    if (!Number.isInteger(id) || (id as number) < 0) {
      fail(`model.vocab[${show(token)}]`, `id must be a non-negative integer, got ${show(id)}`);
    }
    const other = byId.get(id as number);
    if (other !== undefined) {
      fail(`model.vocab[${show(token)}]`, `id ${id} is also the id of ${show(other)}`);
    }
    byId.set(id as number, token);
    vocab.set(token, id as number);
  }

  const mergesJson = model.merges;
  if (!Array.isArray(mergesJson))
    return fail('model.merges', `must be an array, got ${show(mergesJson)}`);
  const prefix =
    typeof model.continuing_subword_prefix === 'string' ? model.continuing_subword_prefix : '';
  const merges: (readonly [string, string])[] = new Array(mergesJson.length);
  for (let i = 0; i < mergesJson.length; i++) {
    const entry: unknown = mergesJson[i];
    let pair: unknown[] | undefined;
    if (typeof entry === 'string') pair = entry.split(' ');
    else if (Array.isArray(entry)) pair = entry;
    if (pair?.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      return fail(
        `model.merges[${i}]`,
        `expected "left right" or [left, right], got ${show(entry)}`,
      );
    }
    const [left, right] = pair as [string, string];
    const merged = left + (prefix && right.startsWith(prefix) ? right.slice(prefix.length) : right);
    for (const part of [left, right, merged]) {
      if (!vocab.has(part))
        fail(`model.merges[${i}]`, `token ${show(part)} is not in the vocabulary`);
    }
    merges[i] = [left, right];
  }

  const unk = model.unk_token;
  if (unk !== undefined && unk !== null) {
    if (typeof unk !== 'string')
      fail('model.unk_token', `must be a string or null, got ${show(unk)}`);
    else if (!vocab.has(unk)) fail('model.unk_token', `${show(unk)} is not in the vocabulary`);
  }

  const addedJson = doc.added_tokens ?? [];
  if (!Array.isArray(addedJson))
    return fail('added_tokens', `must be an array, got ${show(addedJson)}`);
  addedJson.forEach((token: unknown, i) => {
    if (!isObject(token) || typeof token.content !== 'string' || token.content === '') {
      fail(
        `added_tokens[${i}]`,
        `expected { id, content } with a non-empty content, got ${show(token)}`,
      );
    }
    const { id, content } = token as { id: unknown; content: string };
    if (!Number.isInteger(id) || (id as number) < 0) {
      fail(`added_tokens[${i}].id`, `must be a non-negative integer, got ${show(id)}`);
    }
    const other = byId.get(id as number);
    if (other !== undefined && other !== content) {
      fail(
        `added_tokens[${i}]`,
        `id ${id} of ${show(content)} is the id of ${show(other)} in the vocabulary`,
      );
    }
  });

  const section = (name: string): JsonObject | null => {
    const value = doc[name];
    if (value === undefined || value === null) return null;
    if (!isObject(value)) return fail(name, `must be an object or null, got ${show(value)}`);
    if (typeof value.type !== 'string')
      return fail(`${name}.type`, `must be a string, got ${show(value.type)}`);
    return value;
  };
  const json: TokenizerJson = {
    ...doc,
    added_tokens: addedJson as AddedTokenJson[],
    normalizer: section('normalizer'),
    pre_tokenizer: section('pre_tokenizer'),
    post_processor: section('post_processor'),
    decoder: section('decoder'),
    model: { ...model, type: 'BPE' } as unknown as BpeModelJson,
  };
  return { json, vocab, merges };
}
