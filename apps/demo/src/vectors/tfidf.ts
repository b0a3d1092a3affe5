/**
 * TF-IDF over the same analysis chain as BM25 (@x/inverted-index's
 * `createAnalyzer`: standard tokenizer, possessives, lowercase, Snowball
 * stopwords, Porter stemming), so the lexical and the latent branch see the
 * same terms. Weights: sublinear tf `1 + ln tf`, smoothed idf
 * `ln((1 + N) / (1 + df)) + 1`, each row L2-normalised. The matrix is kept
 * in CSR (compressed sparse rows): `rowStarts[i]..rowStarts[i+1]` index
 * `columns` / `values` of row `i`.
 */

import { type Analyzer, type AnalyzerConfig, createAnalyzer } from '@x/inverted-index';

/** A sparse matrix in compressed sparse rows. */
export interface CsrMatrix {
  rows: number;
  columns: number;
  /** `rows + 1` offsets into `columnIndex` / `values`. */
  rowStarts: Int32Array;
  columnIndex: Int32Array;
  values: Float32Array;
}

/** Options of {@link buildVocabulary}. */
export interface VocabularyOptions {
  /** Terms in fewer documents are dropped (they cannot relate two documents). @default 2 */
  minDocumentFrequency?: number;
  /** At most this many terms, the most frequent (by document frequency) kept. @default 50_000 */
  maxTerms?: number;
}

/** A fitted vocabulary: terms, their column, their idf. */
export interface Vocabulary {
  terms: string[];
  idf: Float32Array;
  lookup: Map<string, number>;
}

/**
 * The analyzer both branches share.
 * @param config - an @x/inverted-index analyzer config (its defaults otherwise)
 * @returns the analyzer
 */
export function lsaAnalyzer(config: AnalyzerConfig = {}): Analyzer {
  return createAnalyzer(config);
}

/**
 * Counts the analyzed terms of one text.
 * @param analyzer - the analysis chain
 * @param text - the text
 * @returns term -> frequency
 */
export function termCounts(analyzer: Analyzer, text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of analyzer.analyze(text).terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/**
 * Chooses the vocabulary and computes idf from analyzed documents.
 * @param documents - term counts per document
 * @param options - minimum document frequency and size cap
 * @returns the vocabulary, terms sorted by decreasing document frequency, then by term
 */
export function buildVocabulary(
  documents: readonly Map<string, number>[],
  options: VocabularyOptions = {},
): Vocabulary {
  const minDf = options.minDocumentFrequency ?? 2;
  const maxTerms = options.maxTerms ?? 50_000;
  const df = new Map<string, number>();
  for (const counts of documents)
    for (const term of counts.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const kept = [...df]
    .filter(([, count]) => count >= minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxTerms);
  const n = documents.length;
  const terms = kept.map(([term]) => term);
  const idf = Float32Array.from(kept, ([, count]) => Math.log((1 + n) / (1 + count)) + 1);
  return { terms, idf, lookup: new Map(terms.map((term, index) => [term, index])) };
}

/**
 * The TF-IDF row of one text: sorted column indexes and L2-normalised weights.
 * @param counts - the text's term counts
 * @param vocabulary - the fitted vocabulary
 * @returns columns (ascending) and weights; empty when no term is in the vocabulary
 */
export function tfidfRow(
  counts: ReadonlyMap<string, number>,
  vocabulary: Pick<Vocabulary, 'idf' | 'lookup'>,
): { columns: Int32Array; weights: Float32Array } {
  const entries: [number, number][] = [];
  let norm = 0;
  for (const [term, tf] of counts) {
    const column = vocabulary.lookup.get(term);
    if (column === undefined) continue;
    const weight = (1 + Math.log(tf)) * vocabulary.idf[column]!;
    entries.push([column, weight]);
    norm += weight * weight;
  }
  entries.sort((a, b) => a[0] - b[0]);
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return {
    columns: Int32Array.from(entries, ([column]) => column),
    weights: Float32Array.from(entries, ([, weight]) => weight * scale),
  };
}

/**
 * Stacks TF-IDF rows into a CSR matrix.
 * @param rows - one row per document
 * @param columns - the vocabulary size
 * @returns the matrix, documents x terms
 */
export function csrFromRows(
  rows: readonly { columns: Int32Array; weights: Float32Array }[],
  columns: number,
): CsrMatrix {
  const rowStarts = new Int32Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++) rowStarts[i + 1] = rowStarts[i]! + rows[i]!.columns.length;
  const nnz = rowStarts[rows.length]!;
  const columnIndex = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  rows.forEach((row, i) => {
    columnIndex.set(row.columns, rowStarts[i]!);
    values.set(row.weights, rowStarts[i]!);
  });
  return { rows: rows.length, columns, rowStarts, columnIndex, values };
}
