/**
 * The load script's core against the fake pipeline for about one second: every phase
 * runs, nothing fails, and the counts add up.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatTable, percentile, runLoad } from '../scripts/load.js';
import { type RunningServer, startServer } from '../src/server/start.js';
import { FakePipeline } from './fake-pipeline.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer(new FakePipeline({ tokenDelayMs: 1 }), { port: 0 });
});
afterAll(() => server.close());

it('runs search at 1 and 8 clients and ask at 4 for a second with no failed request', async () => {
  const report = await runLoad({
    url: server.url,
    seconds: 0.33,
    searchClients: [1, 8],
    askClients: 4,
    maxTokens: 8,
  });
  expect(report.phases.map((phase) => [phase.phase, phase.clients])).toEqual([
    ['search', 1],
    ['search', 8],
    ['ask', 4],
  ]);
  expect(report.failed).toBe(0);
  for (const phase of report.phases) {
    expect(phase.non2xx, phase.phase).toBe(0);
    expect(phase.requests).toBeGreaterThan(0);
    expect(phase.p50Ms).toBeLessThanOrEqual(phase.p99Ms);
    expect(phase.p99Ms).toBeLessThanOrEqual(phase.maxMs);
  }
  const ask = report.phases[2]!;
  expect(ask.tokens).toBe(ask.requests * 8);
  expect(formatTable(report).split('\n')).toHaveLength(5);
});

it('takes nearest-rank percentiles (a hand-made table)', () => {
  const hundred = Array.from({ length: 100 }, (_, index) => index + 1);
  expect([50, 99, 100, 1].map((p) => percentile(hundred, p))).toEqual([50, 99, 100, 1]);
  expect([50, 99].map((p) => percentile([3, 7, 9], p))).toEqual([7, 9]);
  expect(percentile([5], 99)).toBe(5);
  expect(percentile([], 50)).toBe(0);
});
