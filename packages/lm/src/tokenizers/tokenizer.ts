/**
 * The interface every tokenizer of @x/lm implements, so models, generation,
 * training and the CLI take any of them: character-level, Hugging Face
 * `tokenizer.json` (byte-level BPE, SentencePiece-style BPE with byte
 * fallback) and GPT-2's `encoder.json` + `vocab.bpe`.
 */

/** Ids of the special tokens a tokenizer knows (absent when it has none). */
export interface SpecialTokenIds {
  /** Beginning of sequence (`<s>`, `<|endoftext|>` for GPT-2). */
  readonly bos?: number;
  /** End of sequence: generation stops here by default. */
  readonly eos?: number;
  /** Padding, for batched prompts. */
  readonly pad?: number;
  /** Unknown token. */
  readonly unk?: number;
}

/** Encodes text to token ids and back. */
export interface Tokenizer {
  /** A short name of the kind of tokenizer, for messages (`char`, `bpe`, `gpt2`). */
  readonly kind: string;
  /** Number of ids (the model's embedding rows must be at least this many). */
  readonly vocabSize: number;
  /** The special tokens' ids. */
  readonly special: SpecialTokenIds;
  /**
   * Whether the checkpoint's own tokenizer prepends bos to a prompt
   * (`add_bos_token` of tokenizer_config.json, or a post-processor template
   * that starts with a special token: true for Llama-2 / TinyLlama, false for
   * GPT-2). `encode` never adds it: a caller that wants the checkpoint's
   * behaviour prepends `special.bos` when this is true. Absent means false.
   */
  readonly addBosToken?: boolean;
  /**
   * Token ids of `text`, without special tokens added.
   * @param text - any string
   * @returns the ids
   */
  encode(text: string): number[];
  /**
   * The text of `ids`. Special tokens are dropped unless `keepSpecial`.
   * @param ids - token ids
   * @param options - `keepSpecial` keeps the special tokens' text
   * @returns the text
   */
  decode(ids: readonly number[], options?: { keepSpecial?: boolean }): string;
  /**
   * The token string of `id` (its vocabulary entry), or undefined.
   * @param id - a token id
   */
  idToToken(id: number): string | undefined;
  /**
   * The id of a vocabulary entry, or undefined.
   * @param token - a token string as it stands in the vocabulary
   */
  tokenToId(token: string): number | undefined;
  /**
   * The tokenizer as a Hugging Face `tokenizer.json` document (what
   * `saveTokenizer` writes), so it loads in `tokenizers` / transformers.
   */
  toJSON(): unknown;
}
