/**
 * The full-text branch: a BM25F index over each passage's title and text
 * (@x/inverted-index, Snowball stopwords and Porter stemming by default),
 * with both fields stored for snippets.
 */
import { type IndexDocument, InvertedIndex } from '@x/inverted-index';
import type { Passage } from '../corpus/passage.js';

/**
 * BM25F field weights (title = speaker / document title): equal, the library's default,
 * as the ranker was trained with (`src/eval/retrieval.ts`).
 */
export const FIELD_BOOSTS = { title: 1, text: 1 } as const;

/** The index's options (also used to load a snapshot). */
export const BM25_OPTIONS = {
  fields: ['title', 'text'],
  storeFields: ['title', 'text'],
  boost: { ...FIELD_BOOSTS },
};

/**
 * Indexes passages for BM25.
 * @param passages - the corpus
 * @param onProgress - called after each batch with (done, total)
 * @returns the index
 */
export function buildBm25(
  passages: readonly Passage[],
  onProgress?: (done: number, total: number) => void,
): InvertedIndex {
  const index = new InvertedIndex(BM25_OPTIONS);
  const batch = 512;
  for (let start = 0; start < passages.length; start += batch) {
    index.addAll(
      passages
        .slice(start, start + batch)
        .map((p): IndexDocument => ({ id: p.id, title: p.title, text: p.text })),
    );
    onProgress?.(Math.min(start + batch, passages.length), passages.length);
  }
  return index;
}
