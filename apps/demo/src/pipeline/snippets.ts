/**
 * Snippets for the result lists: the best window of a passage from
 * @x/inverted-index, HTML-escaped, with the query's matches in `<mark>`.
 */
import type { InvertedIndex } from '@x/inverted-index';

const OPEN = '\uE000';
const CLOSE = '\uE001';

/**
 * Escapes text for HTML.
 * @param text - plain text
 * @returns text safe inside an element or an attribute
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * An HTML snippet of a passage for a query.
 * @param index - the BM25 index (holds the stored text)
 * @param id - the passage
 * @param query - the query (plain words; syntax is ignored if it does not parse)
 * @param maxLength - window length in characters
 * @returns escaped HTML where only `<mark>` tags are markup
 */
export function htmlSnippet(
  index: InvertedIndex,
  id: string,
  query: string,
  maxLength = 200,
): string {
  let raw: string;
  try {
    raw = index.snippet(id, query, { field: 'text', maxLength, highlight: [OPEN, CLOSE] });
  } catch {
    raw = index.snippet(id, query, {
      field: 'text',
      maxLength,
      highlight: [OPEN, CLOSE],
      syntax: 'plain',
    });
  }
  // the markers are private-use characters, which escaping leaves alone
  return escapeHtml(raw).replaceAll(OPEN, '<mark>').replaceAll(CLOSE, '</mark>');
}
