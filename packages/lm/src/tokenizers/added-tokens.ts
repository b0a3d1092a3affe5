/**
 * Cutting added (special) tokens out of text before the model sees it, as
 * Hugging Face does: at each position the longest added token that matches
 * there is taken, scanning left to right.
 */

/** A function that splits text into ordinary runs and added-token ids. */
export type AddedTokenSplitter = (
  text: string,
  ordinary: (run: string) => void,
  added: (id: number) => void,
) => void;

/**
 * A splitter for `tokens`, or undefined when there are none.
 * @param tokens - the added tokens' contents and ids
 * @returns the splitter
 */
export function addedTokenSplitter(
  tokens: readonly { readonly content: string; readonly id: number }[],
): AddedTokenSplitter | undefined {
  if (tokens.length === 0) return undefined;
  const sorted = [...tokens].sort((a, b) => b.content.length - a.content.length);
  const ids = new Map(sorted.map((token) => [token.content, token.id]));
  const pattern = new RegExp(
    sorted.map((token) => token.content.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
    'g',
  );
  return (text, ordinary, added) => {
    let start = 0;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      if (match.index > start) ordinary(text.slice(start, match.index));
      added(ids.get(match[0])!);
      start = match.index + match[0].length;
    }
    if (start < text.length) ordinary(text.slice(start));
  };
}
