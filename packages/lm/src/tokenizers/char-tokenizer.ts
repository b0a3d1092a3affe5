/**
 * A character-level tokenizer (nanoGPT's `shakespeare_char`): the vocabulary
 * is the sorted distinct characters of a corpus, one id per Unicode code
 * point (not per UTF-16 unit: an emoji is one character), sorted by code
 * point as Python's `sorted(set(text))` does. Special tokens, if any, follow
 * the characters.
 *
 * It saves as a Hugging Face `tokenizer.json` that `tokenizers` and
 * `@huggingface/tokenizers` run with the same ids: a BPE model whose
 * vocabulary is the characters and which has no merges, no normalizer and
 * no pre-tokenizer (so each character is looked up alone), a `Fuse` decoder,
 * and the special tokens as added tokens.
 */

import { TokenizerError } from '../errors.js';
import { type AddedTokenSplitter, addedTokenSplitter } from './added-tokens.js';
import { resolveSpecialTokens } from './special-tokens.js';
import type { SpecialTokenIds, Tokenizer } from './tokenizer.js';
import { TokenIdError, TokenizerFormatError, UnknownCharacterError } from './tokenizer-errors.js';
import { type AddedTokenJson, parseTokenizerJson, type TokenizerJson } from './tokenizer-json.js';

/**
 * What `encode` does with a character that is not in the vocabulary:
 * `'error'` throws an `UnknownCharacterError` naming it and its position;
 * `'skip'` drops it; `{ unkToken }` encodes it as that token, either one
 * character (a replacement character such as `'?'` or `'\uFFFD'`, added to
 * the vocabulary if the corpus lacks it) or a longer special token such as
 * `'<unk>'`.
 */
export type UnknownCharacterPolicy = 'error' | 'skip' | { readonly unkToken: string };

/** Options of a character-level tokenizer. */
export interface CharTokenizerOptions {
  /** @default 'error' */
  readonly unknown?: UnknownCharacterPolicy;
  /** Special tokens, given ids after the characters (and after a new unk token), in the order bos, eos, pad. */
  readonly specialTokens?: { readonly bos?: string; readonly eos?: string; readonly pad?: string };
}

const byCodePoint = (a: string, b: string) => a.codePointAt(0)! - b.codePointAt(0)!;
const isOneCodePoint = (s: string) =>
  s.length > 0 && s.length === String.fromCodePoint(s.codePointAt(0)!).length;

interface Layout {
  readonly tokens: readonly string[];
  readonly special: SpecialTokenIds;
  /** Ids of the special (added) tokens: skipped by decode, cut out of text by encode. */
  readonly specialIds: ReadonlySet<number>;
  readonly unknown: UnknownCharacterPolicy;
}

/** Character-level tokenizer. */
export class CharTokenizer implements Tokenizer {
  readonly kind = 'char';
  readonly vocabSize: number;
  readonly special: SpecialTokenIds;
  readonly addBosToken = false;
  /** The unknown-character policy. */
  readonly unknown: UnknownCharacterPolicy;
  private readonly tokens: readonly string[];
  private readonly ids: Map<string, number>;
  private readonly specialIds: ReadonlySet<number>;
  private readonly unkId: number | undefined;
  /** Id of each single-unit (BMP, non-surrogate) character, -1 if none: the fast path of encode. */
  private readonly bmp = new Int32Array(0x10000).fill(-1);
  private readonly splitAdded: AddedTokenSplitter | undefined;

  private constructor(layout: Layout) {
    this.tokens = layout.tokens;
    this.vocabSize = layout.tokens.length;
    this.special = layout.special;
    this.specialIds = layout.specialIds;
    this.unknown = layout.unknown;
    this.ids = new Map(layout.tokens.map((token, id) => [token, id]));
    layout.tokens.forEach((token, id) => {
      const unit = token.charCodeAt(0);
      if (token.length === 1 && (unit < 0xd800 || unit > 0xdfff)) this.bmp[unit] = id;
    });
    const unk = layout.unknown;
    this.unkId = typeof unk === 'object' ? this.ids.get(unk.unkToken) : undefined;
    this.splitAdded = addedTokenSplitter(
      [...layout.specialIds].map((id) => ({ content: layout.tokens[id]!, id })),
    );
  }

  /**
   * A tokenizer whose vocabulary is `characters` (ids 0.. in the order
   * given), then a new unk token, then the special tokens.
   * @param characters - distinct single code points
   * @param options - unknown-character policy and special tokens
   * @returns the tokenizer
   * @throws TokenizerError for an entry that is not one code point, or repeats
   * @example CharTokenizer.fromCharacters(['a', 'b']).encode('ba') // [1, 0]
   */
  static fromCharacters(
    characters: Iterable<string>,
    options: CharTokenizerOptions = {},
  ): CharTokenizer {
    const op = 'CharTokenizer';
    const tokens: string[] = [];
    const seen = new Set<string>();
    for (const char of characters) {
      if (typeof char !== 'string' || !isOneCodePoint(char)) {
        throw new TokenizerError(
          op,
          `vocabulary entry ${JSON.stringify(char)} is not one character`,
        );
      }
      if (seen.has(char))
        throw new TokenizerError(op, `character ${JSON.stringify(char)} is listed twice`);
      seen.add(char);
      tokens.push(char);
    }
    const unknown = options.unknown ?? 'error';
    const specialIds = new Set<number>();
    const idOf = (token: string, special: boolean): number => {
      let id = tokens.indexOf(token);
      if (id < 0) {
        id = tokens.length;
        tokens.push(token);
      }
      if (special) specialIds.add(id);
      return id;
    };
    const special: { -readonly [K in keyof SpecialTokenIds]: number } = {};
    if (typeof unknown === 'object') {
      if (typeof unknown.unkToken !== 'string' || unknown.unkToken === '') {
        throw new TokenizerError(
          op,
          `unknown.unkToken must be a non-empty string, got ${JSON.stringify(unknown.unkToken)}`,
        );
      }
      const id = idOf(unknown.unkToken, !isOneCodePoint(unknown.unkToken));
      if (specialIds.has(id)) special.unk = id;
    } else if (unknown !== 'error' && unknown !== 'skip') {
      throw new TokenizerError(
        op,
        `unknown must be 'error', 'skip' or { unkToken }, got ${JSON.stringify(unknown)}`,
      );
    }
    for (const role of ['bos', 'eos', 'pad'] as const) {
      const token = options.specialTokens?.[role];
      if (token === undefined) continue;
      if (typeof token !== 'string' || token === '') {
        throw new TokenizerError(
          op,
          `specialTokens.${role} must be a non-empty string, got ${JSON.stringify(token)}`,
        );
      }
      special[role] = idOf(token, true);
    }
    return new CharTokenizer({ tokens, special, specialIds, unknown });
  }

  /**
   * A tokenizer whose vocabulary is the distinct characters of `corpus`, sorted by code point.
   * @param corpus - the training text
   * @param options - unknown-character policy and special tokens
   * @returns the tokenizer
   * @example
   * const tokenizer = CharTokenizer.fromCorpus('hello');
   * tokenizer.vocabSize // 4 ('e', 'h', 'l', 'o')
   * tokenizer.encode('hole') // [1, 3, 2, 0]
   */
  static fromCorpus(corpus: string, options: CharTokenizerOptions = {}): CharTokenizer {
    if (typeof corpus !== 'string') {
      throw new TokenizerError('CharTokenizer', `corpus must be a string, got ${typeof corpus}`);
    }
    return CharTokenizer.fromCharacters([...new Set(corpus)].sort(byCodePoint), options);
  }

  /**
   * True when `json` (a validated tokenizer.json) has the character-level
   * layout `toJSON` writes: a BPE model without merges, normalizer or
   * pre-tokenizer, whose entries are single characters apart from the added
   * tokens and the unk token.
   * @param json - a validated document
   * @returns whether `fromJSON` reads it
   */
  static isCharTokenizerJson(json: TokenizerJson): boolean {
    const added = new Set(json.added_tokens.map((t) => t.content));
    const unk = json.model.unk_token;
    return (
      json.model.merges.length === 0 &&
      json.normalizer === null &&
      json.pre_tokenizer === null &&
      !json.model.byte_fallback &&
      !json.model.continuing_subword_prefix &&
      !json.model.end_of_word_suffix &&
      json.added_tokens.every((t) => t.special && !t.lstrip && !t.rstrip && !t.single_word) &&
      Object.keys(json.model.vocab).every((t) => isOneCodePoint(t) || added.has(t) || t === unk)
    );
  }

  /**
   * Reads a tokenizer.json written by `toJSON` (and its tokenizer_config.json for the special roles).
   * The file has no field for the `'error'` / `'skip'` choice (Hugging Face
   * drops unknown characters when the model has no unk token): it is
   * `options.unknown`, `'error'` by default; an unk token in the file is the
   * `{ unkToken }` policy.
   * @param json - the tokenizer.json text or parsed JSON
   * @param options - `config` (tokenizer_config.json) and `unknown`
   * @returns the tokenizer
   * @throws TokenizerFormatError when the document is malformed or not character-level
   * @example CharTokenizer.fromJSON(JSON.stringify(tokenizer)).encode('hole') // same ids
   */
  static fromJSON(
    json: unknown,
    options: { readonly config?: unknown; readonly unknown?: 'error' | 'skip' } = {},
  ): CharTokenizer {
    const op = 'loadTokenizer';
    const parsed = parseTokenizerJson(json, op);
    if (!CharTokenizer.isCharTokenizerJson(parsed.json)) {
      throw new TokenizerFormatError(
        op,
        'tokenizer.json',
        'model',
        'not a character-level tokenizer (merges, a normalizer or pre-tokenizer, or multi-character entries)',
      );
    }
    const tokens: string[] = [];
    for (const [token, id] of parsed.vocab) tokens[id] = token;
    for (const token of parsed.json.added_tokens) tokens[token.id] = token.content;
    for (let id = 0; id < tokens.length; id++) {
      if (tokens[id] === undefined) {
        throw new TokenizerFormatError(
          op,
          'tokenizer.json',
          'model.vocab',
          `no token has id ${id} (ids must be 0..${tokens.length - 1})`,
        );
      }
    }
    let config = options.config;
    if (typeof config === 'string') {
      try {
        config = JSON.parse(config);
      } catch (error) {
        throw new TokenizerFormatError(
          op,
          'tokenizer_config.json',
          '',
          `not valid JSON (${(error as Error).message})`,
          { cause: error },
        );
      }
    }
    const ids = new Map(tokens.map((token, id) => [token, id]));
    const resolved = resolveSpecialTokens(
      parsed.json,
      (t) => ids.get(t),
      typeof config === 'object' && config !== null
        ? (config as Record<string, unknown>)
        : undefined,
      undefined,
      op,
    );
    const unkToken = parsed.json.model.unk_token;
    const specialIds = new Set(parsed.json.added_tokens.map((t) => t.id));
    const special = { ...resolved.ids };
    // a replacement character is an ordinary character, not a special unk token
    if (special.unk !== undefined && !specialIds.has(special.unk)) delete special.unk;
    return new CharTokenizer({
      tokens,
      special,
      specialIds,
      unknown: unkToken ? { unkToken } : (options.unknown ?? 'error'),
    });
  }

  /** The vocabulary in id order (characters, then special tokens). */
  get vocabulary(): readonly string[] {
    return this.tokens;
  }

  /**
   * The ids of `text`, one per code point; special tokens written in the text become their ids.
   * @param text - any string (a lone surrogate is one character, looked up like any other)
   * @returns the ids
   * @throws UnknownCharacterError under the `'error'` policy, naming the character and its UTF-16 position
   * @example CharTokenizer.fromCorpus('ab').encode('ba') // [1, 0]
   */
  encode(text: string): number[] {
    if (typeof text !== 'string')
      throw new TokenizerError('encode', `text must be a string, got ${typeof text}`);
    const out: number[] = [];
    if (!this.splitAdded) {
      this.encodeRun(text, 0, out);
      return out;
    }
    let offset = 0;
    this.splitAdded(
      text,
      (run) => {
        this.encodeRun(run, offset, out);
        offset += run.length;
      },
      (id) => {
        out.push(id);
        offset += this.tokens[id]!.length;
      },
    );
    return out;
  }

  private encodeRun(run: string, offset: number, out: number[]): void {
    const bmp = this.bmp;
    for (let i = 0; i < run.length; i++) {
      const fast = bmp[run.charCodeAt(i)]!;
      if (fast >= 0) {
        out.push(fast);
        continue;
      }
      const codePoint = run.codePointAt(i)!;
      const char = String.fromCodePoint(codePoint);
      // a lone surrogate is one unit; codePointAt gives it alone, so char is that unit
      const id = this.ids.get(char);
      if (id !== undefined) out.push(id);
      else if (this.unkId !== undefined) out.push(this.unkId);
      else if (this.unknown === 'error') {
        throw new UnknownCharacterError('encode', char, offset + i, this.vocabSize);
      }
      i += char.length - 1;
    }
  }

  /**
   * The text of `ids`: their tokens joined. Special tokens are dropped unless `keepSpecial`.
   * @param ids - token ids
   * @param options - `keepSpecial`
   * @returns the text
   * @throws TokenIdError for an id out of range
   * @example CharTokenizer.fromCorpus('ab').decode([1, 0]) // 'ba'
   */
  decode(ids: readonly number[], options: { keepSpecial?: boolean } = {}): string {
    let out = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
        throw new TokenIdError('decode', id, i, this.vocabSize);
      }
      if (!options.keepSpecial && this.specialIds.has(id)) continue;
      out += this.tokens[id];
    }
    return out;
  }

  /**
   * @param id - a token id
   * @returns its character or special token, or undefined
   */
  idToToken(id: number): string | undefined {
    return this.tokens[id];
  }

  /**
   * @param token - a character or special token
   * @returns its id, or undefined
   */
  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  /**
   * The Hugging Face tokenizer.json document (see the file comment).
   * @returns the document; `JSON.stringify(tokenizer)` gives the file
   */
  toJSON(): TokenizerJson {
    const vocab: Record<string, number> = {};
    this.tokens.forEach((token, id) => {
      vocab[token] = id;
    });
    const added: AddedTokenJson[] = [...this.specialIds]
      .sort((a, b) => a - b)
      .map((id) => ({
        id,
        content: this.tokens[id]!,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      }));
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: added,
      normalizer: null,
      pre_tokenizer: null,
      post_processor: null,
      decoder: { type: 'Fuse' },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: typeof this.unknown === 'object' ? this.unknown.unkToken : null,
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab,
        merges: [],
      },
    };
  }
}
