/**
 * Checks a query object at the API boundary (`search`, `explain`,
 * `snippet`, the `Q` builder), so a malformed tree gets a named error that
 * says which node and which field is wrong, not a `TypeError` from deep in
 * the weight code. Query strings are checked by the parser instead.
 */

import { InvalidArgumentError } from '../errors.js';
import type { Query } from './query.js';

/**
 * The deepest nesting of boolean queries accepted, built or parsed: the
 * parser's limit on nested parentheses, and the recursion depth of binding
 * a query to the index.
 */
export const MAX_QUERY_DEPTH = 200;

const TYPES = ['term', 'phrase', 'prefix', 'fuzzy', 'boolean'] as const;
const OCCURS = ['must', 'should', 'mustNot'];

/**
 * Checks a fuzzy distance: 1 or 2, as `term~1` / `term~2` in the query language.
 * @param op - the calling function
 * @param argument - the argument's name in the message
 * @param distance - the value
 * @throws InvalidArgumentError for anything else
 * @example
 * ```ts
 * checkFuzzyDistance('Q.fuzzy', 'distance', 5); // throws: distance must be 1 or 2 ...
 * ```
 */
export function checkFuzzyDistance(op: string, argument: string, distance: unknown): void {
  if (distance !== 1 && distance !== 2) {
    throw new InvalidArgumentError(
      op,
      argument,
      distance,
      '1 or 2 (the edits `term~1` and `term~2` allow in the query language)',
    );
  }
}

function checkString(op: string, path: string, value: unknown): void {
  if (typeof value !== 'string') throw new InvalidArgumentError(op, path, value, 'a string');
}

function checkOptionalField(op: string, path: string, node: Record<string, unknown>): void {
  if (node.field !== undefined) checkString(op, `${path}.field`, node.field);
  const boost = node.boost;
  if (boost !== undefined && !(typeof boost === 'number' && Number.isFinite(boost) && boost >= 0))
    throw new InvalidArgumentError(op, `${path}.boost`, boost, 'a finite number >= 0');
}

/**
 * Checks that a value is a well-formed {@link Query} tree.
 * @param op - the calling function, named in the error
 * @param query - the value
 * @param path - where the value sits, for the message
 * @param depth - boolean nesting so far
 * @throws InvalidArgumentError naming the first bad node and field
 * @example
 * ```ts
 * validateQuery('search', { type: 'bogus' });
 * // throws: search: query.type must be one of term, phrase, prefix, fuzzy, boolean, got "bogus" (string)
 * ```
 */
export function validateQuery(op: string, query: unknown, path = 'query', depth = 0): void {
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    throw new InvalidArgumentError(
      op,
      path,
      query,
      path === 'query'
        ? 'a query string or a Query object (from Q or parseQuery)'
        : 'a Query object',
    );
  }
  const node = query as Record<string, unknown>;
  const type = node.type;
  if (!TYPES.includes(type as (typeof TYPES)[number]))
    throw new InvalidArgumentError(op, `${path}.type`, type, `one of ${TYPES.join(', ')}`);
  checkOptionalField(op, path, node);
  const q = query as Query;
  switch (q.type) {
    case 'term':
      checkString(op, `${path}.text`, q.text);
      return;
    case 'phrase':
      checkString(op, `${path}.text`, q.text);
      if (q.slop !== undefined && !(Number.isSafeInteger(q.slop) && q.slop >= 0))
        throw new InvalidArgumentError(op, `${path}.slop`, q.slop, 'a whole number >= 0');
      return;
    case 'prefix':
      checkString(op, `${path}.prefix`, q.prefix);
      return;
    case 'fuzzy':
      checkString(op, `${path}.text`, q.text);
      checkFuzzyDistance(op, `${path}.distance`, q.distance);
      return;
    case 'boolean': {
      if (depth >= MAX_QUERY_DEPTH)
        throw new InvalidArgumentError(
          op,
          path,
          `${depth} nested boolean queries`,
          `nested at most ${MAX_QUERY_DEPTH} deep`,
        );
      if (!Array.isArray(q.clauses))
        throw new InvalidArgumentError(op, `${path}.clauses`, q.clauses, 'an array of clauses');
      const minimum = q.minimumShouldMatch;
      if (minimum !== undefined && !(Number.isSafeInteger(minimum) && minimum >= 0))
        throw new InvalidArgumentError(
          op,
          `${path}.minimumShouldMatch`,
          minimum,
          'a whole number >= 0',
        );
      q.clauses.forEach((clause, i) => {
        const at = `${path}.clauses[${i}]`;
        if (typeof clause !== 'object' || clause === null)
          throw new InvalidArgumentError(op, at, clause, '{ occur, query }');
        if (!OCCURS.includes(clause.occur))
          throw new InvalidArgumentError(
            op,
            `${at}.occur`,
            clause.occur,
            'must, should or mustNot',
          );
        validateQuery(op, clause.query, `${at}.query`, depth + 1);
      });
      return;
    }
  }
}
