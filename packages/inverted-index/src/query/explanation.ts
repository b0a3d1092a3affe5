/**
 * How a score was made: a tree like Lucene's `Explanation`, each node a
 * value, what it is, and the values it came from.
 */

/**
 * One step of a score computation.
 *
 * @example
 * ```ts
 * index.explain('doc-1', 'vitamin');
 * // { value: 1.92, description: 'sum of:', details: [{ value: 1.92,
 * //   description: 'weight(vitamin in [title, text]) BM25F, ...', details: [...] }] }
 * ```
 */
export interface Explanation {
  /** The value of this step. */
  value: number;
  /** What the value is. */
  description: string;
  /** The values it came from. */
  details: Explanation[];
}

/**
 * @param value - the value
 * @param description - what it is
 * @param details - where it came from
 * @returns an explanation node
 * @example
 * ```ts
 * explanation(2, 'boost'); // { value: 2, description: 'boost', details: [] }
 * ```
 */
export function explanation(
  value: number,
  description: string,
  details: Explanation[] = [],
): Explanation {
  return { value, description, details };
}
