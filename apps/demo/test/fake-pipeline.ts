/**
 * A fake {@link DemoPipeline} for the server, page and load tests: deterministic result
 * lists over twelve short passages, an answer streamed token by token with a small delay
 * that stops when the signal aborts, and a log of what each ask did (started, aborted,
 * finished) so tests can check ordering and cancellation.
 */
import { QueryError } from '../src/errors.js';
import {
  type AskEvent,
  type AskOptions,
  type DemoPipeline,
  type PipelineStats,
  SEARCH_MODES,
  type SearchHit,
  type SearchMode,
  type SearchOptions,
  type SearchResult,
  type StageTimings,
} from '../src/pipeline/types.js';
import { readServerSentEvents } from '../web/sse.js';

const PASSAGES: readonly { id: string; title: string; text: string }[] = [
  { id: 'p01', title: 'Ishmael', text: 'Call me Ishmael. Some years ago I went to sea.' },
  {
    id: 'p02',
    title: 'Ahab',
    text: 'The white whale swam before him as the monomaniac incarnation.',
  },
  {
    id: 'p03',
    title: 'Starbuck',
    text: 'I will have no man in my boat who is not afraid of a whale.',
  },
  {
    id: 'p04',
    title: 'Queequeg',
    text: 'A harpooneer & a cannibal <b>not bold</b> shared the bed.',
  },
  {
    id: 'p05',
    title: 'Stubb',
    text: 'Think not, is my eleventh commandment; and sleep when you can.',
  },
  { id: 'p06', title: 'Flask', text: 'The whale must be killed, said Flask, for the oil.' },
  { id: 'p07', title: 'Pip', text: 'Pip jumped from the boat into the deep sea.' },
  { id: 'p08', title: 'Fedallah', text: 'Hemp only can kill thee, the old man told Ahab.' },
  {
    id: 'p09',
    title: 'Tashtego',
    text: 'There she blows! A whale on the horizon, cried Tashtego.',
  },
  { id: 'p10', title: 'Daggoo', text: 'The mast head was high above the sea and the ship.' },
  { id: 'p11', title: 'Father Mapple', text: 'The preacher spoke of Jonah and the great fish.' },
  { id: 'p12', title: 'Peleg', text: 'Captain Peleg hired the crew for the long voyage.' },
];

/** The answer the fake streams, one word (with its leading space) per token. */
export const FAKE_ANSWER_WORDS: readonly string[] = (
  'The whale is a recurring figure in these passages , hunted by Ahab across the sea until the ' +
  'last chase ends the voyage .'
).split(' ');

/** Options of {@link FakePipeline}. */
export interface FakePipelineOptions {
  /** Delay before each token, in milliseconds. @default 5 */
  tokenDelayMs?: number;
  /** Delay of `search`, in milliseconds. @default 0 */
  searchDelayMs?: number;
}

/** What one `ask` call did, for assertions. */
export interface FakeAskRecord {
  query: string;
  options: Omit<AskOptions, 'signal'>;
  tokens: number;
  aborted: boolean;
  finished: boolean;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);

/** Lowercase words of at least two letters. */
const words = (text: string): string[] => text.toLowerCase().match(/[a-z]{2,}/g) ?? [];

function snippet(text: string, terms: Set<string>): string {
  return text
    .split(/([a-zA-Z]+)/)
    .map((part) =>
      terms.has(part.toLowerCase()) ? `<mark>${escapeHtml(part)}</mark>` : escapeHtml(part),
    )
    .join('');
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** A deterministic stand-in for the real pipeline. */
export class FakePipeline implements DemoPipeline {
  /** Every ask, in call order. */
  readonly asks: FakeAskRecord[] = [];
  /** Every search query, in call order. */
  readonly searches: string[] = [];
  readonly #tokenDelayMs: number;
  readonly #searchDelayMs: number;
  #gate: { promise: Promise<void>; open: () => void } | undefined;

  constructor(options: FakePipelineOptions = {}) {
    this.#tokenDelayMs = options.tokenDelayMs ?? 5;
    this.#searchDelayMs = options.searchDelayMs ?? 0;
  }

  /**
   * Ranks the passages by how many query words they hold, a different tie order per mode.
   * A query with an odd number of `"` is a QueryError; the query `explode` throws a plain
   * Error (the server's 500 path).
   */
  async search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    this.searches.push(query);
    const started = performance.now();
    checkQuery(query);
    if (this.#searchDelayMs > 0) await sleep(this.#searchDelayMs);
    const k = options.k ?? 10;
    const modes: readonly SearchMode[] = options.mode === undefined ? SEARCH_MODES : [options.mode];
    const terms = new Set(words(query));
    const lists: Partial<Record<SearchMode, SearchHit[]>> = {};
    for (const [modeIndex, mode] of SEARCH_MODES.entries()) {
      if (!modes.includes(mode)) continue;
      const scored = PASSAGES.map((passage, index) => {
        const matches = words(passage.text).filter((word) => terms.has(word)).length;
        // Each mode breaks ties in its own rotation, so the four lists differ.
        const tieBreak = (index + modeIndex * 3) % PASSAGES.length;
        return { passage, score: matches + 1 / (2 + tieBreak) };
      }).sort((a, b) => b.score - a.score);
      lists[mode] = scored.slice(0, k).map(({ passage, score }, rank) => ({
        id: passage.id,
        rank: rank + 1,
        score: Math.round(score * 1000) / 1000,
        title: passage.title,
        snippet: snippet(passage.text, terms),
      }));
    }
    const total = performance.now() - started;
    return { query, k, lists, timings: fakeTimings(total) };
  }

  /** Streams {@link FAKE_ANSWER_WORDS} (cut to `maxTokens`), stopping early when `signal` aborts. */
  async *ask(query: string, options: AskOptions = {}): AsyncGenerator<AskEvent> {
    const { signal, ...rest } = options;
    const record: FakeAskRecord = {
      query,
      options: rest,
      tokens: 0,
      aborted: false,
      finished: false,
    };
    this.asks.push(record);
    const found = await this.search(query, { k: options.k ?? 3, mode: 'ranked' });
    const hits = found.lists.ranked ?? [];
    yield {
      type: 'passages',
      hits,
      prompt: `Passages:\n${hits.map((hit) => hit.id).join('\n')}\nQuestion: ${query}`,
      timings: found.timings,
    };
    const limit = Math.min(options.maxTokens ?? 200, FAKE_ANSWER_WORDS.length);
    const decodingStarted = performance.now();
    let text = '';
    for (let index = 0; index < limit; index++) {
      await this.#waitWhilePaused(signal);
      await sleep(this.#tokenDelayMs, signal);
      if (signal?.aborted) {
        record.aborted = true;
        break;
      }
      const token = (index === 0 ? '' : ' ') + FAKE_ANSWER_WORDS[index];
      text += token;
      record.tokens++;
      yield { type: 'token', text: token };
    }
    const decoding = performance.now() - decodingStarted;
    const tokens = record.tokens;
    record.finished = true;
    yield {
      type: 'done',
      text,
      timings: { ...found.timings, prefill: 1, decoding },
      stats: {
        tokens,
        steps: Math.ceil(tokens / 2),
        acceptedPerStep: tokens === 0 ? 0 : tokens / Math.ceil(tokens / 2),
        tokensPerSecond: decoding > 0 ? (tokens * 1000) / decoding : 0,
        promptTokens: 42,
        decoder: options.plain === true ? 'plain' : 'medusa',
      },
      aborted: record.aborted,
    };
  }

  /** Holds every ask before its next token until {@link resume} (an abort still ends it). */
  pause(): void {
    if (this.#gate !== undefined) return;
    let open = () => {};
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.#gate = { promise, open };
  }

  /** Lets paused asks go on. */
  resume(): void {
    this.#gate?.open();
    this.#gate = undefined;
  }

  async #waitWhilePaused(signal: AbortSignal | undefined): Promise<void> {
    while (this.#gate !== undefined && signal?.aborted !== true) {
      const gate = this.#gate.promise;
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        signal?.addEventListener('abort', onAbort, { once: true });
        gate.then(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
  }

  /** Fixed statistics of the fake corpus. */
  stats(): PipelineStats {
    return {
      documents: PASSAGES.length,
      corpus: 'fake',
      corpusHash: '0000000000000000',
      vectorDims: 8,
      model: 'fake-model',
      indexedAt: '2026-01-01T00:00:00.000Z',
      reusedIndexes: true,
    };
  }
}

function checkQuery(query: string): void {
  if ((query.match(/"/g)?.length ?? 0) % 2 === 1) {
    throw new QueryError(`unbalanced quote in query: ${JSON.stringify(query.slice(0, 40))}`);
  }
  if (query === 'explode') throw new Error('the fake pipeline exploded on purpose');
}

function fakeTimings(total: number): StageTimings {
  const share = total / 5;
  return { analysis: share, bm25: share, vector: share, fusion: share, ranking: share };
}

// Helpers the server, end-to-end and load tests share (no vitest import: the load script uses them too).

/** Reads every SSE event of an ask response, each data parsed as JSON. */
export async function readAskEvents(
  response: Response,
): Promise<{ event: string; data: AskEvent }[]> {
  if (response.body === null) throw new Error('readAskEvents: the response has no body');
  const events: { event: string; data: AskEvent }[] = [];
  for await (const message of readServerSentEvents(response.body)) {
    events.push({ event: message.event, data: JSON.parse(message.data) as AskEvent });
  }
  return events;
}

/** Polls `condition` every 5 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** An error response, as the tests look at it. */
export interface ErrorSeen {
  status: number;
  contentType: string | null;
  /** The body's top-level keys (must be exactly `['error']`). */
  keys: string[];
  name: string;
  message: string;
}

/** Reads an error response's status and JSON body. */
export async function errorOf(response: Response): Promise<ErrorSeen> {
  const body = (await response.json()) as { error: { name: string; message: string } };
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    keys: Object.keys(body),
    name: body.error.name,
    message: body.error.message,
  };
}
