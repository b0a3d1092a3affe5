/**
 * The demo's HTTP API and web page as one Hono app:
 *
 * - `GET /api/search?q=&k=&mode=&fusion=` the pipeline's result lists as JSON
 * - `POST /api/ask` a grounded generation as server-sent events (see `ask-route.ts`)
 * - `GET /api/stats` what is loaded, plus the server's counters
 * - `GET /healthz` liveness
 * - `GET /`, `/app.js`, `/app.css` the page, bundled from `web/` once per process
 *
 * Every error is JSON `{ error: { name, message } }`: QueryError and bad input 400,
 * too large 413, unknown route 404, full ask queue 503, anything else 500 (logged).
 */
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DemoError, QueryError } from '../errors.js';
import type { DemoPipeline } from '../pipeline/types.js';
import { AskQueue } from './ask-queue.js';
import { askHandler } from './ask-route.js';
import { type ErrorBody, errorResponseBody, HttpError } from './http-error.js';
import { checkQuery, parseQueryString } from './request-input.js';
import { parseOrThrow, searchParamsSchema } from './schemas.js';
import { webAssets } from './web-assets.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** Generations that run at once. @default 2 */
  maxConcurrentAsks?: number;
  /** Asks that wait for a slot; one more is answered 503. @default 8 */
  maxQueuedAsks?: number;
  /** Largest query in UTF-8 bytes; a longer one is answered 413. @default 4096 */
  maxQueryBytes?: number;
  /** The `Retry-After` of a 503, in seconds. @default 2 */
  retryAfterSeconds?: number;
  /** Where unexpected errors (the 500s) are reported. @default console.error */
  logError?: (error: unknown) => void;
}

/** The server's counters, as `GET /api/stats` shows them under `server`. */
export interface ServerCounters {
  /** Requests received, every route and status. */
  requests: number;
  /** Requests answered 500. */
  errors: number;
  asksRunning: number;
  asksQueued: number;
  /** Asks answered 503 because the queue was full. */
  asksRejected: number;
  maxConcurrentAsks: number;
  maxQueuedAsks: number;
}

const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

function checkCount(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`createApp: ${name} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

/**
 * Builds the HTTP app around a pipeline.
 *
 * @param pipeline - What answers searches and asks (the real one or a fake).
 * @param options - Limits of the ask queue and of queries.
 * @returns A Hono app: serve it with `startServer` or call `app.request()` in tests.
 * @throws {RangeError} When an option is not a count.
 * @example
 * ```ts
 * const app = createApp(pipeline, { maxConcurrentAsks: 1 });
 * const response = await app.request('/api/search?q=whale&k=3');
 * console.log(response.status); // 200
 * ```
 */
export function createApp(pipeline: DemoPipeline, options: AppOptions = {}): Hono {
  const maxConcurrentAsks = checkCount('maxConcurrentAsks', options.maxConcurrentAsks ?? 2, 1);
  const maxQueuedAsks = checkCount('maxQueuedAsks', options.maxQueuedAsks ?? 8, 0);
  const maxQueryBytes = checkCount('maxQueryBytes', options.maxQueryBytes ?? 4096, 1);
  const retryAfterSeconds = checkCount('retryAfterSeconds', options.retryAfterSeconds ?? 2, 0);
  const logError = options.logError ?? ((error: unknown) => console.error('x-demo server:', error));
  const queue = new AskQueue(maxConcurrentAsks, maxQueuedAsks);
  const counters = { requests: 0, errors: 0 };

  /** The JSON body and status for any error; logs and counts the unexpected ones. */
  const describe = (
    error: unknown,
  ): { status: number; body: ErrorBody; headers: Record<string, string> } => {
    if (error instanceof HttpError) {
      return {
        status: error.status,
        body: errorResponseBody(error.errorName, error.message),
        headers: error.headers,
      };
    }
    if (error instanceof QueryError) {
      return { status: 400, body: errorResponseBody(error.name, error.message), headers: {} };
    }
    if (error instanceof HTTPException) {
      return {
        status: error.status,
        body: errorResponseBody('HttpError', error.message),
        headers: {},
      };
    }
    counters.errors++;
    logError(error);
    if (error instanceof DemoError) {
      return { status: 500, body: errorResponseBody(error.name, error.message), headers: {} };
    }
    return {
      status: 500,
      body: errorResponseBody(
        'InternalError',
        'internal server error; the details are in the server log',
      ),
      headers: {},
    };
  };

  const app = new Hono();
  app.use(async (_c, next) => {
    counters.requests++;
    await next();
  });

  app.get('/healthz', (c) => c.json({ ok: true }));

  app.get('/api/search', async (c) => {
    const params = parseQueryString(c.req.url);
    const query = checkQuery(params.get('q'), maxQueryBytes);
    const searchOptions = parseOrThrow(
      searchParamsSchema,
      { k: params.get('k'), mode: params.get('mode'), fusion: params.get('fusion') },
      'query string',
    );
    return c.json(await pipeline.search(query, searchOptions));
  });

  app.post(
    '/api/ask',
    askHandler({
      pipeline,
      queue,
      maxQueryBytes,
      retryAfterSeconds,
      describeError: (error) => describe(error).body,
    }),
  );

  app.get('/api/stats', (c) => {
    const server: ServerCounters = {
      requests: counters.requests,
      errors: counters.errors,
      asksRunning: queue.running,
      asksQueued: queue.queued,
      asksRejected: queue.rejected,
      maxConcurrentAsks,
      maxQueuedAsks,
    };
    return c.json({ ...pipeline.stats(), server });
  });

  app.get('/', async (c) => c.html((await webAssets()).html, 200, PAGE_HEADERS));
  app.get('/app.js', async (c) =>
    c.body((await webAssets()).script, 200, {
      ...PAGE_HEADERS,
      'Content-Type': 'text/javascript; charset=utf-8',
    }),
  );
  app.get('/app.css', async (c) =>
    c.body((await webAssets()).style, 200, {
      ...PAGE_HEADERS,
      'Content-Type': 'text/css; charset=utf-8',
    }),
  );

  for (const path of ['/api/search', '/api/ask', '/api/stats', '/healthz']) {
    app.all(path, (c) => {
      throw new HttpError(405, 'MethodNotAllowed', `${c.req.method} is not allowed on ${path}`);
    });
  }

  app.notFound((c) => {
    const path = c.req.path.length > 100 ? `${c.req.path.slice(0, 97)}...` : c.req.path;
    return c.json(errorResponseBody('NotFound', `no route for ${c.req.method} ${path}`), 404);
  });
  app.onError((error, c: Context) => {
    const { status, body, headers } = describe(error);
    return c.json(body, status as 400, headers);
  });
  return app;
}
