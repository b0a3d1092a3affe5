/**
 * Reading a request's raw input strictly: the query string with percent-decoding that
 * refuses bytes that are not UTF-8 (`%FF`; `URLSearchParams` would turn them into U+FFFD
 * silently), and the body with a byte limit and a fatal UTF-8 decoder.
 */
import { QueryError } from '../errors.js';
import { HttpError } from './http-error.js';

/**
 * The query string's parameters, first value of each name.
 *
 * @param url - The request URL (absolute or path plus query).
 * @returns name => decoded value (`+` is a space).
 * @throws {QueryError} When a name or value is not valid percent-encoded UTF-8.
 */
export function parseQueryString(url: string): Map<string, string> {
  const params = new Map<string, string>();
  const start = url.indexOf('?');
  if (start < 0) return params;
  const end = url.indexOf('#', start);
  const query = url.slice(start + 1, end < 0 ? undefined : end);
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decodeStrict(equals < 0 ? pair : pair.slice(0, equals));
    const value = equals < 0 ? '' : decodeStrict(pair.slice(equals + 1));
    if (!params.has(name)) params.set(name, value);
  }
  return params;
}

function decodeStrict(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    const shown = raw.length > 40 ? `${raw.slice(0, 37)}...` : raw;
    throw new QueryError(
      `query string: "${shown}" is not valid percent-encoded UTF-8 (encode the text as UTF-8, e.g. with encodeURIComponent)`,
    );
  }
}

/**
 * The request body as text, read up to `maxBytes`.
 *
 * @param request - The incoming request.
 * @param maxBytes - Largest body accepted.
 * @returns The body decoded as UTF-8 ('' when there is none).
 * @throws {HttpError} 413 past `maxBytes` (by `Content-Length` or by counting), 400 when
 *   the bytes are not UTF-8.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new HttpError(413, 'PayloadTooLarge', `request body is larger than ${maxBytes} bytes`);
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge();
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'InvalidBody', 'request body is not valid UTF-8');
  }
}

/**
 * Parses a JSON body.
 *
 * @param text - The body text.
 * @returns The parsed value.
 * @throws {HttpError} 400 `InvalidJson` with the parser's reason.
 */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, 'InvalidJson', `request body is not valid JSON: ${reason}`);
  }
}

/**
 * Checks a query's size and content before it reaches the pipeline.
 *
 * @param query - The decoded query.
 * @param maxBytes - Largest UTF-8 size accepted.
 * @returns The query unchanged.
 * @throws {HttpError} 413 when longer than `maxBytes` in UTF-8.
 * @throws {QueryError} When empty or only whitespace.
 */
export function checkQuery(query: string | undefined, maxBytes: number): string {
  if (query === undefined) throw new QueryError('q: missing; give the query to search for');
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes > maxBytes) {
    throw new HttpError(
      413,
      'QueryTooLarge',
      `q: ${bytes} bytes, more than the ${maxBytes} allowed`,
    );
  }
  if (query.trim() === '') throw new QueryError('q: empty; type some words to search for');
  return query;
}
