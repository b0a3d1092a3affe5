/**
 * The `tokenizer_config.json` written beside a saved `tokenizer.json`: the
 * special tokens' roles (`bos_token`, `eos_token`, `pad_token`,
 * `unk_token`, null for a role without a token), `add_bos_token`, and `clean_up_tokenization_spaces: false`
 * (so transformers decodes to the exact text, as this package does), over
 * the config the tokenizer was read with, if any.
 */
import type { Tokenizer } from './tokenizer.js';

/**
 * The tokenizer_config.json document of `tokenizer`.
 * @param tokenizer - any tokenizer of this package
 * @returns the document
 * @example tokenizerConfigJson(gpt2) // { ..., bos_token: '<|endoftext|>', eos_token: '<|endoftext|>', add_bos_token: false }
 */
export function tokenizerConfigJson(tokenizer: Tokenizer): Record<string, unknown> {
  const original = (tokenizer as { configJSON?: () => unknown }).configJSON?.();
  const config: Record<string, unknown> = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    ...(typeof original === 'object' && original !== null ? original : {}),
    clean_up_tokenization_spaces: false,
    add_bos_token: tokenizer.addBosToken ?? false,
  };
  for (const role of ['bos', 'eos', 'pad', 'unk'] as const) {
    const id = tokenizer.special[role];
    // null, not absent: a reader must not guess the role from a conventional name
    config[`${role}_token`] = id === undefined ? null : (tokenizer.idToToken(id) ?? null);
  }
  return config;
}
