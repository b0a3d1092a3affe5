/**
 * Latent semantic analysis (Deerwester et al. 1990) for the vector branch:
 * TF-IDF rows (`tfidf.ts`) reduced by a randomized truncated SVD
 * (`svd.ts`, Halko et al. 2011) to `dims` latent dimensions.
 *
 * Document vectors are the rows of `U Σ`, normalised. A new text is folded
 * in: its TF-IDF row `q` maps to `q V Σ⁻¹` (its coordinates in `U`'s space),
 * scaled back by `Σ` to the documents' space (`U Σ`) and normalised; since
 * `A V = U Σ`, the fold-in of a training document is its own row, so queries
 * and documents compare by cosine on one scale. What is stored, and all an
 * embedding needs, is the vocabulary, its idf and `V` (`[terms, dims]`).
 */

import type { Analyzer, AnalyzerConfig } from '@x/inverted-index';
import { decodeLsa, encodeLsa } from './lsa-format.js';
import { randomizedSvd } from './svd.js';
import {
  buildVocabulary,
  csrFromRows,
  lsaAnalyzer,
  termCounts,
  tfidfRow,
  type Vocabulary,
} from './tfidf.js';

/** Options of {@link Lsa.fit}. */
export interface LsaFitOptions {
  /** Latent dimensions (the SVD's rank). @default 192 */
  dims?: number;
  /** Seed of the randomized SVD's sketch. @default 1 */
  seed?: number;
  /** Progress over the fit's steps (analysis, then the SVD's products). */
  onProgress?: (done: number, total: number) => void;
  /** Extra sketch columns (Halko et al.'s `p`). @default 10 */
  oversampling?: number;
  /** Power iterations (Halko et al.'s `q`). @default 2 */
  powerIterations?: number;
  /** Terms in fewer documents are dropped. @default 2 */
  minDocumentFrequency?: number;
  /** Vocabulary cap (most frequent terms kept). @default 50_000 */
  maxTerms?: number;
  /** The analysis chain, as @x/inverted-index configures it. @default its defaults (the BM25 index's) */
  analyzer?: AnalyzerConfig;
}

/** The fitted parts of an LSA model. */
export interface LsaModel {
  dims: number;
  analyzer: AnalyzerConfig;
  terms: string[];
  idf: Float32Array;
  singularValues: Float64Array;
  /** `V`, `[terms, dims]` row-major. */
  projection: Float32Array;
}

function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
  }
  return vector;
}

/** An LSA model: fit on a corpus, embed any text into its latent space. */
export class Lsa {
  /** Latent dimensions of every embedding. */
  readonly dims: number;
  /** The training documents' vectors (`U Σ` rows, normalised); `null` for a model read from bytes. */
  readonly documentVectors: Float32Array[] | null;
  private readonly analyzer: Analyzer;
  private readonly vocabulary: Vocabulary;

  private constructor(
    private readonly model: LsaModel,
    documentVectors: Float32Array[] | null,
  ) {
    this.dims = model.dims;
    this.documentVectors = documentVectors;
    this.analyzer = lsaAnalyzer(model.analyzer);
    this.vocabulary = {
      terms: model.terms,
      idf: model.idf,
      lookup: new Map(model.terms.map((term, index) => [term, index])),
    };
  }

  /**
   * Fits TF-IDF and a `dims`-dimensional randomized SVD on a corpus.
   * @param texts - one text per document
   * @param options - dims (192), seed, progress, SVD and vocabulary settings
   * @returns the model; its `documentVectors` are the texts' embeddings
   * @throws RangeError when no term occurs in two documents (nothing to relate)
   * @example
   * ```ts
   * const lsa = Lsa.fit(texts, { dims: 64 });
   * lsa.embed('vitamin d and fractures').length; // 64
   * ```
   */
  static fit(texts: readonly string[], options: LsaFitOptions = {}): Lsa {
    const analyzerConfig = options.analyzer ?? {};
    const analyzer = lsaAnalyzer(analyzerConfig);
    const counts = texts.map((text) => termCounts(analyzer, text));
    const vocabulary = buildVocabulary(counts, options);
    if (vocabulary.terms.length === 0) {
      throw new RangeError(
        `Lsa.fit: no term occurs in ${options.minDocumentFrequency ?? 2} of the ${texts.length} texts`,
      );
    }
    const matrix = csrFromRows(
      counts.map((c) => tfidfRow(c, vocabulary)),
      vocabulary.terms.length,
    );
    const powerIterations = options.powerIterations ?? 2;
    const total = 1 + 3 + 2 * powerIterations;
    options.onProgress?.(1, total);
    const svd = randomizedSvd(matrix, options.dims ?? 192, {
      oversampling: options.oversampling,
      powerIterations,
      seed: options.seed,
      onProgress: (done) => options.onProgress?.(1 + done, total),
    });
    const dims = svd.s.length;
    const documentVectors = Array.from({ length: texts.length }, (_, i) => {
      const row = new Float32Array(dims);
      for (let j = 0; j < dims; j++) row[j] = svd.u.values[i * dims + j]! * svd.s[j]!;
      return normalize(row);
    });
    const model: LsaModel = {
      dims,
      analyzer: analyzerConfig,
      terms: vocabulary.terms,
      idf: vocabulary.idf,
      singularValues: svd.s,
      projection: svd.v.values,
    };
    return new Lsa(model, documentVectors);
  }

  /** The singular values, decreasing. */
  get singularValues(): Float64Array {
    return this.model.singularValues;
  }

  /** Vocabulary size. */
  get vocabularySize(): number {
    return this.model.terms.length;
  }

  /**
   * Folds a text into the latent space.
   * @param text - any text
   * @returns a unit vector of `dims` values; all zeros when no term of the text is in the vocabulary
   */
  embed(text: string): Float32Array {
    const { columns, weights } = tfidfRow(termCounts(this.analyzer, text), this.vocabulary);
    const out = new Float32Array(this.dims);
    const acc = new Float64Array(this.dims);
    const d = this.dims;
    const v = this.model.projection;
    for (let p = 0; p < columns.length; p++) {
      const w = weights[p]!;
      const base = columns[p]! * d;
      for (let j = 0; j < d; j++) acc[j]! += w * v[base + j]!;
    }
    // q V is (q V Σ⁻¹) Σ: the fold-in's U coordinates on the documents' U Σ scale
    out.set(acc);
    return normalize(out);
  }

  /**
   * @param texts - texts to embed
   * @returns one unit vector each (see {@link embed})
   */
  embedAll(texts: readonly string[]): Float32Array[] {
    return texts.map((text) => this.embed(text));
  }

  /** @returns the model in a versioned, checksummed binary format */
  toBytes(): Uint8Array {
    return encodeLsa(this.model);
  }

  /**
   * @param bytes - what {@link toBytes} wrote
   * @returns the model (without `documentVectors`)
   * @throws IndexSnapshotError for truncated, corrupt or other-version bytes
   */
  static fromBytes(bytes: Uint8Array): Lsa {
    return new Lsa(decodeLsa(bytes), null);
  }
}
