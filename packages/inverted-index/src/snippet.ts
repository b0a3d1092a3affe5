/**
 * Snippets: the passage of a stored field with the most distinct query
 * terms in a window of `maxLength` characters, matches wrapped in
 * highlight markers. The field is re-analyzed with its analyzer, so stems
 * and CJK bigrams highlight the words they came from.
 */

import type { Analyzer } from './analysis/analyzer.js';

/** Options of `snippet`. */
export interface SnippetOptions {
  /** The stored field to cut the snippet from. @default the first stored indexed field */
  field?: string;
  /** Window length in characters. @default 160 */
  maxLength?: number;
  /** Markers put before and after each match. @default ['<mark>', '</mark>'] */
  highlight?: readonly [string, string];
  /** Put where the text was cut. @default '…' */
  ellipsis?: string;
}

/**
 * Cuts and highlights a snippet.
 * @param text - the field text
 * @param analyzer - the field's analyzer
 * @param terms - analyzed query terms to highlight
 * @param options - window length and markers
 * @returns the snippet
 * @example
 * ```ts
 * makeSnippet('Vitamin D deficiency in adults.', createAnalyzer(), new Set(['vitamin']), {});
 * // '<mark>Vitamin</mark> D deficiency in adults.'
 * ```
 */
export function makeSnippet(
  text: string,
  analyzer: Analyzer,
  terms: ReadonlySet<string>,
  options: SnippetOptions,
): string {
  const maxLength = Math.max(1, options.maxLength ?? 160);
  const [open, close] = options.highlight ?? ['<mark>', '</mark>'];
  const ellipsis = options.ellipsis ?? '…';
  const stream = analyzer.analyze(text);
  const matches: number[] = [];
  for (let i = 0; i < stream.terms.length; i++) if (terms.has(stream.terms[i]!)) matches.push(i);

  // the window start (a match) with the most distinct matched terms, then the most matches
  let bestStart = 0;
  let bestDistinct = 0;
  let bestCount = 0;
  for (let m = 0; m < matches.length; m++) {
    const start = stream.starts[matches[m]!]!;
    const distinct = new Set<string>();
    let count = 0;
    for (let n = m; n < matches.length && stream.ends[matches[n]!]! - start <= maxLength; n++) {
      distinct.add(stream.terms[matches[n]!]!);
      count++;
    }
    if (distinct.size > bestDistinct || (distinct.size === bestDistinct && count > bestCount)) {
      bestDistinct = distinct.size;
      bestCount = count;
      bestStart = start;
    }
  }
  let from = 0;
  if (matches.length > 0 && text.length > maxLength) {
    // center the matches a little: start up to a fifth of the window earlier, at a word start
    from = Math.max(0, bestStart - Math.floor(maxLength / 5));
    while (from > 0 && from < bestStart && /\S/.test(text[from - 1]!)) from++;
    from = Math.min(from, Math.max(0, text.length - maxLength));
  }
  let to = Math.min(text.length, from + maxLength);
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    if (space > from + maxLength / 2) to = space;
  }
  // overlapping matches (CJK bigrams) merge into one highlighted span
  const spans: [number, number][] = [];
  for (const i of matches) {
    const start = stream.starts[i]!;
    const end = stream.ends[i]!;
    if (start < from || end > to) continue;
    const last = spans[spans.length - 1];
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else spans.push([start, end]);
  }
  let out = from > 0 ? ellipsis : '';
  let at = from;
  for (const [start, end] of spans) {
    out += text.slice(at, start) + open + text.slice(start, end) + close;
    at = end;
  }
  out += text.slice(at, to);
  if (to < text.length) out += ellipsis;
  return out;
}
