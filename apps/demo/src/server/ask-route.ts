/**
 * `POST /api/ask`: validates the body, waits for a generation slot (or answers 503),
 * then streams the pipeline's events as server-sent events: `passages`, many `token`,
 * `done` (each event's data is the `AskEvent` as JSON). A client that disconnects, in
 * the queue or mid-stream, aborts the `AskOptions.signal` so its generation stops.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AskEvent, AskOptions, DemoPipeline } from '../pipeline/types.js';
import type { AskQueue } from './ask-queue.js';
import { HttpError } from './http-error.js';
import { checkQuery, parseJsonBody, readBodyText } from './request-input.js';
import { askBodySchema, parseOrThrow } from './schemas.js';

/** What the ask handler needs from the app. */
export interface AskRouteSettings {
  pipeline: DemoPipeline;
  queue: AskQueue;
  maxQueryBytes: number;
  retryAfterSeconds: number;
  /** Turns an error raised mid-stream into the `error` event's JSON body (and logs it). */
  describeError: (error: unknown) => { error: { name: string; message: string } };
}

/**
 * Builds the `POST /api/ask` handler.
 *
 * @param settings - The pipeline, the shared queue and the limits.
 * @returns A Hono handler.
 */
export function askHandler(settings: AskRouteSettings) {
  const { pipeline, queue, maxQueryBytes, retryAfterSeconds } = settings;
  // JSON may spell one byte of the query as a six-byte \u escape; the rest is the other fields.
  const maxBodyBytes = maxQueryBytes * 6 + 4096;

  return async (c: Context): Promise<Response> => {
    const text = await readBodyText(c.req.raw, maxBodyBytes);
    const { q, ...options } = parseOrThrow(askBodySchema, parseJsonBody(text), 'request body');
    const query = checkQuery(q, maxQueryBytes);

    const controller = new AbortController();
    const requestSignal = c.req.raw.signal;
    const onRequestAbort = () => controller.abort(new Error('client disconnected'));
    requestSignal.addEventListener('abort', onRequestAbort, { once: true });
    const detach = () => requestSignal.removeEventListener('abort', onRequestAbort);

    const acquired = await queue.acquire(controller.signal);
    if ('rejected' in acquired) {
      detach();
      throw new HttpError(
        503,
        'Overloaded',
        `${queue.running} generations are running and ${queue.queued} are waiting; retry in ${retryAfterSeconds} s`,
        { 'Retry-After': String(retryAfterSeconds) },
      );
    }
    if ('aborted' in acquired) {
      detach();
      throw new HttpError(503, 'ClientClosedRequest', 'the client left while its ask was queued');
    }

    const askOptions: AskOptions = { ...options, signal: controller.signal };
    let iterator: AsyncIterator<AskEvent>;
    let first: IteratorResult<AskEvent>;
    try {
      // The first event is awaited before the stream starts, so a QueryError is still a 400.
      iterator = pipeline.ask(query, askOptions)[Symbol.asyncIterator]();
      first = await iterator.next();
    } catch (error) {
      acquired.release();
      detach();
      throw error;
    }

    return streamSSE(c, async (stream) => {
      stream.onAbort(() => controller.abort(new Error('client disconnected')));
      try {
        for (let next = first; next.done !== true; next = await iterator.next()) {
          await stream.writeSSE({ event: next.value.type, data: JSON.stringify(next.value) });
        }
      } catch (error) {
        await stream.writeSSE({
          event: 'error',
          data: JSON.stringify(settings.describeError(error)),
        });
      } finally {
        acquired.release();
        detach();
      }
    });
  };
}
