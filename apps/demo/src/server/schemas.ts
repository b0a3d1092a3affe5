/**
 * The valibot schemas of the two request shapes (`GET /api/search` query parameters,
 * `POST /api/ask` JSON body) and {@link parseOrThrow}, which turns the first issue into
 * one `QueryError` line that names the field and the value it got.
 */
import * as v from 'valibot';
import { QueryError } from '../errors.js';
import { SEARCH_MODES } from '../pipeline/types.js';
import { LIMITS } from '../pipeline/validate.js';

const FUSIONS = ['rrf', 'weighted'] as const;

const show = (input: unknown): string => {
  const text = typeof input === 'string' ? JSON.stringify(input) : String(input);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const rangeMessage = (min: number, max: number) => (issue: v.BaseIssue<unknown>) =>
  `expected an integer from ${min} to ${max}, got ${show(issue.input)}`;

/** A JSON integer in `min..max`. */
const integerIn = (min: number, max: number) =>
  v.pipe(
    v.number(rangeMessage(min, max)),
    v.integer(rangeMessage(min, max)),
    v.minValue(min, rangeMessage(min, max)),
    v.maxValue(max, rangeMessage(min, max)),
  );

/** A query-string integer in `min..max`: decimal digits only (`1e9`, `0x10`, `5.0` are refused). */
const integerStringIn = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^-?\d{1,10}$/, rangeMessage(min, max)),
    v.transform(Number),
    integerIn(min, max),
  );

const mode = v.picklist(
  SEARCH_MODES,
  (issue) => `unknown mode ${show(issue.input)}; expected one of ${SEARCH_MODES.join(', ')}`,
);
const fusion = v.picklist(
  FUSIONS,
  (issue) => `unknown fusion ${show(issue.input)}; expected one of ${FUSIONS.join(', ')}`,
);

/** `GET /api/search` parameters other than `q` (checked on its own for the 413). */
export const searchParamsSchema = v.object({
  k: v.optional(integerStringIn(...LIMITS.k)),
  mode: v.optional(mode),
  fusion: v.optional(fusion),
});

const temperatureRange = `a number from ${LIMITS.temperature[0]} to ${LIMITS.temperature[1]}`;

/** The `POST /api/ask` body; unknown fields are refused so a typo is not silently ignored. */
export const askBodySchema = v.strictObject(
  {
    q: v.string((issue) => `expected a string, got ${show(issue.input)}`),
    k: v.optional(integerIn(...LIMITS.askK)),
    mode: v.optional(mode),
    fusion: v.optional(fusion),
    maxTokens: v.optional(integerIn(...LIMITS.maxTokens)),
    temperature: v.optional(
      v.pipe(
        v.number((issue) => `expected ${temperatureRange}, got ${show(issue.input)}`),
        v.minValue(
          LIMITS.temperature[0],
          (issue) => `expected ${temperatureRange}, got ${show(issue.input)}`,
        ),
        v.maxValue(
          LIMITS.temperature[1],
          (issue) => `expected ${temperatureRange}, got ${show(issue.input)}`,
        ),
      ),
    ),
    seed: v.optional(integerIn(...LIMITS.seed)),
    plain: v.optional(v.boolean((issue) => `expected true or false, got ${show(issue.input)}`)),
  },
  (issue) =>
    issue.expected === 'never'
      ? `unknown field ${show(issue.input)}`
      : `expected a JSON object, got ${show(issue.input)}`,
);

/**
 * Validates `input` against `schema`.
 *
 * @param schema - One of this file's schemas.
 * @param input - The decoded parameters or JSON body.
 * @param what - Names the input in the message when the issue has no field (`request body`).
 * @returns The typed output.
 * @throws {QueryError} With `field: problem, got value` for the first issue.
 */
export function parseOrThrow<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  what: string,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, input, { abortEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  if (issue.type === 'strict_object') throw new QueryError(`${what}: ${issue.message}`);
  throw new QueryError(`${path ?? what}: ${issue.message}`);
}
