/**
 * Which ids are bos / eos / pad / unk, read the way transformers reads them:
 * `tokenizer_config.json` first (`bos_token`, ... as a string or an
 * `{ content }` object), then `special_tokens_map.json`, then what
 * `tokenizer.json` itself says (the BPE model's `unk_token`, the tokens the
 * `TemplateProcessing` post-processor puts around a sequence), and last the
 * conventional names among the special added tokens (`<s>`, `</s>`,
 * `<|endoftext|>`, `<pad>`, `<unk>`, ...).
 */
import type { SpecialTokenIds } from './tokenizer.js';
import { TokenizerFormatError } from './tokenizer-errors.js';
import type { JsonObject, TokenizerJson } from './tokenizer-json.js';

type Role = keyof SpecialTokenIds;
const ROLES: readonly Role[] = ['bos', 'eos', 'pad', 'unk'];

/** Conventional names, tried in order, among the special added tokens. */
const CONVENTIONAL: Record<Role, readonly string[]> = {
  bos: ['<s>', '<|begin_of_text|>', '<|startoftext|>', '<bos>', '<|endoftext|>'],
  eos: ['</s>', '<|end_of_text|>', '<|endoftext|>', '<eos>'],
  pad: ['<pad>', '<|pad|>', '[PAD]'],
  unk: ['<unk>', '<|unk|>', '[UNK]'],
};

/** The special tokens and whether the checkpoint prepends bos. */
export interface ResolvedSpecialTokens {
  readonly ids: SpecialTokenIds;
  /** `add_bos_token` of the config, or whether the post-processor template starts with a special token. */
  readonly addBosToken: boolean;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A config's token entry: a string, `{ content }` (an AddedToken), or absent / null. */
function tokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.content === 'string') return value.content;
  return undefined;
}

/** The special tokens the template post-processor (possibly inside a `Sequence`) puts before and after a single sequence. */
function templateTokens(processor: JsonObject | null): { before?: string; after?: string } {
  if (!processor) return {};
  if (processor.type === 'Sequence' && Array.isArray(processor.processors)) {
    for (const inner of processor.processors) {
      const found = templateTokens(isObject(inner) ? inner : null);
      if (found.before !== undefined || found.after !== undefined) return found;
    }
    return {};
  }
  if (processor.type !== 'TemplateProcessing' || !Array.isArray(processor.single)) return {};
  const found: { before?: string; after?: string } = {};
  let seenSequence = false;
  for (const piece of processor.single) {
    if (!isObject(piece)) continue;
    if (isObject(piece.Sequence)) seenSequence = true;
    const special = isObject(piece.SpecialToken) ? piece.SpecialToken.id : undefined;
    if (typeof special !== 'string') continue;
    if (!seenSequence && found.before === undefined) found.before = special;
    if (seenSequence && found.after === undefined) found.after = special;
  }
  return found;
}

/**
 * Resolves the special tokens of a tokenizer.
 * @param json - the validated tokenizer.json
 * @param lookup - token string to id (vocabulary and added tokens)
 * @param config - parsed tokenizer_config.json, if any
 * @param specialTokensMap - parsed special_tokens_map.json, if any
 * @param op - the operation named in errors
 * @returns the ids and the add-bos flag
 * @throws TokenizerFormatError when a config names a token that is not in the vocabulary
 */
export function resolveSpecialTokens(
  json: TokenizerJson,
  lookup: (token: string) => number | undefined,
  config: JsonObject | undefined,
  specialTokensMap: JsonObject | undefined,
  op: string,
): ResolvedSpecialTokens {
  const ids: { -readonly [R in Role]?: number } = {};
  const template = templateTokens(json.post_processor);
  const specialAdded = new Set(json.added_tokens.filter((t) => t.special).map((t) => t.content));
  for (const role of ROLES) {
    const key = `${role}_token`;
    for (const [file, source] of [
      ['tokenizer_config.json', config],
      ['special_tokens_map.json', specialTokensMap],
    ] as const) {
      if (!source || !(key in source)) continue;
      const content = tokenContent(source[key]);
      if (content === undefined) break; // explicitly null: no such token
      const id = lookup(content);
      if (id === undefined) {
        throw new TokenizerFormatError(
          op,
          file,
          key,
          `${JSON.stringify(content)} is not in the vocabulary`,
        );
      }
      ids[role] = id;
      break;
    }
    if (
      ids[role] !== undefined ||
      (config && key in config) ||
      (specialTokensMap && key in specialTokensMap)
    ) {
      continue;
    }
    let fallback: string | undefined;
    if (role === 'unk') fallback = json.model.unk_token ?? undefined;
    if (role === 'bos') fallback = template.before;
    if (role === 'eos') fallback = template.after;
    fallback ??= CONVENTIONAL[role].find((name) => specialAdded.has(name));
    const id = fallback === undefined ? undefined : lookup(fallback);
    if (id !== undefined) ids[role] = id;
  }
  const configured = config?.add_bos_token;
  const addBosToken = typeof configured === 'boolean' ? configured : template.before !== undefined;
  return { ids, addBosToken };
}
