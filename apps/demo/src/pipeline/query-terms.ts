/**
 * Query and passage terms as the BM25 index analyses them (Snowball stopwords,
 * Porter stems), for the ranker's match features and the prompt's best line.
 */
import { type Analyzer, createAnalyzer } from '@x/inverted-index';

/** The analyzer of the BM25 index (its defaults), shared by every match feature. */
export const analyzer: Analyzer = createAnalyzer();
const OPERATORS = new Set(['AND', 'OR', 'NOT']);

/**
 * The distinct analysed terms of a query, without its syntax (operators, field
 * prefixes, quotes, boosts, wildcards).
 * @param query - the query string
 * @returns the terms, in order of first occurrence
 * @example
 * queryTerms('title:romeo AND "sweet love"^2'); // ['romeo', 'sweet', 'love']
 */
export function queryTerms(query: string): string[] {
  const words = query
    .replace(/\b\w+:/g, ' ')
    .replace(/[~^]\d*(\.\d+)?/g, ' ')
    .split(/\s+/)
    .filter((w) => !OPERATORS.has(w))
    .join(' ');
  return [...new Set(analyzer.analyze(words).terms)];
}

/**
 * The analysed terms of a text.
 * @param text - any text
 * @returns its terms (with repeats, in order)
 */
export function textTerms(text: string): string[] {
  return analyzer.analyze(text).terms;
}
