/**
 * Checks a query and the options of `search` / `ask`, so that every interface
 * answers bad input with the same `QueryError` message.
 */
import { QueryError } from '../errors.js';
import { type FusionMethod, SEARCH_MODES, type SearchMode } from './types.js';

/**
 * The ranges of the numeric options, as [smallest, largest]: the pipeline checks them and
 * the HTTP schemas and the CLI read them from here, so every interface refuses the same values.
 */
export const LIMITS = {
  k: [1, 100],
  askK: [1, 20],
  maxTokens: [1, 1024],
  temperature: [0, 2],
  seed: [0, 2 ** 31 - 1],
} as const satisfies Record<string, readonly [number, number]>;

/** The longest query the pipeline accepts, in characters. */
export const MAX_QUERY_CHARS = 4096;

/**
 * A checked query.
 * @param query - what the user typed
 * @returns the query, trimmed
 * @throws QueryError when it is not a string, empty, too long or holds control characters
 */
export function checkQuery(query: unknown): string {
  if (typeof query !== 'string')
    throw new QueryError(`the query must be a string, got ${typeof query}`);
  const trimmed = query.trim();
  if (trimmed === '') throw new QueryError('the query is empty');
  if (trimmed.length > MAX_QUERY_CHARS)
    throw new QueryError(
      `the query has ${trimmed.length} characters, at most ${MAX_QUERY_CHARS} are accepted`,
    );
  if (trimmed.includes('\uFFFD'))
    throw new QueryError(
      'the query holds bytes that are not UTF-8 (U+FFFD replacement characters)',
    );
  return trimmed;
}

/**
 * A checked integer option.
 * @param name - the option's name, for the message
 * @param value - the value given (undefined: the default)
 * @param min - smallest allowed
 * @param max - largest allowed
 * @param fallback - the default
 * @returns the value
 * @throws QueryError when it is not an integer in [min, max]
 */
export function checkInteger(
  name: string,
  value: unknown,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new QueryError(
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  return value;
}

/**
 * A checked mode.
 * @param mode - the value given
 * @returns the mode, or undefined for all lists
 * @throws QueryError for an unknown mode
 */
export function checkMode(mode: unknown): SearchMode | undefined {
  if (mode === undefined) return undefined;
  if (!SEARCH_MODES.includes(mode as SearchMode))
    throw new QueryError(
      `unknown mode ${JSON.stringify(mode)}: use one of ${SEARCH_MODES.join(', ')}`,
    );
  return mode as SearchMode;
}

/**
 * A checked fusion method.
 * @param fusion - the value given
 * @returns the method (default `rrf`)
 * @throws QueryError for an unknown method
 */
export function checkFusion(fusion: unknown): FusionMethod {
  if (fusion === undefined) return 'rrf';
  if (fusion !== 'rrf' && fusion !== 'weighted')
    throw new QueryError(`unknown fusion ${JSON.stringify(fusion)}: use rrf or weighted`);
  return fusion;
}
