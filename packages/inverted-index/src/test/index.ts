/**
 * @x/inverted-index/test: independent references and generators for tests,
 * here and in packages that build on the index. The reference scorer
 * computes BM25F straight from analyzed documents with plain maps, without
 * postings, pruning or any of the index's code paths.
 */

import type { Analyzer } from '../analysis/analyzer.js';

/** Options of {@link referenceScores}. */
export interface ReferenceOptions {
  k1: number;
  /** b per field. */
  b: readonly number[];
  /** BM25F weight per field. */
  weights: readonly number[];
  /** A query term repeated n times counts once (`once`, the index's default) or n times (`sum`). @default 'once' */
  repeatedTerms?: 'once' | 'sum';
}

/**
 * Brute-force BM25F scores of every document for a bag-of-words query.
 * Documents set to `null` count as deleted. The statistics follow the
 * index's definitions: with one field, N counts the documents whose field
 * is not empty and df the documents holding the term in it; with several,
 * N counts the live documents and df those holding the term in any field.
 * A query term repeated n times counts once, or n times with `repeatedTerms: 'sum'`.
 *
 * @param documents - per document, the text of each field (null = deleted)
 * @param analyzer - the analyzer of every field
 * @param query - the query text
 * @param options - k1, b and field weights
 * @returns document index -> score, for the documents that match
 * @example
 * ```ts
 * referenceScores([['a b'], ['b c']], createAnalyzer(), 'b', { k1: 1.2, b: [0.75], weights: [1] });
 * // Map { 0 => 0.18..., 1 => 0.18... }
 * ```
 */
export function referenceScores(
  documents: readonly (readonly string[] | null)[],
  analyzer: Analyzer,
  query: string,
  options: ReferenceOptions,
): Map<number, number> {
  const fieldCount = options.weights.length;
  const analyzed = documents.map((document) =>
    document === null ? null : document.map((text) => analyzer.analyze(text).terms),
  );
  const live = analyzed.filter((document): document is string[][] => document !== null);
  const averages = Array.from({ length: fieldCount }, (_, f) => {
    const nonEmpty = live.filter((document) => document[f]!.length > 0);
    const total = nonEmpty.reduce((sum, document) => sum + document[f]!.length, 0);
    return nonEmpty.length > 0 ? total / nonEmpty.length : 1;
  });
  const queryCounts = new Map<string, number>();
  for (const term of analyzer.analyze(query).terms) {
    const repeat = options.repeatedTerms === 'sum' ? (queryCounts.get(term) ?? 0) : 0;
    queryCounts.set(term, repeat + 1);
  }
  const scores = new Map<number, number>();
  for (const [term, count] of queryCounts) {
    let docCount: number;
    let docFreq: number;
    if (fieldCount === 1) {
      docCount = live.filter((document) => document[0]!.length > 0).length;
      docFreq = live.filter((document) => document[0]!.includes(term)).length;
    } else {
      docCount = live.length;
      docFreq = live.filter((document) => document.some((terms) => terms.includes(term))).length;
    }
    if (docFreq === 0) continue;
    const idf = Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));
    analyzed.forEach((document, index) => {
      if (document === null) return;
      let normalized = 0;
      for (let f = 0; f < fieldCount; f++) {
        const terms = document[f]!;
        const freq = terms.filter((t) => t === term).length;
        if (freq === 0) continue;
        const b = options.b[f]!;
        normalized += (options.weights[f]! * freq) / (1 - b + (b * terms.length) / averages[f]!);
      }
      if (normalized === 0) return;
      const score = (count * idf * normalized) / (options.k1 + normalized);
      scores.set(index, (scores.get(index) ?? 0) + score);
    });
  }
  return scores;
}

/**
 * A small seeded PRNG (mulberry32), so generated corpora are reproducible.
 * @param seed - any 32-bit integer
 * @returns a function returning floats in [0, 1)
 * @example
 * ```ts
 * const random = seededRandom(42); random(); // 0.6011037519201636
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random texts over a vocabulary with a Zipf-like word distribution, so some
 * words are frequent (long postings, several blocks) and most are rare.
 * @param random - a PRNG
 * @param count - number of texts
 * @param vocabulary - the words
 * @param maxLength - the longest text in words
 * @returns the texts
 * @example
 * ```ts
 * randomTexts(seededRandom(1), 2, ['alpha', 'beta'], 5); // ['beta alpha alpha', 'alpha']
 * ```
 */
export function randomTexts(
  random: () => number,
  count: number,
  vocabulary: readonly string[],
  maxLength: number,
): string[] {
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = Math.floor(random() * maxLength);
    const words: string[] = [];
    for (let w = 0; w < length; w++) {
      const rank = Math.floor(vocabulary.length ** random()) - 1;
      words.push(vocabulary[Math.min(vocabulary.length - 1, Math.max(0, rank))]!);
    }
    texts.push(words.join(' '));
  }
  return texts;
}

/**
 * The top k of a score map, best first, ties by lower index.
 * @param scores - index -> score
 * @param k - how many
 * @returns [index, score] pairs
 * @example
 * ```ts
 * topOf(new Map([[0, 1], [1, 2]]), 1); // [[1, 2]]
 * ```
 */
export function topOf(scores: ReadonlyMap<number, number>, k: number): [number, number][] {
  return [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
}
