/**
 * The evaluation's retrieval core, shared by `scripts/eval.ts`,
 * `scripts/train-ranker.ts` and the tests: index a corpus twice (BM25F over
 * title and text with @x/inverted-index; LSA vectors in an HNSW graph),
 * then, per query, the BM25 list, the vector list, both fusions, and the
 * fused top `depth` as ranker candidates with their features.
 */

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Analyzer, createAnalyzer, InvertedIndex } from '@x/inverted-index';
import { reciprocalRankFusion } from '../fusion/rrf.js';
import type { ScoredId } from '../fusion/types.js';
import { weightedFusion } from '../fusion/weighted.js';
import { type CorpusTerms, candidatesOf, corpusTerms } from '../ranker/candidates.js';
import type { Candidate } from '../ranker/features.js';
import type { Ranker } from '../ranker/model.js';
import { VectorIndex } from '../vectors/index.js';
import { Lsa } from '../vectors/lsa.js';

/** A document of the evaluated corpus. */
export interface EvalDocument {
  id: string;
  title: string;
  text: string;
}

/** A query of the evaluated corpus. */
export interface EvalQueryText {
  id: string;
  text: string;
}

/** What the candidate features need of a document. */

/** Wall times of the indexing steps, in milliseconds. */
export interface BuildTimings {
  bm25: number;
  lsaFit: number;
  /** True when the LSA model came from the cache (lsaFit is then the load time). */
  lsaCached: boolean;
  embed: number;
  hnsw: number;
}

/** Both indexes of a corpus, and what the features need. */
export interface RetrievalSystems {
  bm25: InvertedIndex;
  lsa: Lsa;
  vectors: VectorIndex;
  analyzer: Analyzer;
  documents: CorpusTerms['documents'];
  /** Document frequency of every analyzed term (title and text). */
  documentFrequency: CorpusTerms['documentFrequency'];
  /** Mean passage length in tokens (title and text). */
  averageLength: number;
  timings: BuildTimings;
}

/** Options of {@link buildSystems}. */
export interface BuildOptions {
  /** LSA dimensions. @default 192 */
  dims?: number;
  /** LSA seed. @default 1 */
  seed?: number;
  /** A folder to keep fitted LSA models in, keyed by corpus and settings (skips refitting). */
  cacheDir?: string;
  /** HNSW M and efConstruction. */
  M?: number;
  efConstruction?: number;
  /** Progress per stage: `bm25`, `lsa`, `embed`, `hnsw`. */
  onProgress?: (stage: 'bm25' | 'lsa' | 'embed' | 'hnsw', done: number, total: number) => void;
}

/** The text LSA sees of a document. */
export function documentText(doc: EvalDocument): string {
  return doc.title ? `${doc.title} ${doc.text}` : doc.text;
}

function fitOrLoadLsa(
  corpus: readonly EvalDocument[],
  options: BuildOptions,
): { lsa: Lsa; cached: boolean } {
  const dims = options.dims ?? 192;
  const seed = options.seed ?? 1;
  const texts = corpus.map(documentText);
  const fit = () =>
    Lsa.fit(texts, {
      dims,
      seed,
      onProgress: (done, total) => options.onProgress?.('lsa', done, total),
    });
  if (!options.cacheDir) return { lsa: fit(), cached: false };
  const hash = createHash('sha256');
  for (const doc of corpus) hash.update(doc.id).update('\0').update(documentText(doc)).update('\0');
  const file = join(
    options.cacheDir,
    `lsa-${hash.digest('hex').slice(0, 16)}-d${dims}-s${seed}.bin`,
  );
  if (existsSync(file)) {
    try {
      return { lsa: Lsa.fromBytes(readFileSync(file)), cached: true };
    } catch {
      // a stale or damaged cache entry: refit below
    }
  }
  const lsa = fit();
  mkdirSync(options.cacheDir, { recursive: true });
  writeFileSync(file, lsa.toBytes());
  return { lsa, cached: false };
}

/**
 * Indexes a corpus for both branches.
 * @param corpus - the documents
 * @param options - LSA dims / seed / cache, HNSW settings, progress
 * @returns the indexes and their build times
 */
export function buildSystems(
  corpus: readonly EvalDocument[],
  options: BuildOptions = {},
): RetrievalSystems {
  const analyzer = createAnalyzer();
  let start = performance.now();
  const bm25 = new InvertedIndex({ fields: ['title', 'text'] });
  corpus.forEach((doc, i) => {
    bm25.add({ id: doc.id, title: doc.title, text: doc.text });
    if ((i + 1) % 100 === 0 || i + 1 === corpus.length)
      options.onProgress?.('bm25', i + 1, corpus.length);
  });
  const { documents, documentFrequency, averageLength } = corpusTerms(corpus, analyzer);
  const bm25Ms = performance.now() - start;
  start = performance.now();
  const { lsa, cached } = fitOrLoadLsa(corpus, options);
  const lsaMs = performance.now() - start;
  start = performance.now();
  // fold-in for every document (equal to the fit's U Σ rows up to the sketch's error), so a
  // cached model and a fresh fit give the same vectors, as the pipeline's embedAll does
  const vectors = lsa.embedAll(corpus.map(documentText));
  options.onProgress?.('embed', corpus.length, corpus.length);
  const embedMs = performance.now() - start;
  start = performance.now();
  const index = VectorIndex.build(
    vectors,
    corpus.map((doc) => doc.id),
    {
      M: options.M,
      efConstruction: options.efConstruction,
      onProgress: (done, total) => options.onProgress?.('hnsw', done, total),
    },
  );
  const hnswMs = performance.now() - start;
  return {
    bm25,
    lsa,
    vectors: index,
    analyzer,
    documents,
    documentFrequency,
    averageLength,
    timings: { bm25: bm25Ms, lsaFit: lsaMs, lsaCached: cached, embed: embedMs, hnsw: hnswMs },
  };
}

/** Every list of one query. */
export interface QueryLists {
  bm25: ScoredId[];
  vector: ScoredId[];
  rrf: ScoredId[];
  weighted: ScoredId[];
  /** The fused (RRF) top `depth`, with features, in fused order. */
  candidates: Candidate[];
}

/** Options of {@link runRetrieval}. */
export interface RetrievalOptions {
  /** Depth of each branch, of the fused lists and of the candidates. @default 100 */
  depth?: number;
  /** RRF's k. @default 60 */
  rrfK?: number;
  /** Weighted fusion's [bm25, vector] weights. @default [0.5, 0.5] */
  weights?: [number, number];
  /**
   * How deep each branch is searched for the candidates' features (a
   * candidate the other branch found still gets its rank and score here,
   * down to this depth). @default depth (the candidates then carry what the pipeline sees)
   */
  featureDepth?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Runs both branches, both fusions and the candidate features for each query.
 * @param systems - from {@link buildSystems}
 * @param queries - the queries
 * @param options - depth (100), RRF k, weights, progress
 * @returns query id -> its lists
 */
export function runRetrieval(
  systems: RetrievalSystems,
  queries: readonly EvalQueryText[],
  options: RetrievalOptions = {},
): Map<string, QueryLists> {
  const depth = options.depth ?? 100;
  const featureDepth = Math.max(depth, options.featureDepth ?? depth);
  const out = new Map<string, QueryLists>();
  queries.forEach((query, i) => {
    const bm25Deep = systems.bm25
      .search(query.text, { k: featureDepth, syntax: 'plain' })
      .map((hit) => ({ id: String(hit.id), score: hit.score }));
    const vectorDeep = systems.vectors.search(systems.lsa.embed(query.text), featureDepth);
    const bm25 = bm25Deep.slice(0, depth);
    const vector = vectorDeep.slice(0, depth);
    const rrf = reciprocalRankFusion([bm25, vector], { k: options.rrfK }).slice(0, depth);
    const weighted = weightedFusion([bm25, vector], { weights: options.weights }).slice(0, depth);
    const terms = [...new Set(systems.analyzer.analyze(query.text).terms)];
    const candidates = candidatesOf(systems, terms, bm25Deep, vectorDeep, rrf, depth);
    out.set(query.id, { bm25, vector, rrf, weighted, candidates });
    options.onProgress?.(i + 1, queries.length);
  });
  return out;
}

/**
 * Orders candidates by the ranker's scores (ties keep the fused order).
 * @param ranker - the model
 * @param candidates - one query's candidates
 * @returns the re-ranked list
 */
export function rankCandidates(ranker: Ranker, candidates: readonly Candidate[]): ScoredId[] {
  const scores = ranker.score(candidates);
  return candidates
    .map((c, i) => ({ id: c.id, score: scores[i]!, order: i }))
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ id, score }) => ({ id, score }));
}
