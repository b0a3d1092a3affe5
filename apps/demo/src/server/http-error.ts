/**
 * The HTTP layer's own failures (a body too large, an unknown route, a full queue),
 * each carrying its status code. Pipeline errors (`QueryError`, ...) stay in
 * `../errors.ts`; {@link errorResponseBody} turns both into the one JSON shape.
 */
import { DemoError } from '../errors.js';

/** An error the server answers with a fixed status and a JSON body. */
export class HttpError extends DemoError {
  override name = 'HttpError';
  constructor(
    /** The response's status code. */
    readonly status: 400 | 404 | 405 | 413 | 503,
    /** The `error.name` of the JSON body, e.g. `PayloadTooLarge`. */
    readonly errorName: string,
    message: string,
    /** Extra response headers (`Retry-After` on 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { name: string; message: string };
}

/**
 * The JSON body for an error response.
 *
 * @param name - `error.name`: the error class or the HTTP condition.
 * @param message - One line for a person.
 * @returns `{ error: { name, message } }`
 */
export function errorResponseBody(name: string, message: string): ErrorBody {
  return { error: { name, message } };
}
