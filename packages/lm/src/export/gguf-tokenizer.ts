/**
 * A tokenizer as GGUF `tokenizer.ggml.*` metadata, in llama.cpp's "gpt2"
 * (byte-level BPE) form: `tokens` (byte-level strings, GPT-2's
 * `bytes_to_unicode` alphabet), `token_type` (1 normal, 3 control, 4
 * user-defined, 5 unused), `merges` ("left right", in rank order), the
 * special ids and `add_bos_token`.
 *
 * - A byte-level BPE `tokenizer.json` in GPT-2's layout (GPT-2's files,
 *   what `trainBpe` writes): its vocabulary and merges as they are, with
 *   `tokenizer.ggml.pre = "gpt-2"` (GPT-2's split regex).
 * - `CharTokenizer`: each character becomes its UTF-8 bytes in the
 *   byte-level alphabet (ASCII letters stay themselves, space is `Ġ`,
 *   newline `Ċ`); a character of several bytes gets the merges that join
 *   its bytes back into it (left part always from its first byte, right
 *   part a continuation byte, so no merge can cross two characters), and
 *   llama.cpp's BPE then yields one token per character as ours does.
 *   Special tokens are written as control tokens.
 *
 * Anything else (SentencePiece-style BPE with byte fallback, other
 * pre-tokenizers, a lone surrogate in a character vocabulary) is refused
 * with an `ExportError` naming it, rather than written as a file that
 * tokenizes differently in llama.cpp.
 */
import { ExportError } from '../errors.js';
import { toByteLevel } from '../tokenizers/byte-level.js';
import { CharTokenizer } from '../tokenizers/char-tokenizer.js';
import { HfTokenizer } from '../tokenizers/hf-tokenizer.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import type { GgufValue } from './gguf-writer.js';

const OP = 'toGguf';
/** llama.cpp's token types (`llama_token_type`). */
const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5 } as const;

interface Vocab {
  tokens: string[];
  types: number[];
  merges: string[];
}

function fail(message: string, subject?: string): never {
  throw new ExportError(OP, message, { format: 'gguf', subject: subject ?? 'tokenizer' });
}

function charVocab(tokenizer: CharTokenizer, special: ReadonlySet<number>): Vocab {
  const tokens: string[] = [];
  const types: number[] = [];
  const merges: string[] = [];
  const seenMerges = new Set<string>();
  tokenizer.vocabulary.forEach((token, id) => {
    if (special.has(id)) {
      tokens.push(token);
      types.push(TOKEN_TYPE.control);
      return;
    }
    for (let i = 0; i < token.length; i++) {
      const unit = token.charCodeAt(i);
      const high = unit >= 0xd800 && unit <= 0xdbff;
      const low = unit >= 0xdc00 && unit <= 0xdfff;
      const paired =
        (high && i + 1 < token.length && (token.charCodeAt(i + 1) & 0xfc00) === 0xdc00) ||
        (low && i > 0 && (token.charCodeAt(i - 1) & 0xfc00) === 0xd800);
      if ((high || low) && !paired)
        fail(
          `character ${id} is a lone surrogate U+${unit.toString(16).toUpperCase().padStart(4, '0')}, which UTF-8 (and so GGUF's byte-level vocabulary) cannot hold`,
          `token ${id}`,
        );
    }
    const bytes = toByteLevel(token);
    tokens.push(bytes);
    types.push(TOKEN_TYPE.normal);
    for (let n = 1; n < bytes.length; n++) {
      const merge = `${bytes.slice(0, n)} ${bytes[n]}`;
      if (!seenMerges.has(merge)) {
        seenMerges.add(merge);
        merges.push(merge);
      }
    }
  });
  return { tokens, types, merges };
}

function bpeVocab(tokenizer: HfTokenizer): Vocab {
  if (!tokenizer.plainByteLevel)
    fail(
      `a ${tokenizer.kind} tokenizer.json that is not byte-level BPE in GPT-2's layout (a normalizer, byte fallback, another pre-tokenizer or affixes) cannot be written as llama.cpp's "gpt2" vocabulary; supported: byte-level BPE as GPT-2 / trainBpe write it, and CharTokenizer`,
    );
  const json = tokenizer.toJSON() as {
    model: { merges: (string | [string, string])[] };
    added_tokens: { id: number; special: boolean }[];
  };
  const added = new Map(json.added_tokens.map((t) => [t.id, t.special]));
  const tokens: string[] = [];
  const types: number[] = [];
  for (let id = 0; id < tokenizer.vocabSize; id++) {
    const token = tokenizer.idToToken(id);
    if (token === undefined) {
      tokens.push(`[PAD${id}]`);
      types.push(TOKEN_TYPE.unused);
      continue;
    }
    tokens.push(token);
    const isSpecial = added.get(id);
    types.push(
      isSpecial === undefined
        ? TOKEN_TYPE.normal
        : isSpecial
          ? TOKEN_TYPE.control
          : TOKEN_TYPE.userDefined,
    );
  }
  const merges = json.model.merges.map((m, i) => {
    const [left, right] = typeof m === 'string' ? m.split(' ') : m;
    if (left === undefined || right === undefined || left.includes(' ') || right.includes(' '))
      fail(`merge ${i} ${JSON.stringify(m)} is not two space-free tokens`, `merge ${i}`);
    return `${left} ${right}`;
  });
  return { tokens, types, merges };
}

/**
 * The `tokenizer.ggml.*` keys for `tokenizer`, padded with unused
 * `[PADn]` tokens up to the model's vocabulary size.
 * @param tokenizer - a `CharTokenizer` or a byte-level BPE `HfTokenizer`
 * @param vocabSize - rows of the model's embedding
 * @param fallback - bos / eos ids from the model config, used where the tokenizer has none
 * @returns the metadata entries
 * @throws ExportError for a tokenizer the "gpt2" vocabulary cannot express, or one larger than the model
 * @example ggufTokenizerMetadata(CharTokenizer.fromCorpus('ab '), 3, {})['tokenizer.ggml.tokens'] // ['Ġ', 'a', 'b']
 */
export function ggufTokenizerMetadata(
  tokenizer: Tokenizer,
  vocabSize: number,
  fallback: { bos?: number | null; eos?: number | null },
): Record<string, GgufValue> {
  if (tokenizer.vocabSize > vocabSize)
    fail(
      `the tokenizer has ${tokenizer.vocabSize} ids, the model only ${vocabSize} embedding rows`,
    );
  let vocab: Vocab;
  if (tokenizer instanceof CharTokenizer) {
    // single characters are text (even when they are the bos / eos id); only special tokens are longer
    const special = new Set<number>();
    tokenizer.vocabulary.forEach((token, id) => {
      if ([...token].length > 1) special.add(id);
    });
    vocab = charVocab(tokenizer, special);
  } else if (tokenizer instanceof HfTokenizer) vocab = bpeVocab(tokenizer);
  else
    fail(
      `a "${tokenizer.kind}" tokenizer of class ${tokenizer.constructor.name} cannot be written as GGUF (supported: CharTokenizer, byte-level BPE HfTokenizer)`,
    );
  for (let id = vocab.tokens.length; id < vocabSize; id++) {
    vocab.tokens.push(`[PAD${id}]`);
    vocab.types.push(TOKEN_TYPE.unused);
  }
  const seen = new Map<string, number>();
  vocab.tokens.forEach((token, id) => {
    const other = seen.get(token);
    if (other !== undefined)
      fail(
        `tokens ${other} and ${id} are both ${JSON.stringify(token)} in the byte-level vocabulary`,
        `token ${id}`,
      );
    seen.set(token, id);
  });
  const metadata: Record<string, GgufValue> = {
    'tokenizer.ggml.model': { type: 'string', value: 'gpt2' },
    'tokenizer.ggml.pre': { type: 'string', value: 'gpt-2' },
    'tokenizer.ggml.tokens': { type: 'array', itemType: 'string', value: vocab.tokens },
    'tokenizer.ggml.token_type': { type: 'array', itemType: 'int32', value: vocab.types },
    'tokenizer.ggml.merges': { type: 'array', itemType: 'string', value: vocab.merges },
  };
  const special = tokenizer.special;
  const id = (value: number | null | undefined): GgufValue | undefined =>
    value === undefined || value === null ? undefined : { type: 'uint32', value };
  const entries: [string, GgufValue | undefined][] = [
    ['tokenizer.ggml.bos_token_id', id(special.bos ?? fallback.bos)],
    ['tokenizer.ggml.eos_token_id', id(special.eos ?? fallback.eos)],
    ['tokenizer.ggml.unknown_token_id', id(special.unk)],
    ['tokenizer.ggml.padding_token_id', id(special.pad)],
  ];
  for (const [key, value] of entries) if (value) metadata[key] = value;
  metadata['tokenizer.ggml.add_bos_token'] = {
    type: 'bool',
    value: tokenizer.addBosToken ?? false,
  };
  metadata['tokenizer.ggml.add_eos_token'] = { type: 'bool', value: false };
  return metadata;
}
