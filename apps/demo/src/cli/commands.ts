/**
 * The commands' actions: `index`, `search`, `ask`, `serve` and the tour that runs
 * with no command (what the root `npm start` shows a new user).
 */
import type { Pipeline } from '../pipeline/pipeline.js';
import type { AskOptions, FusionMethod, SearchMode } from '../pipeline/types.js';
import { listsTable, snippetText, timingsLine } from './format.js';
import { type CommonOptions, openFromOptions } from './open-from-options.js';

/** Options of `search` and `ask`. */
export interface QueryOptions extends CommonOptions {
  k?: number;
  mode?: SearchMode;
  fusion?: FusionMethod;
  json?: boolean;
}

/** Options of `ask`. */
export interface AskCommandOptions extends QueryOptions {
  maxTokens?: number;
  temperature?: number;
  seed?: number;
  plain?: boolean;
}

const out = (...lines: string[]) => {
  for (const line of lines.length === 0 ? [''] : lines) process.stdout.write(`${line}\n`);
};

/**
 * `x-demo index [DIR]`: reads the corpus and builds (or reuses) its indexes.
 * @param dir - the corpus folder (default: the embedded one)
 * @param options - the shared options
 */
export async function indexCommand(dir: string | undefined, options: CommonOptions): Promise<void> {
  const pipeline = await openFromOptions(
    { ...options, corpus: dir ?? options.corpus },
    { model: false },
  );
  const stats = pipeline.stats();
  out(
    `${stats.reusedIndexes ? 'reused' : 'indexed'} ${stats.documents} passages of ${stats.corpus} ` +
      `(content hash ${stats.corpusHash.slice(0, 12)}, ${stats.vectorDims}-dim LSA vectors) in ${options.dataDir}`,
  );
}

/**
 * `x-demo search "query"`: the four lists side by side, with snippets.
 * @param query - the query
 * @param options - k, mode, fusion, json and the shared options
 */
export async function searchCommand(query: string, options: QueryOptions): Promise<void> {
  const pipeline = await openFromOptions(options, { model: false });
  await printSearch(pipeline, query, options);
}

async function printSearch(
  pipeline: Pipeline,
  query: string,
  options: QueryOptions,
): Promise<void> {
  const result = await pipeline.search(query, {
    k: options.k ?? 10,
    mode: options.mode,
    fusion: options.fusion,
  });
  if (options.json) {
    out(JSON.stringify(result));
    return;
  }
  out(`query: ${result.query}`);
  for (const line of listsTable(result.lists)) out(line);
  out('', `timings: ${timingsLine(result.timings)}`);
}

/**
 * `x-demo ask "query"`: retrieval, then the continuation streamed to stdout, statistics to stderr.
 * @param query - the query
 * @param options - generation options and the shared options
 */
export async function askCommand(query: string, options: AskCommandOptions): Promise<void> {
  const pipeline = await openFromOptions(options);
  await printAsk(pipeline, query, options);
}

async function printAsk(
  pipeline: Pipeline,
  query: string,
  options: AskCommandOptions,
): Promise<void> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  const askOptions: AskOptions = {
    k: options.k,
    mode: options.mode,
    fusion: options.fusion,
    maxTokens: options.maxTokens,
    temperature: options.temperature,
    seed: options.seed,
    plain: options.plain,
    signal: controller.signal,
  };
  try {
    for await (const event of pipeline.ask(query, askOptions)) {
      if (options.json) {
        out(JSON.stringify(event));
        continue;
      }
      if (event.type === 'passages') {
        out('passages:');
        for (const hit of event.hits)
          out(`  ${hit.rank}. ${hit.id} ${hit.title}: ${snippetText(hit.snippet)}`);
        out('', 'prompt:', event.prompt.trimEnd(), '', 'continuation:');
        process.stdout.write(event.prompt);
      } else if (event.type === 'token') process.stdout.write(event.text);
      else {
        const s = event.stats;
        out(event.aborted ? ' [stopped]' : '');
        process.stderr.write(
          `\n${s.decoder}: ${s.tokens} tokens in ${s.steps} steps (${s.acceptedPerStep.toFixed(2)} per step), ` +
            `${s.tokensPerSecond.toFixed(1)} tokens/s, prompt ${s.promptTokens} tokens\n` +
            `timings: ${timingsLine(event.timings)}\n`,
        );
      }
    }
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** Options of `serve`. */
export interface ServeOptions extends CommonOptions {
  port: number;
  host: string;
  concurrency: number;
  queue: number;
}

/**
 * `x-demo serve`: the HTTP API and the web page until interrupted.
 * @param options - port, host, generation concurrency and queue, and the shared options
 */
export async function serveCommand(options: ServeOptions): Promise<void> {
  const pipeline = await openFromOptions(options);
  const { startServer } = await import('../server/start.js');
  const server = await startServer(pipeline, {
    port: options.port,
    host: options.host,
    maxConcurrentAsks: options.concurrency,
    maxQueuedAsks: options.queue,
  });
  out(`x-demo: serving ${pipeline.stats().documents} passages on ${server.url} (Ctrl-C stops)`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      void server.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** The query the tour searches and asks about. */
export const TOUR_QUERY = 'what light through yonder window breaks';

/**
 * `x-demo` with no command: index the embedded corpus (or reuse its indexes), show
 * one search's four lists, then ask and stream a grounded continuation.
 * @param options - the shared options
 */
export async function tourCommand(options: CommonOptions & { query?: string }): Promise<void> {
  const pipeline = await openFromOptions(options);
  const stats = pipeline.stats();
  const query = options.query ?? TOUR_QUERY;
  out(
    `x-demo: ${stats.documents} passages of ${stats.corpus}, ${stats.reusedIndexes ? 'indexes reused' : 'indexed'} in ${options.dataDir}; model ${stats.model}`,
  );
  out();
  await printSearch(pipeline, query, { ...options, k: 5 });
  out();
  // sampled (typical acceptance): a 128-character model's greedy text repeats itself
  await printAsk(pipeline, query, { ...options, maxTokens: 200, temperature: 0.8, seed: 1 });
  out(
    '',
    'next: npx x-demo search "your query" · npx x-demo ask "your query" · npx x-demo serve (the web page) · npx x-demo --help',
  );
}
