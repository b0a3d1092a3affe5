/**
 * The ranker's candidates, built the same way for training, evaluation and the
 * pipeline: each passage of the fused list with its place in each recall list and how
 * it matches the query (distinct query terms in its title, share of the query's terms
 * and of their idf mass in the passage, its length in tokens).
 */
import type { Analyzer } from '@x/inverted-index';
import type { ScoredId } from '../fusion/types.js';
import type { BranchHit, Candidate } from './features.js';

/** A passage's analysed terms. */
export interface DocumentTerms {
  title: Set<string>;
  all: Set<string>;
  /** Title and text tokens. */
  length: number;
}

/** The corpus's analysed terms and document frequencies, for the match features. */
export interface CorpusTerms {
  documents: Map<string, DocumentTerms>;
  /** Document frequency of every analysed term (title and text). */
  documentFrequency: Map<string, number>;
}

/**
 * Analyses a corpus for the match features.
 * @param docs - the passages (id, title, text)
 * @param analyzer - the BM25 index's analyzer
 * @returns their terms and the document frequencies
 */
export function corpusTerms(
  docs: Iterable<{ id: string; title: string; text: string }>,
  analyzer: Analyzer,
): CorpusTerms {
  const documents = new Map<string, DocumentTerms>();
  for (const doc of docs) {
    const title = analyzer.analyze(doc.title).terms;
    const text = analyzer.analyze(doc.text).terms;
    documents.set(doc.id, {
      title: new Set(title),
      all: new Set([...title, ...text]),
      length: title.length + text.length,
    });
  }
  const documentFrequency = new Map<string, number>();
  for (const doc of documents.values())
    for (const term of doc.all) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  return { documents, documentFrequency };
}

function hits(list: readonly ScoredId[]): Map<string, BranchHit> {
  return new Map(list.map((hit, i) => [hit.id, { score: hit.score, rank: i + 1 }]));
}

/**
 * The candidates of one query: the fused top `depth` with their features' inputs.
 * @param corpus - the corpus's terms
 * @param terms - the query's distinct analysed terms
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
  const idf = terms.map((term) => {
    const df = corpus.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  });
  const idfTotal = idf.reduce((sum, x) => sum + x, 0);
  const bm25Hits = hits(bm25);
  const vectorHits = hits(vector);
  return fused.slice(0, depth).map((hit, i) => {
    const doc = corpus.documents.get(hit.id);
    let title = 0;
    let overlap = 0;
    let idfOverlap = 0;
    terms.forEach((term, t) => {
      if (doc?.title.has(term)) title++;
      if (doc?.all.has(term)) {
        overlap++;
        idfOverlap += idf[t]!;
      }
    });
    return {
      id: hit.id,
      bm25: bm25Hits.get(hit.id),
      vector: vectorHits.get(hit.id),
      fused: { score: hit.score, rank: i + 1 },
      fieldMatches: title,
      termOverlap: terms.length > 0 ? overlap / terms.length : 0,
      length: doc?.length ?? 0,
      queryTerms: terms.length,
      idfOverlap: idfTotal > 0 ? idfOverlap / idfTotal : 0,
    };
  });
}
