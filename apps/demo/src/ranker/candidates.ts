/**
 * The ranker's candidates, built the same way for training, evaluation and the
 * pipeline: each passage of the fused list with its place in each recall list and how
 * it matches the query (distinct query terms in its title, share of the query's terms
 * and of their idf mass in the passage, in its title and in its first sentence, its
 * length in tokens, ordered query bigrams found adjacent, the smallest window holding
 * every matched query term, and BM25 of title + text as one field with Lucene's and
 * Anserini's k1 / b).
 */
import type { Analyzer } from '@x/inverted-index';
import type { ScoredId } from '../fusion/types.js';
import type { BranchHit, Candidate } from './features.js';

/** A passage's analysed terms. */
export interface DocumentTerms {
  title: Set<string>;
  all: Set<string>;
  /** Terms of the text's first sentence. */
  lead: Set<string>;
  /**
   * Positions of each term in the analysed token sequence of title then text (the
   * text starts one position after the title's end, so no bigram spans the two).
   */
  positions: Map<string, number[]>;
  /** Title and text tokens. */
  length: number;
}

/** The corpus's analysed terms and document frequencies, for the match features. */
export interface CorpusTerms {
  documents: Map<string, DocumentTerms>;
  /** Document frequency of every analysed term (title and text). */
  documentFrequency: Map<string, number>;
  /** Mean passage length in tokens (title and text), for BM25's length norm. */
  averageLength: number;
}

/** BM25's saturation and length norm: Lucene's defaults and Anserini's. */
export const BM25_LUCENE = { k1: 1.2, b: 0.75 } as const;
export const BM25_ANSERINI = { k1: 0.9, b: 0.4 } as const;

/**
 * The first sentence of a text: up to the first `.`, `!` or `?` followed by white space.
 * @param text - a passage's text
 * @returns its first sentence (the whole text when it has one sentence)
 */
export function firstSentence(text: string): string {
  const end = text.search(/[.!?](\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}

/**
 * Analyses a corpus for the match features.
 * @param docs - the passages (id, title, text)
 * @param analyzer - the BM25 index's analyzer
 * @returns their terms, positions and the document frequencies
 */
export function corpusTerms(
  docs: Iterable<{ id: string; title: string; text: string }>,
  analyzer: Analyzer,
): CorpusTerms {
  const documents = new Map<string, DocumentTerms>();
  let totalLength = 0;
  for (const doc of docs) {
    const title = analyzer.analyze(doc.title).terms;
    const text = analyzer.analyze(doc.text).terms;
    const positions = new Map<string, number[]>();
    const add = (term: string, at: number) => {
      const list = positions.get(term);
      if (list) list.push(at);
      else positions.set(term, [at]);
    };
    title.forEach((term, i) => add(term, i));
    const offset = title.length + 1;
    text.forEach((term, i) => add(term, offset + i));
    documents.set(doc.id, {
      title: new Set(title),
      all: new Set(positions.keys()),
      lead: new Set(analyzer.analyze(firstSentence(doc.text)).terms),
      positions,
      length: title.length + text.length,
    });
    totalLength += title.length + text.length;
  }
  const documentFrequency = new Map<string, number>();
  for (const doc of documents.values())
    for (const term of doc.all) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  return {
    documents,
    documentFrequency,
    averageLength: documents.size > 0 ? totalLength / documents.size : 0,
  };
}

/** BM25's (Lucene's) idf of a term in `df` of `n` documents. */
function idfOf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

function hits(list: readonly ScoredId[]): Map<string, BranchHit> {
  return new Map(list.map((hit, i) => [hit.id, { score: hit.score, rank: i + 1 }]));
}

/**
 * The smallest window (in token positions, first to last inclusive) that holds at
 * least one occurrence of each of the given terms' position lists.
 * @param lists - one sorted position list per term (each non-empty)
 * @returns the window's length (0 for no lists)
 */
export function smallestWindow(lists: readonly (readonly number[])[]): number {
  const m = lists.length;
  if (m <= 1) return m;
  // every occurrence as one number, position * m + term, sorted (a typed array sorts numerically)
  let total = 0;
  for (const list of lists) total += list.length;
  const events = new Float64Array(total);
  let k = 0;
  lists.forEach((list, t) => {
    for (const at of list) events[k++] = at * m + t;
  });
  events.sort();
  const inside = new Int32Array(m);
  let covered = 0;
  let best = Number.POSITIVE_INFINITY;
  let left = 0;
  for (const event of events) {
    const t = event % m;
    if (inside[t] === 0) covered++;
    inside[t]!++;
    while (covered === m) {
      const first = events[left]!;
      best = Math.min(best, Math.floor(event / m) - Math.floor(first / m) + 1);
      const u = first % m;
      inside[u]!--;
      if (inside[u] === 0) covered--;
      left++;
    }
  }
  return best;
}

/** Whether some position of `a` is directly followed by one of `b`. */
function adjacent(a: readonly number[], b: readonly number[]): boolean {
  let j = 0;
  for (const at of a) {
    while (j < b.length && b[j]! < at + 1) j++;
    if (j < b.length && b[j] === at + 1) return true;
  }
  return false;
}

/**
 * The candidates of one query: the fused top `depth` with their features' inputs.
 * @param corpus - the corpus's terms
 * @param terms - the query's distinct analysed terms, in order of first occurrence
 *   (consecutive ones are the query's bigrams)
 * @param bm25 - the BM25 list
 * @param vector - the vector list
 * @param fused - the fused list
 * @param depth - how many fused entries become candidates
 * @returns the candidates, in fused order
 */
export function candidatesOf(
  corpus: CorpusTerms,
  terms: readonly string[],
  bm25: readonly ScoredId[],
  vector: readonly ScoredId[],
  fused: readonly ScoredId[],
  depth: number,
): Candidate[] {
  const n = corpus.documents.size;
  const idf = terms.map((term) => idfOf(n, corpus.documentFrequency.get(term) ?? 0));
  const idfTotal = idf.reduce((sum, x) => sum + x, 0);
  let bigramTotal = 0;
  for (let t = 0; t + 1 < terms.length; t++) bigramTotal += idf[t]! + idf[t + 1]!;
  const share = (x: number, total: number) => (total > 0 ? x / total : 0);
  const bm25Hits = hits(bm25);
  const vectorHits = hits(vector);
  const averageLength = corpus.averageLength || 1;
  return fused.slice(0, depth).map((hit, i) => {
    const doc = corpus.documents.get(hit.id);
    let title = 0;
    let titleIdf = 0;
    let leadIdf = 0;
    let overlap = 0;
    let idfOverlap = 0;
    let lucene = 0;
    let anserini = 0;
    let bigrams = 0;
    let bigramIdf = 0;
    const matched: number[][] = [];
    const length = doc?.length ?? 0;
    const norm = (p: { k1: number; b: number }) =>
      p.k1 * (1 - p.b + (p.b * length) / averageLength);
    const luceneNorm = norm(BM25_LUCENE);
    const anseriniNorm = norm(BM25_ANSERINI);
    terms.forEach((term, t) => {
      const at = doc?.positions.get(term);
      if (!doc || !at) return;
      if (doc.title.has(term)) {
        title++;
        titleIdf += idf[t]!;
      }
      if (doc.lead.has(term)) leadIdf += idf[t]!;
      overlap++;
      idfOverlap += idf[t]!;
      matched.push(at);
      const tf = at.length;
      lucene += (idf[t]! * tf * (BM25_LUCENE.k1 + 1)) / (tf + luceneNorm);
      anserini += (idf[t]! * tf * (BM25_ANSERINI.k1 + 1)) / (tf + anseriniNorm);
      const next = t + 1 < terms.length ? doc.positions.get(terms[t + 1]!) : undefined;
      if (next && adjacent(at, next)) {
        bigrams++;
        bigramIdf += idf[t]! + idf[t + 1]!;
      }
    });
    return {
      id: hit.id,
      bm25: bm25Hits.get(hit.id),
      vector: vectorHits.get(hit.id),
      fused: { score: hit.score, rank: i + 1 },
      fieldMatches: title,
      termOverlap: terms.length > 0 ? overlap / terms.length : 0,
      length,
      queryTerms: terms.length,
      idfOverlap: share(idfOverlap, idfTotal),
      titleIdfOverlap: share(titleIdf, idfTotal),
      leadIdfOverlap: share(leadIdf, idfTotal),
      bigramMatches: bigrams,
      bigramIdfShare: share(bigramIdf, bigramTotal),
      matchedTerms: overlap,
      span: smallestWindow(matched),
      bm25Lucene: lucene,
      bm25Anserini: anserini,
    };
  });
}
