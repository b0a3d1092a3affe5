/**
 * The pipeline's public shapes: what the CLI, the HTTP server and the web page
 * exchange with {@link Pipeline}. One file, so every interface speaks the same
 * language.
 */

/** Which list a search returns: one recall branch, the fused list, or the re-ranked one. */
export type SearchMode = 'bm25' | 'vector' | 'hybrid' | 'ranked';

/** Every mode, in the order the interfaces show them. */
export const SEARCH_MODES: readonly SearchMode[] = ['bm25', 'vector', 'hybrid', 'ranked'];

/** How the two recall lists are fused into the `hybrid` list. */
export type FusionMethod = 'rrf' | 'weighted';

/** One passage in a result list. */
export interface SearchHit {
  /** The passage's id in the corpus. */
  id: string;
  /** 1-based rank in this list. */
  rank: number;
  /** The list's score (BM25, cosine similarity, fused score or ranker score). */
  score: number;
  /** The passage's title or speaker, when the corpus has one. */
  title: string;
  /** A short window of the text with the query terms in `<mark>` (HTML-escaped otherwise). */
  snippet: string;
}

/** Per-stage wall times of one request, in milliseconds. */
export interface StageTimings {
  analysis: number;
  bm25: number;
  vector: number;
  fusion: number;
  ranking: number;
  /** Present on `ask`: the prompt's prefill and the decoding loop. */
  prefill?: number;
  decoding?: number;
}

/** What `search` returns: the requested list, and every list when `mode` is omitted. */
export interface SearchResult {
  query: string;
  k: number;
  lists: Partial<Record<SearchMode, SearchHit[]>>;
  timings: StageTimings;
}

/** Options of `search`. */
export interface SearchOptions {
  /** How many hits per list (1..100, default 10). */
  k?: number;
  /** One list; omitted: all four. */
  mode?: SearchMode;
  fusion?: FusionMethod;
  /**
   * The query's own vector for the vector branch (required when the documents' vectors
   * were given precomputed, optional otherwise: the text is embedded).
   */
  vector?: readonly number[] | Float32Array;
}

/** Decoding statistics of one `ask`. */
export interface DecodingStats {
  /** Tokens generated. */
  tokens: number;
  /** Model passes (verification steps) the decoding took. */
  steps: number;
  /** Mean tokens accepted per step (1 for plain decoding). */
  acceptedPerStep: number;
  /** Generated tokens per second of decoding time. */
  tokensPerSecond: number;
  /** Prompt length in tokens. */
  promptTokens: number;
  /** 'medusa' (heads and n-grams) or 'plain'. */
  decoder: 'medusa' | 'plain';
}

/** Options of `ask`. */
export interface AskOptions extends SearchOptions {
  /** Tokens to generate (1..1024, default 200). */
  maxTokens?: number;
  /** Stops the generation; the stream then ends with the statistics so far. */
  signal?: AbortSignal;
  /** 0 = greedy (the default). */
  temperature?: number;
  seed?: number;
  /** Decode without Medusa (for comparison). */
  plain?: boolean;
}

/** The events `ask` yields, in order: `passages` once, `token` many times, `done` once. */
export type AskEvent =
  | { type: 'passages'; hits: SearchHit[]; prompt: string; timings: StageTimings }
  | { type: 'token'; text: string }
  | { type: 'done'; text: string; timings: StageTimings; stats: DecodingStats; aborted: boolean };

/** What `stats` returns about the loaded corpus and models. */
export interface PipelineStats {
  documents: number;
  corpus: string;
  corpusHash: string;
  vectorDims: number;
  /** Where the vectors come from: `lsa-192`, a model, or precomputed document vectors. */
  vectors?: string;
  model: string;
  indexedAt: string;
  reusedIndexes: boolean;
}

/**
 * What the CLI, the HTTP server and the web page need from a pipeline. {@link Pipeline}
 * implements it; tests of the interfaces use a fake with the same shape.
 */
export interface DemoPipeline {
  /** Recall, fusion and ranking for one query. Throws `QueryError` on a bad query or option. */
  search(query: string, options?: SearchOptions): Promise<SearchResult>;
  /** Retrieval, then generation grounded in the top passages, as a stream of events. */
  ask(query: string, options?: AskOptions): AsyncIterable<AskEvent>;
  /** What is loaded. */
  stats(): PipelineStats;
}
