/**
 * The ranker's candidates: each passage of the fused list with its place in each
 * recall list and how it matches the query (terms in the title field, share of the
 * query's terms in the passage, length in tokens).
 */
import type { Passage } from '../corpus/passage.js';
import type { ScoredId } from '../fusion/index.js';
import type { Candidate } from '../ranker/features.js';
import { textTerms } from './query-terms.js';

interface PassageTerms {
  title: Set<string>;
  all: Set<string>;
  length: number;
}

/** Term sets of passages, computed once per passage and kept. */
export class PassageTermCache {
  readonly #terms = new Map<string, PassageTerms>();

  /** @param passages - the corpus, by id */
  constructor(private readonly passages: ReadonlyMap<string, Passage>) {}

  /**
   * @param id - a passage id
   * @returns its title terms, all its terms, and its length in tokens
   */
  get(id: string): PassageTerms {
    let terms = this.#terms.get(id);
    if (!terms) {
      const passage = this.passages.get(id);
      const title = textTerms(passage?.title ?? '');
      const text = textTerms(passage?.text ?? '');
      terms = { title: new Set(title), all: new Set([...title, ...text]), length: text.length };
      this.#terms.set(id, terms);
    }
    return terms;
  }
}

/**
 * Candidates of the fused list.
 * @param fused - the fused list, best first
 * @param bm25 - the BM25 list
 * @param vector - the vector list
 * @param terms - the query's analysed terms
 * @param cache - passage terms
 * @returns one candidate per fused entry, in the fused order
 */
export function buildCandidates(
  fused: readonly ScoredId[],
  bm25: readonly ScoredId[],
  vector: readonly ScoredId[],
  terms: readonly string[],
  cache: PassageTermCache,
): Candidate[] {
  const place = (list: readonly ScoredId[]) =>
    new Map(list.map((hit, i) => [hit.id, { score: hit.score, rank: i + 1 }]));
  const inBm25 = place(bm25);
  const inVector = place(vector);
  return fused.map((hit, i) => {
    const passage = cache.get(hit.id);
    const matched = terms.filter((t) => passage.all.has(t)).length;
    return {
      id: hit.id,
      bm25: inBm25.get(hit.id),
      vector: inVector.get(hit.id),
      fused: { score: hit.score, rank: i + 1 },
      fieldMatches: terms.filter((t) => passage.title.has(t)).length,
      termOverlap: terms.length === 0 ? 0 : matched / terms.length,
      length: passage.length,
    };
  });
}
