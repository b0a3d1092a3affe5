/**
 * A Hugging Face `tokenizer.json` tokenizer: byte-level BPE (GPT-2, SmolLM,
 * GPT-NeoX / Mamba) and SentencePiece-style BPE with byte fallback (Llama-2,
 * TinyLlama). The document is validated here, then run by
 * `@huggingface/tokenizers` (Hugging Face's pure-JS port of the Rust crate:
 * normalizers, pre-tokenizers, added tokens, decoders). For the plain GPT-2
 * layout, encoding goes through this package's `ByteLevelBpe`, which gives
 * the same ids about 10x faster.
 */
import { Tokenizer as HuggingFaceTokenizer } from '@huggingface/tokenizers';
import { TokenizerError } from '../errors.js';
import { ByteLevelBpe } from './byte-level-bpe.js';
import { resolveSpecialTokens } from './special-tokens.js';
import type { SpecialTokenIds, Tokenizer } from './tokenizer.js';
import { TokenIdError, TokenizerFormatError } from './tokenizer-errors.js';
import { type JsonObject, type ParsedTokenizerJson, parseTokenizerJson } from './tokenizer-json.js';

/** Options of `HfTokenizer.fromJSON`. */
export interface HfTokenizerOptions {
  /** `tokenizer_config.json` (text or parsed): special tokens, `add_bos_token`. */
  readonly config?: unknown;
  /** `special_tokens_map.json` (text or parsed), read when the config does not name a token. */
  readonly specialTokensMap?: unknown;
  /**
   * Encode with `@huggingface/tokenizers` even where the fast byte-level
   * encoder applies (for comparisons).
   * @default false
   */
  readonly useLibraryEncoder?: boolean;
  /** `kind` of the tokenizer. @default 'bpe' */
  readonly kind?: string;
  /** The operation named in errors. @default 'loadTokenizer' */
  readonly op?: string;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseConfig(value: unknown, file: string, op: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new TokenizerFormatError(op, file, '', `not valid JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
  }
  if (!isObject(parsed)) {
    throw new TokenizerFormatError(op, file, '', `expected a JSON object, got ${typeof parsed}`);
  }
  return parsed;
}

/** True when `json` has the plain GPT-2 layout that `ByteLevelBpe` encodes exactly. */
function isPlainByteLevel(parsed: ParsedTokenizerJson, config: JsonObject | undefined): boolean {
  const { json } = parsed;
  const pre = json.pre_tokenizer;
  const model = json.model;
  return (
    json.normalizer === null &&
    pre !== null &&
    pre.type === 'ByteLevel' &&
    !pre.add_prefix_space &&
    pre.use_regex !== false &&
    !model.dropout &&
    !model.byte_fallback &&
    !model.end_of_word_suffix &&
    !model.continuing_subword_prefix &&
    json.added_tokens.every((t) => !t.lstrip && !t.rstrip && !t.single_word) &&
    !config?.remove_space &&
    !config?.do_lowercase_and_remove_accent
  );
}

/** A tokenizer read from a Hugging Face `tokenizer.json`. */
export class HfTokenizer implements Tokenizer {
  readonly kind: string;
  readonly vocabSize: number;
  readonly special: SpecialTokenIds;
  readonly addBosToken: boolean;
  /** Whether encoding uses the fast byte-level encoder (else the library). */
  readonly fastEncoder: boolean;
  /**
   * Whether the document is byte-level BPE in GPT-2's plain layout (no
   * normalizer, the `ByteLevel` pre-tokenizer with GPT-2's regex, no byte
   * fallback or affixes): what llama.cpp's "gpt2" vocabulary reproduces.
   */
  readonly plainByteLevel: boolean;
  private readonly library: HuggingFaceTokenizer;
  private readonly fast: ByteLevelBpe | undefined;
  private readonly tokens: (string | undefined)[];
  private readonly ids: Map<string, number>;
  private readonly json: ParsedTokenizerJson['json'];
  private readonly config: JsonObject | undefined;

  private constructor(parsed: ParsedTokenizerJson, options: HfTokenizerOptions) {
    const op = options.op ?? 'loadTokenizer';
    this.kind = options.kind ?? 'bpe';
    this.json = parsed.json;
    this.config = parseConfig(options.config, 'tokenizer_config.json', op);
    const specialTokensMap = parseConfig(options.specialTokensMap, 'special_tokens_map.json', op);
    try {
      // the library reads both objects and does not modify them
      this.library = new HuggingFaceTokenizer(parsed.json, this.config ?? {});
    } catch (error) {
      throw new TokenizerFormatError(
        op,
        'tokenizer.json',
        '',
        `rejected by @huggingface/tokenizers: ${(error as Error).message}`,
        { cause: error },
      );
    }
    this.ids = new Map(parsed.vocab);
    for (const token of parsed.json.added_tokens) this.ids.set(token.content, token.id);
    let size = 0;
    for (const id of this.ids.values()) size = Math.max(size, id + 1);
    this.vocabSize = size;
    this.tokens = new Array(size);
    for (const [token, id] of this.ids) this.tokens[id] = token;
    const special = resolveSpecialTokens(
      parsed.json,
      (t) => this.ids.get(t),
      this.config,
      specialTokensMap,
      op,
    );
    this.special = special.ids;
    this.addBosToken = special.addBosToken;
    this.plainByteLevel = isPlainByteLevel(parsed, this.config);
    this.fast =
      !options.useLibraryEncoder && this.plainByteLevel
        ? ByteLevelBpe.create({
            vocab: parsed.vocab,
            merges: parsed.merges,
            addedTokens: parsed.json.added_tokens,
            ignoreMerges: parsed.json.model.ignore_merges ?? false,
          })
        : undefined;
    this.fastEncoder = this.fast !== undefined;
  }

  /**
   * Reads a `tokenizer.json` document.
   * @param tokenizerJson - the file's text or its parsed JSON
   * @param options - the config files and options
   * @returns the tokenizer
   * @throws TokenizerFormatError for a malformed document or config
   * @throws UnsupportedTokenizerError for a model type other than BPE
   * @example
   * const tokenizer = HfTokenizer.fromJSON(await (await fetch('/gpt2/tokenizer.json')).text());
   * tokenizer.encode('Hello world') // [15496, 995]
   */
  static fromJSON(tokenizerJson: unknown, options: HfTokenizerOptions = {}): HfTokenizer {
    return new HfTokenizer(
      parseTokenizerJson(tokenizerJson, options.op ?? 'loadTokenizer'),
      options,
    );
  }

  /**
   * Token ids of `text`, without special tokens added (see `addBosToken`).
   * Special tokens written in the text (`<|endoftext|>`) become their ids, as in Hugging Face.
   * @param text - any string; lone surrogates are encoded as U+FFFD
   * @returns the ids
   * @throws TokenizerError when `text` is not a string
   * @example tokenizer.encode(' the') // [262] for GPT-2
   */
  encode(text: string): number[] {
    if (typeof text !== 'string')
      throw new TokenizerError('encode', `text must be a string, got ${typeof text}`);
    if (this.fast) return this.fast.encode(text);
    return this.library.encode(text, { add_special_tokens: false }).ids;
  }

  /**
   * The text of `ids`, as the tokenizer's decoder gives it (no clean-up of
   * spaces, so `decode(encode(s)) === s` for well-formed `s`). Bytes that do
   * not form UTF-8 (a token sequence cut inside a character) become U+FFFD.
   * @param ids - token ids
   * @param options - `keepSpecial` keeps special tokens' text
   * @returns the text
   * @throws TokenIdError for an id that names no token
   * @example tokenizer.decode([15496, 995]) // 'Hello world'
   */
  decode(ids: readonly number[], options: { keepSpecial?: boolean } = {}): string {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (
        !Number.isInteger(id) ||
        id < 0 ||
        id >= this.vocabSize ||
        this.tokens[id] === undefined
      ) {
        throw new TokenIdError('decode', id, i, this.vocabSize);
      }
    }
    if (ids.length === 0) return '';
    return this.library.decode(ids as number[], {
      skip_special_tokens: !options.keepSpecial,
      clean_up_tokenization_spaces: false,
    });
  }

  /**
   * @param id - a token id
   * @returns its vocabulary entry (byte-level characters for GPT-2), or undefined
   * @example tokenizer.idToToken(262) // 'Ġthe'
   */
  idToToken(id: number): string | undefined {
    return this.tokens[id];
  }

  /**
   * @param token - a vocabulary entry
   * @returns its id, or undefined
   * @example tokenizer.tokenToId('<|endoftext|>') // 50256
   */
  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  /**
   * @returns the `tokenizer.json` document (with absent sections as null)
   * @example JSON.stringify(tokenizer) // the file's content
   */
  toJSON(): unknown {
    return this.json;
  }

  /**
   * @returns the `tokenizer_config.json` it was read with, or undefined
   */
  configJSON(): unknown {
    return this.config;
  }
}
