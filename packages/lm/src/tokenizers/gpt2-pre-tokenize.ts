/**
 * GPT-2's pre-tokenization: text is cut into pieces by one regular
 * expression (openai/gpt-2 `src/encoder.py`), and BPE merges never cross a
 * piece boundary. The pieces are the English contractions, an optional space
 * followed by letters, or by digits, or by other symbols, then runs of
 * whitespace (a run followed by a non-space leaves its last space to the
 * next piece). Hugging Face's `ByteLevel` pre-tokenizer (`use_regex: true`)
 * and tiktoken's r50k_base use the same expression.
 */

/** The pattern's source, as in GPT-2 and tiktoken's r50k_base. */
export const GPT2_SPLIT_PATTERN =
  "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/**
 * A fresh global, Unicode-aware regular expression of GPT-2's pattern.
 * @returns `new RegExp(GPT2_SPLIT_PATTERN, 'gu')`
 */
export function gpt2SplitRegExp(): RegExp {
  return new RegExp(GPT2_SPLIT_PATTERN, 'gu');
}

const shared = gpt2SplitRegExp();

/**
 * Cuts `text` into GPT-2's pre-tokens; their concatenation is `text`.
 * @param text - any string
 * @returns the pieces, in order
 * @example gpt2PreTokenize("I'll  go!") // ['I', "'ll", ' ', ' go', '!']
 */
export function gpt2PreTokenize(text: string): string[] {
  return text.match(shared) ?? [];
}
