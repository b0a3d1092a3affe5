/**
 * The query model: a small tree that the parser produces and that users can
 * also build directly with the {@link Q} builder. Texts in term and phrase
 * nodes are raw: they are analyzed with each field's analyzer when the
 * query is bound to the index.
 */

import { InvalidArgumentError } from '../errors.js';
import { checkFuzzyDistance } from './validate-query.js';

/** How a clause takes part in a boolean query. */
export type Occur = 'must' | 'should' | 'mustNot';

/** Fields shared by every query node. */
interface QueryBase {
  /** Multiplies the node's score. @default 1 */
  boost?: number;
}

/** Words to match; several words after analysis become alternatives (OR). */
export interface TermQuery extends QueryBase {
  type: 'term';
  /** The raw text, analyzed like the field. */
  text: string;
  /** Restricts to one field; all searched fields when absent. */
  field?: string;
}

/** Words in order, within `slop` moves of each other. */
export interface PhraseQuery extends QueryBase {
  type: 'phrase';
  text: string;
  field?: string;
  /** Extra position moves allowed (Lucene's phrase slop). @default 0 */
  slop?: number;
}

/** Every term that starts with a prefix (normalized, not stemmed). */
export interface PrefixQuery extends QueryBase {
  type: 'prefix';
  prefix: string;
  field?: string;
}

/** Terms within an edit distance (Damerau-Levenshtein) of `text`. */
export interface FuzzyQuery extends QueryBase {
  type: 'fuzzy';
  text: string;
  /** Maximum edits, 1 or 2. @default 2 */
  distance: number;
  field?: string;
}

/** A boolean combination of clauses. */
export interface BooleanQuery extends QueryBase {
  type: 'boolean';
  clauses: BooleanClause[];
  /** At least this many `should` clauses must match. @default 0 (1 when there is no `must`) */
  minimumShouldMatch?: number;
}

/** One clause of a {@link BooleanQuery}. */
export interface BooleanClause {
  occur: Occur;
  query: Query;
}

/** Any query. */
export type Query = TermQuery | PhraseQuery | PrefixQuery | FuzzyQuery | BooleanQuery;

/**
 * A builder for queries, the programmatic twin of the query language.
 *
 * @example
 * ```ts
 * const query = Q.and(Q.term('vitamin', { field: 'title' }), Q.not(Q.phrase('side effects')));
 * // { type: 'boolean', clauses: [{ occur: 'must', query: ... }, { occur: 'mustNot', query: ... }] }
 * index.search(query);
 * ```
 */
export const Q = {
  /**
   * @param text - words to match
   * @param options - field and boost
   * @returns a term query
   */
  term: (text: string, options: { field?: string; boost?: number } = {}): TermQuery => ({
    type: 'term',
    text: textArgument('Q.term', 'text', text),
    ...options,
  }),
  /**
   * @param text - the words in order
   * @param options - field, slop and boost
   * @returns a phrase query
   */
  phrase: (
    text: string,
    options: { field?: string; slop?: number; boost?: number } = {},
  ): PhraseQuery => ({ type: 'phrase', text: textArgument('Q.phrase', 'text', text), ...options }),
  /**
   * @param prefix - the term prefix
   * @param options - field and boost
   * @returns a prefix query
   */
  prefix: (prefix: string, options: { field?: string; boost?: number } = {}): PrefixQuery => ({
    type: 'prefix',
    prefix: textArgument('Q.prefix', 'prefix', prefix),
    ...options,
  }),
  /**
   * @param text - the term
   * @param distance - maximum edits, 1 or 2 (as `term~1`, `term~2`)
   * @param options - field and boost
   * @returns a fuzzy query
   * @throws InvalidArgumentError when `text` is not a string or `distance` is not 1 or 2
   * @example
   * ```ts
   * Q.fuzzy('robbot', 1); // { type: 'fuzzy', text: 'robbot', distance: 1 }
   * Q.fuzzy('robbot', 5); // throws InvalidArgumentError: Q.fuzzy: distance must be 1 or 2 ...
   * ```
   */
  fuzzy: (
    text: string,
    distance = 2,
    options: { field?: string; boost?: number } = {},
  ): FuzzyQuery => {
    checkFuzzyDistance('Q.fuzzy', 'distance', distance);
    return { type: 'fuzzy', text: textArgument('Q.fuzzy', 'text', text), distance, ...options };
  },
  /**
   * @param queries - all must match
   * @returns a boolean query of `must` clauses
   */
  and: (...queries: Query[]): BooleanQuery => ({
    type: 'boolean',
    clauses: queries.map((query) => ({ occur: 'must', query })),
  }),
  /**
   * @param queries - at least one must match
   * @returns a boolean query of `should` clauses
   */
  or: (...queries: Query[]): BooleanQuery => ({
    type: 'boolean',
    clauses: queries.map((query) => ({ occur: 'should', query })),
  }),
  /**
   * A `mustNot` clause, to put inside `and` / `bool` (alone it matches nothing, as in Lucene).
   * @param query - what must not match
   * @returns a boolean query with one `mustNot` clause
   */
  not: (query: Query): BooleanQuery => ({
    type: 'boolean',
    clauses: [{ occur: 'mustNot', query }],
  }),
  /**
   * @param clauses - clauses with their occur
   * @param options - minimumShouldMatch and boost
   * @returns a boolean query
   */
  bool: (
    clauses: BooleanClause[],
    options: { minimumShouldMatch?: number; boost?: number } = {},
  ): BooleanQuery => ({ type: 'boolean', clauses, ...options }),
} as const;

function textArgument(op: string, argument: string, value: unknown): string {
  if (typeof value !== 'string') throw new InvalidArgumentError(op, argument, value, 'a string');
  return value;
}
