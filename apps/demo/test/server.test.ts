/**
 * The HTTP API through `app.request()` (no socket): every status code, the ask queue,
 * cancellation, and after each bad request a good one still succeeds. The fake pipeline
 * is the reference: a search response must equal what the fake answers directly.
 */
import { describe, expect, it } from 'vitest';
import { type AppOptions, createApp } from '../src/server/app.js';
import { readServerSentEvents } from '../web/sse.js';
import {
  errorOf,
  FAKE_ANSWER_WORDS,
  FakePipeline,
  readAskEvents,
  waitFor,
} from './fake-pipeline.js';

function setup(options: AppOptions = {}, tokenDelayMs = 1) {
  const pipeline = new FakePipeline({ tokenDelayMs });
  const logged: unknown[] = [];
  const app = createApp(pipeline, { logError: (error) => logged.push(error), ...options });
  const ask = async (body: unknown, init: RequestInit = {}): Promise<Response> =>
    app.request('/api/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body:
        typeof body === 'string'
          ? body
          : body instanceof Uint8Array
            ? new Blob([body as Uint8Array<ArrayBuffer>])
            : JSON.stringify(body),
      ...init,
    });
  /** A good search, run after every bad request: the server keeps serving. */
  const expectStillServing = async () => {
    const response = await app.request('/api/search?q=whale&k=2');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { k: number }).k).toBe(2);
  };
  const stats = async () =>
    ((await (await app.request('/api/stats')).json()) as { server: Record<string, number> }).server;
  return { pipeline, app, ask, logged, expectStillServing, stats };
}

async function expectError(response: Response, status: number, name?: string): Promise<string> {
  const seen = await errorOf(response);
  expect(seen.status).toBe(status);
  expect(seen.contentType).toMatch(/^application\/json/);
  expect(seen.keys).toEqual(['error']);
  if (name !== undefined) expect(seen.name).toBe(name);
  return seen.message;
}

describe('GET /healthz and /api/stats', () => {
  it('answers ok and the pipeline stats with the server counters', async () => {
    const { app, pipeline } = setup();
    expect(await (await app.request('/healthz')).json()).toEqual({ ok: true });
    const body = (await (await app.request('/api/stats')).json()) as Record<string, unknown>;
    expect(body).toMatchObject(pipeline.stats() as unknown as Record<string, unknown>);
    expect(body.server).toEqual({
      requests: 2,
      errors: 0,
      asksRunning: 0,
      asksQueued: 0,
      asksRejected: 0,
      maxConcurrentAsks: 2,
      maxQueuedAsks: 8,
    });
  });
});

describe('GET /api/search', () => {
  it('answers the pipeline result as JSON: all four lists, or one mode', async () => {
    const { app } = setup();
    const reference = new FakePipeline();
    const all = (await (await app.request('/api/search?q=white+whale&k=3')).json()) as {
      lists: object;
    };
    const expected = await reference.search('white whale', { k: 3 });
    expect(Object.keys(all.lists)).toEqual(['bm25', 'vector', 'hybrid', 'ranked']);
    expect(all.lists).toEqual(expected.lists);
    const one = (await (
      await app.request('/api/search?q=sea&mode=vector&fusion=weighted&k=100')
    ).json()) as {
      lists: object;
    };
    expect(one.lists).toEqual((await reference.search('sea', { k: 100, mode: 'vector' })).lists);
  });

  it.each(['0', '-1', '1e9', '101', '2.5', 'abc', '', '0x10', '99999999999'])(
    'k=%j is a 400 naming k',
    async (k) => {
      const { app, expectStillServing } = setup();
      const message = await expectError(
        await app.request(`/api/search?q=whale&k=${k}`),
        400,
        'QueryError',
      );
      expect(message).toMatch(/^k: expected an integer from 1 to 100/);
      await expectStillServing();
    },
  );

  it('refuses an unknown mode or fusion, naming the value', async () => {
    const { app, expectStillServing } = setup();
    expect(
      await expectError(await app.request('/api/search?q=whale&mode=semantic'), 400),
    ).toContain('"semantic"');
    await expectStillServing();
    expect(await expectError(await app.request('/api/search?q=whale&fusion=max'), 400)).toContain(
      '"max"',
    );
    await expectStillServing();
  });

  it.each(['', '%20%20', '+', '%09%0A'])('refuses an empty or blank query (q=%j)', async (q) => {
    const { app, expectStillServing } = setup();
    expect(await expectError(await app.request(`/api/search?q=${q}`), 400, 'QueryError')).toMatch(
      /^q: empty/,
    );
    await expectStillServing();
    expect(await expectError(await app.request('/api/search?k=3'), 400)).toMatch(/^q: missing/);
  });

  it('answers 413 past maxQueryBytes, counting UTF-8 bytes (100 KB query included)', async () => {
    const { app, expectStillServing } = setup({ maxQueryBytes: 10 });
    expect((await app.request(`/api/search?q=${encodeURIComponent('ééééé')}`)).status).toBe(200); // 10 bytes
    await expectError(
      await app.request(`/api/search?q=${encodeURIComponent('éééééa')}`),
      413,
      'QueryTooLarge',
    );
    const big = setup();
    await expectError(await big.app.request(`/api/search?q=${'a'.repeat(100_000)}`), 413);
    await expectStillServing();
    await big.expectStillServing();
  });

  it.each(['q=%FF', 'q=whale%E2%82', 'q=whale&k=%FF', '%FF=1&q=whale', 'q=%ED%A0%80'])(
    'answers 400 for bytes that are not UTF-8 (%s)',
    async (query) => {
      const { app, expectStillServing } = setup();
      expect(
        await expectError(await app.request(`/api/search?${query}`), 400, 'QueryError'),
      ).toContain('not valid percent-encoded UTF-8');
      await expectStillServing();
    },
  );

  it('turns a QueryError of the pipeline into a 400', async () => {
    const { app, expectStillServing } = setup();
    const message = await expectError(
      await app.request('/api/search?q=%22white+whale'),
      400,
      'QueryError',
    );
    expect(message).toContain('unbalanced quote');
    await expectStillServing();
  });

  it('answers 500 for an unexpected error, logs it, and keeps serving', async () => {
    const { app, logged, expectStillServing, stats } = setup();
    const message = await expectError(
      await app.request('/api/search?q=explode'),
      500,
      'InternalError',
    );
    expect(message).not.toContain('exploded'); // internals stay in the log
    expect(logged).toHaveLength(1);
    expect(String(logged[0])).toContain('exploded on purpose');
    await expectStillServing();
    expect((await stats()).errors).toBe(1);
  });
});

describe('routes and methods', () => {
  it('answers 404 JSON for an unknown route and 405 for a wrong method', async () => {
    const { app, expectStillServing } = setup();
    expect(await expectError(await app.request('/nope'), 404, 'NotFound')).toBe(
      'no route for GET /nope',
    );
    await expectError(
      await app.request('/api/search?q=whale', { method: 'POST' }),
      405,
      'MethodNotAllowed',
    );
    await expectError(await app.request('/api/ask'), 405, 'MethodNotAllowed');
    await expectError(await app.request('/%FF/x'), 404, 'NotFound');
    await expectStillServing();
  });

  it('serves the page, its script and its style, bundled without network', async () => {
    const { app } = setup();
    const page = await app.request('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/app.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    const script = await app.request('/app.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await script.text()).length).toBeGreaterThan(500);
    expect(await (await app.request('/app.css')).text()).toContain('mark');
  });
});

describe('POST /api/ask', () => {
  it('streams passages, then tokens, then done', async () => {
    const { ask, pipeline } = setup();
    const response = await ask({
      q: 'whale',
      k: 2,
      maxTokens: 5,
      seed: 7,
      temperature: 0.5,
      plain: true,
    });
    const events = await readAskEvents(response);
    expect(events.map((event) => event.event)).toEqual([
      'passages',
      'token',
      'token',
      'token',
      'token',
      'token',
      'done',
    ]);
    for (const { event, data } of events) expect(data.type).toBe(event);
    const done = events.at(-1)!.data;
    const tokens = events
      .filter((event) => event.data.type === 'token')
      .map((event) => (event.data as { text: string }).text);
    expect(done).toMatchObject({
      type: 'done',
      text: tokens.join(''),
      aborted: false,
      stats: { tokens: 5, decoder: 'plain' },
    });
    expect(tokens.join('')).toBe(FAKE_ANSWER_WORDS.slice(0, 5).join(' '));
    expect(pipeline.asks[0]!.options).toEqual({
      k: 2,
      maxTokens: 5,
      seed: 7,
      temperature: 0.5,
      plain: true,
    });
  });

  it.each([
    ['not json', '{"q": "whale"', 'InvalidJson'],
    ['a JSON array', '[1]', 'QueryError'],
    ['null', 'null', 'QueryError'],
    ['an unknown field', '{"q":"whale","maxtokens":3}', 'QueryError'],
    ['q missing', '{"k":3}', 'QueryError'],
    ['q not a string', '{"q":5}', 'QueryError'],
    ['a blank q', '{"q":"  "}', 'QueryError'],
    ['maxTokens 0', '{"q":"whale","maxTokens":0}', 'QueryError'],
    ['maxTokens 1025', '{"q":"whale","maxTokens":1025}', 'QueryError'],
    ['k as a string', '{"q":"whale","k":"3"}', 'QueryError'],
    ['temperature -1', '{"q":"whale","temperature":-1}', 'QueryError'],
    ['an unbalanced quote (raised by the pipeline)', '{"q":"\\"whale"}', 'QueryError'],
    ['an empty body', '', 'InvalidJson'],
  ])('answers 400 for %s', async (_label, body, name) => {
    const { ask, expectStillServing } = setup();
    await expectError(await ask(body), 400, name);
    await expectStillServing();
  });

  it('names the field and the value in a validation message', async () => {
    const { ask } = setup();
    expect(await expectError(await ask({ q: 'whale', maxTokens: 2000 }), 400)).toBe(
      'maxTokens: expected an integer from 1 to 1024, got 2000',
    );
    expect(await expectError(await ask({ q: 'whale', maxtokens: 3 }), 400)).toBe(
      'request body: unknown field "maxtokens"',
    );
  });

  it('answers 400 for a body that is not UTF-8 and 413 for one too large', async () => {
    const { ask, expectStillServing } = setup();
    await expectError(await ask(new Uint8Array([0x7b, 0xff, 0x7d])), 400, 'InvalidBody');
    await expectError(await ask({ q: 'a'.repeat(100_000) }), 413, 'PayloadTooLarge');
    await expectError(await ask({ q: 'a'.repeat(5000) }), 413, 'QueryTooLarge');
    await expectStillServing();
  });

  it('runs maxConcurrentAsks at once, queues maxQueuedAsks in order, and answers 503 beyond', async () => {
    const { ask, stats, pipeline, expectStillServing } = setup(
      { maxConcurrentAsks: 1, maxQueuedAsks: 2, retryAfterSeconds: 3 },
      3,
    );
    const finished: string[] = [];
    const run = (q: string) =>
      ask({ q, maxTokens: 8 }).then(async (response) => {
        const events = await readAskEvents(response);
        finished.push(q);
        return events;
      });
    pipeline.pause(); // nothing finishes until every request is placed
    const first = run('whale one');
    await waitFor(async () => (await stats()).asksRunning === 1);
    const second = run('whale two');
    await waitFor(async () => (await stats()).asksQueued === 1);
    const third = run('whale three');
    await waitFor(async () => (await stats()).asksQueued === 2);
    const rejected = await ask({ q: 'whale four' });
    expect(rejected.headers.get('retry-after')).toBe('3');
    expect(await expectError(rejected, 503, 'Overloaded')).toContain('retry in 3 s');
    await expectStillServing();
    pipeline.resume();
    const results = await Promise.all([first, second, third]);
    for (const events of results)
      expect(events.at(-1)!.data).toMatchObject({ type: 'done', aborted: false });
    expect(finished).toEqual(['whale one', 'whale two', 'whale three']);
    expect(pipeline.asks.map((record) => record.query)).toEqual([
      'whale one',
      'whale two',
      'whale three',
    ]);
    expect(await stats()).toMatchObject({ asksRunning: 0, asksQueued: 0, asksRejected: 1 });
  });

  it('stops the generation when the client disconnects mid-stream, and frees the slot', async () => {
    const { app, ask, stats, pipeline } = setup({ maxConcurrentAsks: 1 }, 20);
    pipeline.pause(); // the ask sends its passages, then waits: only the disconnect can end it
    const controller = new AbortController();
    const response = await ask({ q: 'whale', maxTokens: 20 }, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read(); // the passages event at least
    controller.abort();
    await reader.cancel();
    await waitFor(() => pipeline.asks[0]?.finished === true);
    expect(pipeline.asks[0]).toMatchObject({ aborted: true });
    expect(pipeline.asks[0]!.tokens).toBe(0);
    await waitFor(async () => (await stats()).asksRunning === 0);
    pipeline.resume();
    const after = await readAskEvents(
      await app.request('/api/ask', { method: 'POST', body: '{"q":"sea","maxTokens":2}' }),
    );
    expect(after.at(-1)!.data).toMatchObject({ type: 'done', aborted: false });
  });

  it('drops a queued ask whose client leaves before its turn', async () => {
    const { ask, stats, pipeline } = setup({ maxConcurrentAsks: 1 }, 5);
    pipeline.pause();
    const running = ask({ q: 'whale', maxTokens: 10 }).then(readAskEvents);
    await waitFor(async () => (await stats()).asksRunning === 1);
    const controller = new AbortController();
    const queued = ask({ q: 'sea' }, { signal: controller.signal });
    await waitFor(async () => (await stats()).asksQueued === 1);
    controller.abort();
    await waitFor(async () => (await stats()).asksQueued === 0);
    await expectError(await queued, 503, 'ClientClosedRequest');
    pipeline.resume();
    await running;
    expect(pipeline.asks.map((record) => record.query)).toEqual(['whale']);
  });
});

describe("readServerSentEvents (the page's and these tests' SSE reader)", () => {
  /** A body that delivers `text` in chunks of `size` bytes. */
  const chunked = (text: string, size: number) => {
    const bytes = new TextEncoder().encode(text);
    return new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += size)
          controller.enqueue(bytes.slice(offset, offset + size));
        controller.close();
      },
    });
  };
  const wire =
    ': comment\r\nevent: token\r\ndata: {"text":"é"}\r\n\r\n' +
    'data: line one\ndata: line two\n\n' +
    'event: done\rdata:no space\r\r' +
    'event: cut\ndata: never finished';
  const expected = [
    { event: 'token', data: '{"text":"é"}' },
    { event: 'message', data: 'line one\nline two' },
    { event: 'done', data: 'no space' },
  ];

  it.each([1, 2, 3, 7, 1000])(
    'parses the same events whatever the chunk size (%i bytes)',
    async (size) => {
      const events = [];
      for await (const event of readServerSentEvents(chunked(wire, size))) events.push(event);
      expect(events).toEqual(expected);
    },
  );
});
