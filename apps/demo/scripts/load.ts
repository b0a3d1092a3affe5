/**
 * A bounded loopback load test of the HTTP server: `GET /api/search` at 1, 8 and 32
 * concurrent clients, then `POST /api/ask` under 4 concurrent clients, each phase for
 * `--seconds`. Prints a table and ends with one JSON line.
 *
 * The clients are a small hand loop over `fetch` (autocannon is not in node_modules):
 * each client sends its next request when the previous answer is fully read (closed
 * loop), so requests/s is what the server sustains at that concurrency. The server runs
 * in this process unless `--url` names one, so client and server share one event loop.
 *
 * Every non-2xx answer is counted; 503s (the ask queue is full, by design) are also
 * reported on their own, and `failed` counts everything else that went wrong.
 *
 *   npm run load -w @x/demo -- --fake --seconds 5
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import type { DemoPipeline } from '../src/pipeline/types.js';
import { type StartOptions, startServer } from '../src/server/start.js';
import { FakePipeline } from '../test/fake-pipeline.js';
import { readServerSentEvents } from '../web/sse.js';

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** Base URL of the server under test. */
  url: string;
  /** Length of each phase. @default 20 */
  seconds?: number;
  /** Concurrent clients of each search phase. @default [1, 8, 32] */
  searchClients?: number[];
  /** Concurrent clients of the ask phase (0 skips it). @default 4 */
  askClients?: number;
  /** `maxTokens` of each ask. @default 32 */
  maxTokens?: number;
  /** Queries, used in turn. */
  queries?: string[];
}

/** What one phase measured. */
export interface PhaseResult {
  phase: 'search' | 'ask';
  clients: number;
  seconds: number;
  requests: number;
  /** Answers outside 200..299, 503s included. */
  non2xx: number;
  /** The 503s among them (queue full). */
  status503: number;
  /** Non-2xx other than 503, network errors and broken streams. */
  failed: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Ask only: tokens received, tokens/s over the phase, median time to the first token. */
  tokens?: number;
  tokensPerSecond?: number;
  firstTokenP50Ms?: number;
}

/** The whole run. */
export interface LoadReport {
  client: 'fetch-loop';
  url: string;
  phases: PhaseResult[];
  /** Sum of `failed` over the phases. */
  failed: number;
}

const DEFAULT_QUERIES = [
  'whale',
  'white whale',
  'the sea',
  'captain of the ship',
  'harpoon',
  'call me ishmael',
];

/** Nearest-rank percentile of ascending `sorted` (0 for an empty list). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

interface Sample {
  ms: number;
  status: number;
  broken: boolean;
  tokens: number;
  firstTokenMs?: number;
}

/** Runs `clients` closed loops of `once` until `seconds` have passed, then waits for the last answers. */
async function closedLoop(
  clients: number,
  seconds: number,
  once: (index: number) => Promise<Sample>,
) {
  const samples: Sample[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let counter = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const sample = await once(counter++);
        samples.push(sample);
        if (sample.status === 503) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }),
  );
  return { samples, elapsed: (performance.now() - started) / 1000 };
}

function summarize(
  phase: PhaseResult['phase'],
  clients: number,
  run: Awaited<ReturnType<typeof closedLoop>>,
): PhaseResult {
  const { samples, elapsed } = run;
  const ok = samples.filter(
    (sample) => sample.status >= 200 && sample.status < 300 && !sample.broken,
  );
  const latencies = ok.map((sample) => sample.ms).sort((a, b) => a - b);
  const non2xx = samples.filter((sample) => sample.status < 200 || sample.status >= 300).length;
  const status503 = samples.filter((sample) => sample.status === 503).length;
  const result: PhaseResult = {
    phase,
    clients,
    seconds: Math.round(elapsed * 100) / 100,
    requests: samples.length,
    non2xx,
    status503,
    failed: samples.filter(
      (sample) =>
        sample.broken || ((sample.status < 200 || sample.status >= 300) && sample.status !== 503),
    ).length,
    requestsPerSecond: Math.round((ok.length / elapsed) * 10) / 10,
    p50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
    p99Ms: Math.round(percentile(latencies, 99) * 100) / 100,
    maxMs: Math.round((latencies.at(-1) ?? 0) * 100) / 100,
  };
  if (phase === 'ask') {
    const tokens = ok.reduce((sum, sample) => sum + sample.tokens, 0);
    const firsts = ok
      .flatMap((sample) => (sample.firstTokenMs === undefined ? [] : [sample.firstTokenMs]))
      .sort((a, b) => a - b);
    result.tokens = tokens;
    result.tokensPerSecond = Math.round((tokens / elapsed) * 10) / 10;
    result.firstTokenP50Ms = Math.round(percentile(firsts, 50) * 100) / 100;
  }
  return result;
}

async function searchOnce(url: string, query: string): Promise<Sample> {
  const started = performance.now();
  try {
    const response = await fetch(`${url}/api/search?q=${encodeURIComponent(query)}&k=10`);
    await response.arrayBuffer();
    return { ms: performance.now() - started, status: response.status, broken: false, tokens: 0 };
  } catch {
    return { ms: performance.now() - started, status: 0, broken: true, tokens: 0 };
  }
}

async function askOnce(url: string, query: string, maxTokens: number): Promise<Sample> {
  const started = performance.now();
  try {
    const response = await fetch(`${url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ q: query, maxTokens }),
    });
    if (!response.ok || response.body === null) {
      await response.arrayBuffer();
      return { ms: performance.now() - started, status: response.status, broken: false, tokens: 0 };
    }
    let tokens = 0;
    let firstTokenMs: number | undefined;
    let done = false;
    for await (const message of readServerSentEvents(response.body)) {
      if (message.event === 'token') {
        firstTokenMs ??= performance.now() - started;
        tokens++;
      } else if (message.event === 'done') done = true;
    }
    const sample: Sample = {
      ms: performance.now() - started,
      status: response.status,
      broken: !done,
      tokens,
    };
    if (firstTokenMs !== undefined) sample.firstTokenMs = firstTokenMs;
    return sample;
  } catch {
    return { ms: performance.now() - started, status: 0, broken: true, tokens: 0 };
  }
}

/**
 * Runs the search phases, then the ask phase, against a running server.
 *
 * @param options - The server's URL, phase length, client counts.
 * @returns One result per phase and the total of failed requests.
 * @example
 * ```ts
 * const report = await runLoad({ url: server.url, seconds: 1, searchClients: [8], askClients: 0 });
 * console.log(report.phases[0].requestsPerSecond); // e.g. 2400
 * ```
 */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const { url, seconds = 20, searchClients = [1, 8, 32], askClients = 4, maxTokens = 32 } = options;
  const queries = options.queries ?? DEFAULT_QUERIES;
  const pick = (index: number) => queries[index % queries.length]!;
  const phases: PhaseResult[] = [];
  for (const clients of searchClients) {
    phases.push(
      summarize(
        'search',
        clients,
        await closedLoop(clients, seconds, (index) => searchOnce(url, pick(index))),
      ),
    );
  }
  if (askClients > 0) {
    phases.push(
      summarize(
        'ask',
        askClients,
        await closedLoop(askClients, seconds, (index) => askOnce(url, pick(index), maxTokens)),
      ),
    );
  }
  return {
    client: 'fetch-loop',
    url,
    phases,
    failed: phases.reduce((sum, phase) => sum + phase.failed, 0),
  };
}

/** The report as an aligned text table. */
export function formatTable(report: LoadReport): string {
  const header = [
    'phase',
    'clients',
    'requests',
    'req/s',
    'p50 ms',
    'p99 ms',
    'max ms',
    'non-2xx',
    '503',
    'failed',
    'tokens/s',
    '1st token p50',
  ];
  const rows = report.phases.map((phase) => [
    phase.phase,
    String(phase.clients),
    String(phase.requests),
    String(phase.requestsPerSecond),
    String(phase.p50Ms),
    String(phase.p99Ms),
    String(phase.maxMs),
    String(phase.non2xx),
    String(phase.status503),
    String(phase.failed),
    phase.tokensPerSecond === undefined ? '' : String(phase.tokensPerSecond),
    phase.firstTokenP50Ms === undefined ? '' : `${phase.firstTokenP50Ms} ms`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => cell.padStart(widths[column]!)).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

const positiveNumber = (value: string): number => {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new InvalidArgumentError('expected a positive number');
  return number;
};
const countList = (value: string): number[] => {
  const counts = value.split(',').map(Number);
  if (counts.some((count) => !Number.isInteger(count) || count < 1))
    throw new InvalidArgumentError('expected counts like 1,8,32');
  return counts;
};

async function main(argv: string[]): Promise<void> {
  const program = new Command('load')
    .description('Loopback load test of the demo server (search at 1, 8, 32 clients; ask at 4).')
    .option('--seconds <n>', 'length of each phase', positiveNumber, 20)
    .option('--fake', 'serve the fake pipeline (fast, no model) instead of openPipeline()')
    .option('--url <url>', 'test a server already running there instead of starting one')
    .option('--data-dir <dir>', 'data directory for openPipeline()')
    .option('--corpus <path>', 'corpus for openPipeline()')
    .option(
      '--search-clients <list>',
      'concurrent clients of the search phases',
      countList,
      [1, 8, 32],
    )
    .option('--ask-clients <n>', 'concurrent clients of the ask phase (0 skips it)', Number, 4)
    .option('--max-tokens <n>', 'maxTokens of each ask', Number, 32)
    .option('--queries <list>', 'queries to use in turn, separated by |', (value: string) =>
      value.split('|'),
    )
    .option('--max-concurrent-asks <n>', 'server: generations at once', Number, 2)
    .option('--max-queued-asks <n>', 'server: asks that may wait', Number, 8)
    .parse(argv);
  const options = program.opts<{
    seconds: number;
    fake?: boolean;
    url?: string;
    dataDir?: string;
    corpus?: string;
    searchClients: number[];
    askClients: number;
    maxTokens: number;
    queries?: string[];
    maxConcurrentAsks: number;
    maxQueuedAsks: number;
  }>();

  let url = options.url;
  let close = async () => {};
  if (url === undefined) {
    let pipeline: DemoPipeline;
    if (options.fake === true) pipeline = new FakePipeline();
    else {
      // Imported lazily so `--fake` runs without the real pipeline's models and data.
      const { openPipeline } = await import('../src/pipeline/open.js');
      pipeline = await openPipeline({
        ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
        ...(options.corpus === undefined ? {} : { corpus: options.corpus }),
      });
    }
    const serverOptions: StartOptions = {
      maxConcurrentAsks: options.maxConcurrentAsks,
      maxQueuedAsks: options.maxQueuedAsks,
      logError: (error) => console.error('server error:', error),
    };
    const server = await startServer(pipeline, serverOptions);
    url = server.url;
    close = server.close;
  }
  console.log(
    `load: ${url}, ${options.seconds} s per phase, search at ${options.searchClients.join('/')} clients, ask at ${options.askClients} (maxTokens ${options.maxTokens}), client: fetch loop`,
  );
  try {
    const report = await runLoad({
      url,
      seconds: options.seconds,
      searchClients: options.searchClients,
      askClients: options.askClients,
      maxTokens: options.maxTokens,
      ...(options.queries === undefined ? {} : { queries: options.queries }),
    });
    console.log(formatTable(report));
    console.log(JSON.stringify(report));
    if (report.failed > 0) process.exitCode = 1;
  } finally {
    await close();
  }
}

const invokedDirectly =
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  main(process.argv).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
