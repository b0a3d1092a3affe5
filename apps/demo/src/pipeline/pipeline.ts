/**
 * The search-plus-LLM pipeline: recall from BM25 and from LSA vectors, fusion (RRF
 * or min-max weighted sums), the learned ranker over the fused top 100, and
 * generation grounded in the top passages with Medusa decoding, streamed.
 */
import { InvalidArgumentError, type InvertedIndex, QuerySyntaxError } from '@x/inverted-index';
import type { Corpus, Passage } from '../corpus/passage.js';
import { QueryError } from '../errors.js';
import { reciprocalRankFusion, type ScoredId, weightedFusion } from '../fusion/index.js';
import { type CorpusTerms, candidatesOf, corpusTerms } from '../ranker/candidates.js';
import type { Ranker } from '../ranker/model.js';
import type { Indexes } from '../store/index-store.js';
import { normalize } from '../vectors/embedder.js';
import type { Generator } from './generator.js';
import { buildPrompt } from './prompt.js';
import { analyzer, queryTerms, textTerms } from './query-terms.js';
import { htmlSnippet } from './snippets.js';
import type {
  AskEvent,
  AskOptions,
  DemoPipeline,
  FusionMethod,
  PipelineStats,
  SearchHit,
  SearchMode,
  SearchOptions,
  SearchResult,
  StageTimings,
} from './types.js';
import { checkFusion, checkInteger, checkMode, checkQuery, LIMITS } from './validate.js';

/** How many candidates each recall branch gives to fusion and the ranker. */
export const RECALL_DEPTH = 100;

interface Lists {
  bm25: ScoredId[];
  vector: ScoredId[];
  hybrid: ScoredId[];
  ranked: ScoredId[];
}

/** The pipeline over one corpus, its indexes, a ranker and a generator. */
export class Pipeline implements DemoPipeline {
  readonly #byId: Map<string, Passage>;
  readonly #terms: CorpusTerms;

  /**
   * @param corpus - the passages
   * @param indexes - BM25, LSA and HNSW over them
   * @param ranker - the learned ranker
   * @param generator - the model for `ask` (null: `ask` refuses)
   */
  constructor(
    readonly corpus: Corpus,
    readonly indexes: Indexes,
    readonly ranker: Ranker,
    readonly generator: Generator | null,
  ) {
    this.#byId = new Map(corpus.passages.map((p) => [p.id, p]));
    this.#terms = corpusTerms(corpus.passages, analyzer);
  }

  /**
   * Searches: every list, or the one `mode` names.
   * @param query - the query (the index's query language: phrases, AND/OR/NOT, field:, prefix*, fuzzy~)
   * @param options - k (1..100, default 10), mode, fusion (`rrf` or `weighted`)
   * @returns the lists and per-stage timings
   * @throws QueryError for an empty, too long or unparsable query or a bad option
   * @example
   * const { lists } = await pipeline.search('what light through yonder window', { k: 5 });
   */
  async search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const q = checkQuery(query);
    const k = checkInteger('k', options.k, ...LIMITS.k, 10);
    const mode = checkMode(options.mode);
    const vector = this.#queryVector(options.vector, mode);
    const { lists, timings } = this.#retrieve(q, mode, checkFusion(options.fusion), vector);
    const shown: Partial<Record<SearchMode, SearchHit[]>> = {};
    for (const name of mode ? [mode] : (['bm25', 'vector', 'hybrid', 'ranked'] as const))
      shown[name] = lists[name].slice(0, k).map((hit, i) => this.#hit(hit, i, q));
    return { query: q, k, lists: shown, timings };
  }

  /**
   * Retrieval, then a continuation grounded in the top passages, streamed.
   * @param query - the query
   * @param options - k passages (default 3) from `mode` (default `ranked`), maxTokens (1..1024, default 200), temperature, seed, plain, signal
   * @returns events: `passages`, then `token`s, then `done` with timings and decoding statistics
   * @throws QueryError for a bad query or option (before any event)
   * @example
   * for await (const event of pipeline.ask('love and death')) if (event.type === 'token') process.stdout.write(event.text);
   */
  ask(query: string, options: AskOptions = {}): AsyncIterable<AskEvent> {
    const q = checkQuery(query);
    const k = checkInteger('k', options.k, ...LIMITS.askK, 3);
    const mode = checkMode(options.mode) ?? 'ranked';
    const fusion = checkFusion(options.fusion);
    const vector = this.#queryVector(options.vector, mode);
    const maxTokens = checkInteger('maxTokens', options.maxTokens, ...LIMITS.maxTokens, 200);
    const seed = checkInteger('seed', options.seed, ...LIMITS.seed, 0);
    const temperature = options.temperature ?? 0;
    const [coolest, hottest] = LIMITS.temperature;
    if (typeof temperature !== 'number' || !(temperature >= coolest && temperature <= hottest))
      throw new QueryError(
        `temperature must be a number from ${coolest} to ${hottest}, got ${JSON.stringify(temperature)}`,
      );
    const generator = this.generator;
    if (generator === null)
      throw new QueryError('this pipeline was opened without a model: ask is off');
    const self = this;
    return (async function* () {
      const { lists, timings } = self.#retrieve(q, mode, fusion, vector);
      const top = lists[mode].slice(0, k);
      const hits = top.map((hit, i) => self.#hit(hit, i, q));
      const passages = top.map((hit) => self.#byId.get(hit.id)!);
      const terms = new Set(queryTerms(q));
      const prompt = buildPrompt(q, passages, {
        context: generator.context,
        reserve: Math.min(64, generator.context >> 1),
        matches: (line) => textTerms(line).filter((t) => terms.has(t)).length,
      });
      yield { type: 'passages', hits, prompt, timings };
      const stream = generator.stream(prompt, {
        maxTokens,
        temperature,
        seed,
        plain: options.plain === true,
        signal: options.signal,
        passages: passages.map((p) => p.text),
      });
      for (;;) {
        const step = await stream.next();
        if (step.done) {
          const end = step.value;
          yield {
            type: 'done',
            text: end.text,
            timings: { ...timings, prefill: end.prefillMs, decoding: end.decodeMs },
            stats: end.stats,
            aborted: end.aborted,
          };
          return;
        }
        yield { type: 'token', text: step.value };
      }
    })();
  }

  /** @returns what is loaded: corpus, hash, dimensions, model, when indexed, whether reused */
  stats(): PipelineStats {
    const { manifest, vectors, embedder, reused } = this.indexes;
    return {
      documents: this.corpus.passages.length,
      corpus: this.corpus.name,
      corpusHash: this.corpus.hash,
      vectorDims: vectors.dims,
      vectors: embedder?.name ?? 'precomputed document vectors',
      model: this.generator?.name ?? 'none',
      indexedAt: manifest.indexedAt,
      reusedIndexes: reused,
    };
  }

  #retrieve(
    q: string,
    mode: SearchMode | undefined,
    fusion: FusionMethod,
    given: Float32Array | null,
  ): { lists: Lists; timings: StageTimings } {
    const needs = (...modes: SearchMode[]) => mode === undefined || modes.includes(mode);
    const clock = () => performance.now();
    let t = clock();
    const terms = queryTerms(q);
    const timings: StageTimings = {
      analysis: clock() - t,
      bm25: 0,
      vector: 0,
      fusion: 0,
      ranking: 0,
    };
    const lists: Lists = { bm25: [], vector: [], hybrid: [], ranked: [] };
    if (needs('bm25', 'hybrid', 'ranked')) {
      t = clock();
      lists.bm25 = this.#bm25(q);
      timings.bm25 = clock() - t;
    }
    if (needs('vector', 'hybrid', 'ranked')) {
      t = clock();
      const vector = given ?? this.indexes.embedder?.embed(q) ?? null;
      lists.vector = vector?.some((x) => x !== 0)
        ? this.indexes.vectors.search(vector, RECALL_DEPTH)
        : [];
      timings.vector = clock() - t;
    }
    if (needs('hybrid', 'ranked')) {
      t = clock();
      const both = [lists.bm25, lists.vector];
      lists.hybrid = (fusion === 'rrf' ? reciprocalRankFusion(both) : weightedFusion(both)).slice(
        0,
        RECALL_DEPTH,
      );
      timings.fusion = clock() - t;
    }
    if (needs('ranked')) {
      t = clock();
      const candidates = candidatesOf(
        this.#terms,
        terms,
        lists.bm25,
        lists.vector,
        lists.hybrid,
        RECALL_DEPTH,
      );
      const scores = this.ranker.score(candidates);
      lists.ranked = candidates
        .map((c, i) => ({ id: c.id, score: scores[i]!, order: i }))
        .sort((a, b) => b.score - a.score || a.order - b.order)
        .map(({ id, score }) => ({ id, score }));
      timings.ranking = clock() - t;
    }
    return { lists, timings };
  }

  /** The query's vector: the one given (checked, unit length), or null to embed the text. */
  #queryVector(vector: SearchOptions['vector'], mode: SearchMode | undefined): Float32Array | null {
    const dims = this.indexes.vectors.dims;
    if (vector === undefined) {
      if (
        this.indexes.embedder === null &&
        (mode === 'vector' || mode === 'hybrid' || mode === 'ranked')
      )
        throw new QueryError(
          `the vector branch holds precomputed document vectors: pass the query's own vector (vector: ${dims} numbers)`,
        );
      return null;
    }
    if ((!Array.isArray(vector) && !(vector instanceof Float32Array)) || vector.length !== dims)
      throw new QueryError(
        `vector must hold ${dims} numbers, got ${Array.isArray(vector) || vector instanceof Float32Array ? vector.length : typeof vector}`,
      );
    const v = Float32Array.from(vector as ArrayLike<number>);
    if (!v.every(Number.isFinite))
      throw new QueryError('vector holds a value that is not a finite number');
    return normalize(v);
  }

  #bm25(q: string): ScoredId[] {
    const index: InvertedIndex = this.indexes.bm25;
    try {
      return index
        .search(q, { k: RECALL_DEPTH })
        .map((hit) => ({ id: String(hit.id), score: hit.score }));
    } catch (error) {
      if (QuerySyntaxError.isInstance(error))
        throw new QueryError(`query syntax error: ${error.message}`);
      if (InvalidArgumentError.isInstance(error)) throw new QueryError(error.message);
      throw error;
    }
  }

  #hit(hit: ScoredId, i: number, q: string): SearchHit {
    const passage = this.#byId.get(hit.id);
    return {
      id: hit.id,
      rank: i + 1,
      score: hit.score,
      title: passage?.title ?? '',
      snippet: htmlSnippet(this.indexes.bm25, hit.id, q),
    };
  }
}
