/**
 * A byte-level BPE trainer (Sennrich et al., "Neural Machine Translation of
 * Rare Words with Subword Units", ACL 2016; byte-level as in GPT-2, Radford
 * et al. 2019). The corpus is cut into pre-tokens by GPT-2's regex (special
 * tokens cut out first, so no merge spans them), each distinct pre-token is a
 * sequence of its UTF-8 byte tokens, and the most frequent adjacent pair is
 * merged into a new token until the vocabulary is full.
 *
 * Counting is incremental, as in the Rust `tokenizers` trainer: pair counts
 * (weighted by how often each pre-token occurs) and, per pair, the set of
 * pre-tokens holding it are built once; a merge touches only the pre-tokens
 * that hold the pair and adjusts the counts of the pairs around each
 * occurrence. The next pair comes from a max-heap whose stale entries
 * (counts only ever fall, except for pairs with the new token, which are
 * pushed fresh) are refreshed when popped. Ties go to the smaller pair of
 * ids, as in the Rust trainer.
 *
 * Ids: the special tokens first, then the 256 byte tokens in GPT-2's order,
 * then one token per merge. The result is a GPT-2-layout `tokenizer.json`.
 */

import { LmValueError } from '../errors.js';
import { addedTokenSplitter } from './added-tokens.js';
import { BYTE_ALPHABET, BYTE_TO_CHAR } from './byte-level.js';
import { gpt2SplitRegExp } from './gpt2-pre-tokenize.js';
import { HfTokenizer } from './hf-tokenizer.js';
import type { TokenizerJson } from './tokenizer-json.js';

/** Options of `trainBpe`. */
export interface BpeTrainerOptions {
  /** Vocabulary size to reach: special tokens + 256 bytes + merges (fewer if pairs run out). */
  readonly vocabSize: number;
  /** A pair seen fewer times than this is never merged. @default 2 */
  readonly minFrequency?: number;
  /** Special tokens, given ids 0.. in order (cut out of the corpus before counting). */
  readonly specialTokens?: readonly string[];
  /** Which special tokens are bos / eos / pad / unk (each one of `specialTokens`), for tokenizer_config.json. */
  readonly roles?: {
    readonly bos?: string;
    readonly eos?: string;
    readonly pad?: string;
    readonly unk?: string;
  };
  /** Called every 1,000 merges and at the end with (merges done, merges wanted). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What `trainBpe` returns. */
export interface BpeTrainingResult {
  /** The trained tokenizer (the document below, loaded). */
  readonly tokenizer: HfTokenizer;
  /** The `tokenizer.json` document. */
  readonly json: TokenizerJson;
  /** The `tokenizer_config.json` document (special-token roles). */
  readonly config: Record<string, unknown>;
  /** The merges, in order, as byte-level token strings. */
  readonly merges: readonly (readonly [string, string])[];
  /** Each distinct pre-token of the corpus and its ids after training (what encoding it must give). */
  readonly segmentation: ReadonlyMap<string, readonly number[]>;
  /** Distinct pre-tokens and the training time in ms. */
  readonly stats: { readonly distinctPreTokens: number; readonly milliseconds: number };
}

const ID_BITS = 2 ** 21;

/**
 * Trains a byte-level BPE tokenizer on `corpus`.
 * @param corpus - the text, or chunks of it (pre-tokens never span two chunks)
 * @param options - vocabulary size, minimum pair frequency, special tokens
 * @returns the tokenizer, its tokenizer.json and config, the merges and the corpus segmentation
 * @throws LmValueError for a vocabulary size below specials + 256 or above 2^21, or a bad option
 * @example
 * const { tokenizer, json } = trainBpe(text, { vocabSize: 512, specialTokens: ['<|endoftext|>'] });
 * tokenizer.decode(tokenizer.encode('To be, or not to be')) // 'To be, or not to be'
 */
export function trainBpe(
  corpus: string | Iterable<string>,
  options: BpeTrainerOptions,
): BpeTrainingResult {
  const started = performance.now();
  const op = 'trainBpe';
  const specials = [...(options.specialTokens ?? [])];
  const minFrequency = options.minFrequency ?? 2;
  const base = specials.length + 256;
  if (
    !Number.isInteger(options.vocabSize) ||
    options.vocabSize < base ||
    options.vocabSize > ID_BITS
  ) {
    throw new LmValueError(
      op,
      `vocabSize must be an integer in [${base}, ${ID_BITS}] (special tokens + 256 bytes and up), got ${options.vocabSize}`,
      'vocabSize',
      options.vocabSize,
    );
  }
  if (!Number.isInteger(minFrequency) || minFrequency < 1) {
    throw new LmValueError(
      op,
      `minFrequency must be a positive integer, got ${minFrequency}`,
      'minFrequency',
      minFrequency,
    );
  }
  const alphabet = new Set(BYTE_ALPHABET);
  if (
    new Set(specials).size !== specials.length ||
    specials.some((s) => typeof s !== 'string' || s === '' || alphabet.has(s))
  ) {
    throw new LmValueError(
      op,
      `specialTokens must be distinct non-empty strings, none a byte-level character, got ${JSON.stringify(specials)}`,
      'specialTokens',
      specials,
    );
  }
  for (const [role, token] of Object.entries(options.roles ?? {})) {
    if (token !== undefined && !specials.includes(token)) {
      throw new LmValueError(
        op,
        `roles.${role} ${JSON.stringify(token)} is not one of specialTokens`,
        `roles.${role}`,
        token,
      );
    }
  }

  // 1. pre-token counts
  const counts = new Map<string, number>();
  const split = gpt2SplitRegExp();
  const countRun = (run: string) => {
    split.lastIndex = 0;
    for (let m = split.exec(run); m; m = split.exec(run))
      counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  };
  const splitSpecial = addedTokenSplitter(specials.map((content, id) => ({ content, id })));
  for (const chunk of typeof corpus === 'string' ? [corpus] : corpus) {
    if (typeof chunk !== 'string')
      throw new LmValueError(
        op,
        `corpus chunks must be strings, got ${typeof chunk}`,
        'corpus',
        chunk,
      );
    if (splitSpecial) splitSpecial(chunk, countRun, () => {});
    else countRun(chunk);
  }

  // 2. words as byte-token ids; token strings
  const tokens: string[] = [...specials, ...BYTE_ALPHABET];
  const byteId = new Int32Array(256);
  BYTE_TO_CHAR.forEach((char, byte) => {
    byteId[byte] = specials.length + BYTE_ALPHABET.indexOf(char);
  });
  const pieces = [...counts.keys()];
  const weight = pieces.map((piece) => counts.get(piece)!);
  const encoder = new TextEncoder();
  const words: number[][] = pieces.map((piece) =>
    Array.from(encoder.encode(piece), (b) => byteId[b]!),
  );

  // 3. pair counts and where each pair occurs
  const pairCount = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const addPair = (key: number, delta: number) =>
    pairCount.set(key, (pairCount.get(key) ?? 0) + delta);
  words.forEach((word, w) => {
    for (let i = 0; i + 1 < word.length; i++) {
      const key = word[i]! * ID_BITS + word[i + 1]!;
      addPair(key, weight[w]!);
      const where = pairWords.get(key);
      if (where) where.add(w);
      else pairWords.set(key, new Set([w]));
    }
  });
  const heap = new PairHeap();
  for (const [key, count] of pairCount) heap.push(count, key);

  // 4. merge
  const merges: [string, string][] = [];
  const tokenIds = new Map(tokens.map((token, id) => [token, id]));
  const wanted = options.vocabSize - base;
  while (tokens.length < options.vocabSize && heap.size > 0) {
    const { count, key } = heap.pop();
    const current = pairCount.get(key) ?? 0;
    if (current !== count) {
      if (current > 0) heap.push(current, key);
      continue;
    }
    if (count < minFrequency) break;
    const a = Math.floor(key / ID_BITS);
    const b = key % ID_BITS;
    // two merges can spell the same token ((x, yz) and (xy, z)): it keeps one id, as in the Rust trainer
    const spelled = tokens[a]! + tokens[b]!;
    let merged = tokenIds.get(spelled);
    if (merged === undefined) {
      merged = tokens.length;
      tokens.push(spelled);
      tokenIds.set(spelled, merged);
    }
    merges.push([tokens[a]!, tokens[b]!]);
    const touched = new Map<number, Set<number>>();
    for (const w of pairWords.get(key)!) {
      const word = words[w]!;
      const c = weight[w]!;
      let out: number[] | undefined;
      for (let i = 0; i < word.length; i++) {
        if (i + 1 < word.length && word[i] === a && word[i + 1] === b) {
          out ??= word.slice(0, i);
          const prev = out.length > 0 ? out[out.length - 1]! : -1;
          if (prev >= 0) {
            addPair(prev * ID_BITS + a, -c);
            addPair(prev * ID_BITS + merged, c);
            touch(touched, prev * ID_BITS + merged, w);
          }
          const next = i + 2 < word.length ? word[i + 2]! : -1;
          if (next >= 0) {
            addPair(b * ID_BITS + next, -c);
            addPair(merged * ID_BITS + next, c);
            touch(touched, merged * ID_BITS + next, w);
          }
          out.push(merged);
          i++;
        } else if (out) out.push(word[i]!);
      }
      if (out) words[w] = out;
    }
    pairCount.delete(key);
    pairWords.delete(key);
    for (const [newKey, where] of touched) {
      const total = pairCount.get(newKey) ?? 0;
      if (total <= 0) {
        pairCount.delete(newKey);
        continue;
      }
      const known = pairWords.get(newKey);
      if (known) for (const w of where) known.add(w);
      else pairWords.set(newKey, where);
      heap.push(total, newKey);
    }
    if (options.onProgress && merges.length % 1000 === 0) options.onProgress(merges.length, wanted);
  }
  options.onProgress?.(merges.length, wanted);

  const json = trainedJson(tokens, merges, specials);
  const roles = options.roles ?? {};
  const config: Record<string, unknown> = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    clean_up_tokenization_spaces: false,
    add_bos_token: false,
    ...Object.fromEntries(
      Object.entries(roles)
        .filter(([, t]) => t !== undefined)
        .map(([role, t]) => [`${role}_token`, t]),
    ),
  };
  const segmentation = new Map(pieces.map((piece, w) => [piece, words[w]!]));
  return {
    tokenizer: HfTokenizer.fromJSON(json, { config, op }),
    json,
    config,
    merges,
    segmentation,
    stats: { distinctPreTokens: pieces.length, milliseconds: performance.now() - started },
  };
}

function touch(touched: Map<number, Set<number>>, key: number, w: number): void {
  const where = touched.get(key);
  if (where) where.add(w);
  else touched.set(key, new Set([w]));
}

function trainedJson(
  tokens: readonly string[],
  merges: readonly [string, string][],
  specials: readonly string[],
): TokenizerJson {
  const vocab: Record<string, number> = {};
  tokens.forEach((token, id) => {
    vocab[token] = id;
  });
  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', ...byteLevel },
    post_processor: { type: 'ByteLevel', ...byteLevel, trim_offsets: false },
    decoder: { type: 'ByteLevel', ...byteLevel },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: merges.map(([left, right]) => `${left} ${right}`),
    },
  };
}

/** Max-heap of (count, pair key): larger count first, then the smaller key (the smaller pair of ids). */
class PairHeap {
  private readonly counts: number[] = [];
  private readonly keys: number[] = [];

  get size(): number {
    return this.counts.length;
  }

  private before(i: number, j: number): boolean {
    const ci = this.counts[i]!;
    const cj = this.counts[j]!;
    return ci > cj || (ci === cj && this.keys[i]! < this.keys[j]!);
  }

  private swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j]!, this.counts[i]!];
    [this.keys[i], this.keys[j]] = [this.keys[j]!, this.keys[i]!];
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.counts.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { count: number; key: number } {
    const top = { count: this.counts[0]!, key: this.keys[0]! };
    const last = this.counts.length - 1;
    this.swap(0, last);
    this.counts.pop();
    this.keys.pop();
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < this.counts.length && this.before(left, best)) best = left;
      if (right < this.counts.length && this.before(right, best)) best = right;
      if (best === i) break;
      this.swap(i, best);
      i = best;
    }
    return top;
  }
}
