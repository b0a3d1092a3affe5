/**
 * What the learned ranker sees of a candidate. Every feature is
 * corpus-independent by design: ranks, scores relative to the best of the
 * same list (BM25's scale depends on the corpus's idf and lengths, so raw
 * BM25 scores are not used), cosine similarities (bounded), fractions and
 * logs of counts. A model trained on SciFact can therefore rank any
 * corpus's candidates, at the accuracy the features carry across.
 */

/** A recall branch's view of one candidate. */
export interface BranchHit {
  score: number;
  /** 1-based rank in the branch's list. */
  rank: number;
}

/** One candidate of the fused list, as the ranker scores it. */
export interface Candidate {
  id: string;
  /** Its BM25 hit, when BM25 recalled it. */
  bm25?: BranchHit;
  /** Its vector hit, when the vector branch recalled it. */
  vector?: BranchHit;
  /** Its place in the fused list. */
  fused: BranchHit;
  /** Distinct query terms matched in the title field. */
  fieldMatches: number;
  /** Fraction of the distinct query terms present in the passage (title and text), 0..1. */
  termOverlap: number;
  /** Passage length in analyzed tokens. */
  length: number;
  /** Distinct analyzed query terms (absent: the feature takes 1). */
  queryTerms?: number;
  /**
   * Share of the query's idf mass (BM25's idf of each distinct query term)
   * present in the passage, 0..1 (absent: `termOverlap` stands in).
   */
  idfOverlap?: number;
  /** Share of the query's idf mass in the title, 0..1 (absent: 0). */
  titleIdfOverlap?: number;
  /** Share of the query's idf mass in the text's first sentence, 0..1 (absent: 0). */
  leadIdfOverlap?: number;
  /**
   * Query bigrams (consecutive distinct query terms) found in order and adjacent in
   * the passage's analysed tokens (absent: 0).
   */
  bigramMatches?: number;
  /** Their share of the query bigrams' idf mass (idf of both terms), 0..1 (absent: 0). */
  bigramIdfShare?: number;
  /** Distinct query terms present in the passage (absent: 0). */
  matchedTerms?: number;
  /**
   * Length in tokens of the smallest window holding every matched query term
   * (0 when none matched; absent: 0).
   */
  span?: number;
  /** BM25 of title + text as one field, k1 1.2 / b 0.75 (absent: 0). */
  bm25Lucene?: number;
  /** The same with Anserini's k1 0.9 / b 0.4 (absent: 0). */
  bm25Anserini?: number;
}

/** The best score of each list among a query's candidates (for relative scores). */
export interface CandidateContext {
  maxBm25: number;
  maxVector: number;
  maxFused: number;
  /** Best one-field BM25 scores (0 when absent). */
  maxBm25Lucene?: number;
  maxBm25Anserini?: number;
}

/** The rank given to a candidate a branch did not recall. */
export const MISSING_RANK = 1000;

/** Feature names, in the order of {@link candidateFeatures}. */
export const FEATURE_NAMES = [
  'bm25.present',
  'bm25.logRank',
  'bm25.relativeScore',
  'vector.present',
  'vector.logRank',
  'vector.cosine',
  'vector.cosineGap',
  'fused.logRank',
  'fused.relativeScore',
  'title.logMatches',
  'termOverlap',
  'logLength',
  'query.logTerms',
  'idfOverlap',
  'title.idfOverlap',
  'lead.idfOverlap',
  'bigram.logMatches',
  'bigram.idfShare',
  'span.inverse',
  'span.logLength',
  'bm25Lucene.relativeScore',
  'bm25Anserini.relativeScore',
] as const;

/** One of {@link FEATURE_NAMES}. */
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** The features of the ranker before the proximity and field features (the first 14). */
export const BASE_FEATURES: readonly FeatureName[] = FEATURE_NAMES.slice(0, 14);

/**
 * The best score of each branch among candidates.
 * @param candidates - one query's candidates
 * @returns the maxima (0 where no candidate has the branch)
 */
export function candidateContext(candidates: readonly Candidate[]): CandidateContext {
  let maxBm25 = 0;
  let maxVector = 0;
  let maxFused = 0;
  let maxBm25Lucene = 0;
  let maxBm25Anserini = 0;
  for (const c of candidates) {
    if (c.bm25 && c.bm25.score > maxBm25) maxBm25 = c.bm25.score;
    if (c.vector && c.vector.score > maxVector) maxVector = c.vector.score;
    if (c.fused.score > maxFused) maxFused = c.fused.score;
    maxBm25Lucene = Math.max(maxBm25Lucene, c.bm25Lucene ?? 0);
    maxBm25Anserini = Math.max(maxBm25Anserini, c.bm25Anserini ?? 0);
  }
  return { maxBm25, maxVector, maxFused, maxBm25Lucene, maxBm25Anserini };
}

/**
 * The feature vector of one candidate. Missing branch ranks take
 * {@link MISSING_RANK} and an indicator 0; ranks and counts are log
 * transformed (their effect flattens down a list); scores are divided by
 * the list's best so they mean the same on any corpus.
 * @param c - the candidate
 * @param context - the maxima of its query's candidates (from {@link candidateContext});
 *   omitted, scores are taken relative to themselves (1 when present)
 * @returns `FEATURE_NAMES.length` values
 * @example
 * ```ts
 * candidateFeatures({ id: 'd', bm25: { score: 12, rank: 1 }, fused: { score: 0.03, rank: 1 },
 *   fieldMatches: 2, termOverlap: 0.5, length: 180 }).length; // 22
 * ```
 */
export function candidateFeatures(c: Candidate, context?: CandidateContext): Float32Array {
  const relative = (score: number, max: number | undefined) =>
    max === undefined ? 1 : max > 0 ? score / max : 0;
  const bm25Rank = c.bm25?.rank ?? MISSING_RANK;
  const vectorRank = c.vector?.rank ?? MISSING_RANK;
  const cosine = c.vector?.score ?? 0;
  const matched = c.matchedTerms ?? 0;
  const span = c.span ?? 0;
  return Float32Array.of(
    c.bm25 ? 1 : 0,
    Math.log(bm25Rank),
    c.bm25 ? relative(c.bm25.score, context?.maxBm25) : 0,
    c.vector ? 1 : 0,
    Math.log(vectorRank),
    cosine,
    c.vector ? cosine - (context?.maxVector ?? cosine) : -1,
    Math.log(c.fused.rank),
    relative(c.fused.score, context?.maxFused),
    Math.log1p(c.fieldMatches),
    c.termOverlap,
    Math.log1p(c.length),
    Math.log(Math.max(1, c.queryTerms ?? 1)),
    c.idfOverlap ?? c.termOverlap,
    c.titleIdfOverlap ?? 0,
    c.leadIdfOverlap ?? 0,
    Math.log1p(c.bigramMatches ?? 0),
    c.bigramIdfShare ?? 0,
    // 1 when the matched terms stand together, falling as other tokens come between
    matched > 0 ? 1 / (1 + span - matched) : 0,
    Math.log1p(span),
    relative(c.bm25Lucene ?? 0, context?.maxBm25Lucene ?? c.bm25Lucene ?? 0),
    relative(c.bm25Anserini ?? 0, context?.maxBm25Anserini ?? c.bm25Anserini ?? 0),
  );
}
