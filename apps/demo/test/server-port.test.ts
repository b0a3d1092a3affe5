/**
 * The server on a real loopback port: what Node's HTTP layer adds to `app.request()`
 * (socket disconnects, raw bytes, over-long request lines, parser errors), the queue
 * under real connections, and the page served over HTTP.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server/start.js';
import { errorOf, FakePipeline, readAskEvents, waitFor } from './fake-pipeline.js';

/** Sends raw bytes on a fresh connection and answers everything the server wrote back. */
function rawExchange(url: string, bytes: string | Buffer): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

const postAsk = (url: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${url}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });

describe('startServer on a free loopback port', () => {
  const pipeline = new FakePipeline({ tokenDelayMs: 10 });
  const logged: unknown[] = [];
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(pipeline, { port: 0, logError: (error) => logged.push(error) });
  });
  afterAll(() => server.close());
  const expectStillServing = async () => {
    const response = await fetch(`${server.url}/api/search?q=whale&k=1`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { lists: { ranked: unknown[] } }).lists.ranked).toHaveLength(
      1,
    );
  };

  it('listens on 127.0.0.1 and serves health, the page and a search', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${server.url}/`)).text()).toContain('<title>');
    await expectStillServing();
  });

  it('answers 400 for %FF, 413 for a 100 KB query and 431 JSON past the header limit', async () => {
    expect(await errorOf(await fetch(`${server.url}/api/search?q=%FF`))).toMatchObject({
      status: 400,
      name: 'QueryError',
    });
    await expectStillServing();
    expect(
      await errorOf(await fetch(`${server.url}/api/search?q=${'a'.repeat(100_000)}`)),
    ).toMatchObject({
      status: 413,
      name: 'QueryTooLarge',
    });
    await expectStillServing();
    const reply = await rawExchange(
      server.url,
      `GET /api/search?q=${'a'.repeat(200_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 431 /);
    expect(reply).toContain('{"error":{"name":"HeadersTooLarge"');
    await expectStillServing();
  });

  it('survives raw non-UTF-8 bytes in the request target and a request that is not HTTP', async () => {
    const raw = Buffer.concat([
      Buffer.from('GET /api/search?q=wh'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    ]);
    expect(await rawExchange(server.url, raw)).toMatch(/^HTTP\/1\.1 (200|400) /);
    await expectStillServing();
    const garbage = await rawExchange(server.url, 'HELLO THERE\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toContain('"name":"BadRequest"');
    await expectStillServing();
  });

  it('answers 400 for bad JSON and streams a good ask', async () => {
    expect(await errorOf(await postAsk(server.url, '{"q":'))).toMatchObject({
      status: 400,
      name: 'InvalidJson',
    });
    await expectStillServing();
    const events = await readAskEvents(await postAsk(server.url, { q: 'whale', maxTokens: 4 }));
    expect(events.map((event) => event.event)).toEqual([
      'passages',
      'token',
      'token',
      'token',
      'token',
      'done',
    ]);
    expect(logged).toEqual([]);
  });

  it('stops the generation when fetch is aborted mid-stream', async () => {
    const before = pipeline.asks.length;
    pipeline.pause();
    const controller = new AbortController();
    const response = await postAsk(
      server.url,
      { q: 'abort by fetch', maxTokens: 20 },
      controller.signal,
    );
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await waitFor(() => pipeline.asks[before]?.finished === true);
    expect(pipeline.asks[before]).toMatchObject({ query: 'abort by fetch', aborted: true });
    expect(pipeline.asks[before]!.tokens).toBe(0);
    pipeline.resume();
    await expectStillServing();
  });

  it('stops the generation when the socket is destroyed', async () => {
    const before = pipeline.asks.length;
    pipeline.pause();
    const { hostname, port } = new URL(server.url);
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ hostname, port, path: '/api/ask', method: 'POST' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      req.end(JSON.stringify({ q: 'abort by socket', maxTokens: 20 }));
    });
    await waitFor(() => pipeline.asks[before]?.finished === true);
    expect(pipeline.asks[before]).toMatchObject({
      query: 'abort by socket',
      aborted: true,
      tokens: 0,
    });
    pipeline.resume();
  });
});

describe('the ask queue over real connections', () => {
  const pipeline = new FakePipeline({ tokenDelayMs: 5 });
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(pipeline, {
      maxConcurrentAsks: 1,
      maxQueuedAsks: 1,
      retryAfterSeconds: 1,
    });
  });
  afterAll(() => server.close());
  const serverStats = async () =>
    ((await (await fetch(`${server.url}/api/stats`)).json()) as { server: Record<string, number> })
      .server;

  it('answers 503 with Retry-After when full, and runs the queued ask after the first', async () => {
    const finished: string[] = [];
    const run = (q: string) =>
      postAsk(server.url, { q, maxTokens: 10 }).then(async (response) => {
        const events = await readAskEvents(response);
        finished.push(q);
        return events.at(-1)?.data;
      });
    pipeline.pause();
    const first = run('first');
    await waitFor(async () => (await serverStats()).asksRunning === 1);
    const second = run('second');
    await waitFor(async () => (await serverStats()).asksQueued === 1);
    const rejected = await postAsk(server.url, { q: 'third' });
    expect(rejected.headers.get('retry-after')).toBe('1');
    expect(await errorOf(rejected)).toMatchObject({ status: 503, name: 'Overloaded' });
    pipeline.resume();
    expect(await Promise.all([first, second])).toMatchObject([{ type: 'done' }, { type: 'done' }]);
    expect(finished).toEqual(['first', 'second']);
    expect(await serverStats()).toMatchObject({ asksRunning: 0, asksQueued: 0, asksRejected: 1 });
  });

  it('takes a queued ask out of the line when its client disconnects', async () => {
    pipeline.pause();
    const before = pipeline.asks.length;
    const first = postAsk(server.url, { q: 'holder', maxTokens: 3 }).then(readAskEvents);
    await waitFor(async () => (await serverStats()).asksRunning === 1);
    const controller = new AbortController();
    const queued = postAsk(server.url, { q: 'leaver' }, controller.signal).catch(
      (error: unknown) => error,
    );
    await waitFor(async () => (await serverStats()).asksQueued === 1);
    controller.abort();
    await waitFor(async () => (await serverStats()).asksQueued === 0);
    expect(await queued).toBeInstanceOf(Error);
    pipeline.resume();
    await first;
    expect(pipeline.asks.slice(before).map((record) => record.query)).toEqual(['holder']);
  });
});
