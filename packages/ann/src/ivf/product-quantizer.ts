/**
 * Product quantization (Jégou, Douze & Schmid, "Product quantization for
 * nearest neighbor search", TPAMI 2011).
 *
 * Shapes: a vector of `d` floats is cut into `M` sub-vectors of
 * `dsub = d / M`; each subspace has a codebook of `ksub <= 256` centroids
 * (`codebooks`: `[M, ksub, dsub]`), trained by k-means on @x/tensor; a vector
 * is stored as `M` bytes, the index of the nearest centroid per subspace.
 * Asymmetric distance computation (ADC): for a query, a table `[M, ksub]`
 * of distances from each query sub-vector to each centroid, so the distance
 * to a code is `M` table lookups and adds.
 */
import { CorruptIndexError, InvalidArgumentError } from '../errors.js';
import type { ByteReader, ByteWriter } from '../io/binary.js';
import { kmeans } from './kmeans.js';

/** Training options of a product quantizer. */
export interface PqTrainOptions {
  /** k-means iterations per subspace. @default 10 */
  iterations?: number;
  /** Seed. */
  seed: number;
  /** Training points per codebook centroid at most. @default 32 */
  maxPointsPerCentroid?: number;
}

/**
 * A product quantizer with `M` subspaces of `ksub` centroids.
 * @example
 * const pq = new ProductQuantizer(4, 2, 2);
 * pq.train(new Float32Array([0, 0, 9, 9, 1, 1, 8, 8]), 2, { seed: 1 });
 * const codes = new Uint8Array(2);
 * pq.encode(new Float32Array([0, 0, 8, 8]), 0, codes, 0);
 * const out = new Float32Array(4);
 * pq.decode(codes, 0, out, 0); // out: [0, 0, 8, 8]
 */
export class ProductQuantizer {
  /** Sub-vector length. */
  readonly subDimension: number;
  /** `[M, ksub, dsub]` centroids (zeros until trained). */
  codebooks: Float32Array;

  /**
   * @param dimension - vector length `d`
   * @param subspaces - `M`; must divide `d`
   * @param codebookSize - `ksub`, 2 to 256
   * @throws InvalidArgumentError when `M` does not divide `d` or `ksub` is out of range
   */
  constructor(
    readonly dimension: number,
    readonly subspaces: number,
    readonly codebookSize: number,
  ) {
    if (!Number.isInteger(subspaces) || subspaces < 1 || dimension % subspaces !== 0)
      throw new InvalidArgumentError(
        'ProductQuantizer',
        'subspaces',
        subspaces,
        `a divisor of the dimension ${dimension}`,
      );
    if (!Number.isInteger(codebookSize) || codebookSize < 2 || codebookSize > 256)
      throw new InvalidArgumentError(
        'ProductQuantizer',
        'codebookSize',
        codebookSize,
        'an integer in [2, 256]',
      );
    this.subDimension = dimension / subspaces;
    this.codebooks = new Float32Array(subspaces * codebookSize * this.subDimension);
  }

  /**
   * Trains the codebooks on `[count, d]` vectors (one k-means per subspace, on @x/tensor).
   * @throws InvalidArgumentError when `count < ksub`
   */
  train(data: Float32Array, count: number, options: PqTrainOptions): void {
    const dsub = this.subDimension;
    const ksub = this.codebookSize;
    const sub = new Float32Array(count * dsub);
    for (let m = 0; m < this.subspaces; m++) {
      for (let i = 0; i < count; i++)
        sub.set(
          data.subarray(i * this.dimension + m * dsub, i * this.dimension + (m + 1) * dsub),
          i * dsub,
        );
      const { centroids } = kmeans(sub, count, dsub, ksub, {
        iterations: options.iterations ?? 10,
        seed: options.seed + 7919 * (m + 1),
        maxPointsPerCentroid: options.maxPointsPerCentroid ?? 32,
      });
      this.codebooks.set(centroids, m * ksub * dsub);
    }
  }

  /** Writes the `M` code bytes of `vector[offset..+d]` to `codes[codeOffset..]`. */
  encode(vector: Float32Array, offset: number, codes: Uint8Array, codeOffset: number): void {
    const dsub = this.subDimension;
    const ksub = this.codebookSize;
    const books = this.codebooks;
    for (let m = 0; m < this.subspaces; m++) {
      const v = offset + m * dsub;
      const book = m * ksub * dsub;
      let best = Number.POSITIVE_INFINITY;
      let code = 0;
      for (let c = 0; c < ksub; c++) {
        let s = 0;
        const o = book + c * dsub;
        for (let i = 0; i < dsub; i++) {
          const t = vector[v + i]! - books[o + i]!;
          s += t * t;
        }
        if (s < best) {
          best = s;
          code = c;
        }
      }
      codes[codeOffset + m] = code;
    }
  }

  /** Reconstructs `vector[offset..+d]` from its codes (for tests and re-ranking without vectors). */
  decode(codes: Uint8Array, codeOffset: number, out: Float32Array, offset: number): void {
    const dsub = this.subDimension;
    const ksub = this.codebookSize;
    for (let m = 0; m < this.subspaces; m++) {
      const o = (m * ksub + codes[codeOffset + m]!) * dsub;
      for (let i = 0; i < dsub; i++) out[offset + m * dsub + i] = this.codebooks[o + i]!;
    }
  }

  /**
   * Fills the ADC table `[M, ksub]` for `query[offset..+d]`: squared L2 per
   * sub-vector (`innerProduct` false) or negated sub-vector inner products.
   */
  distanceTable(
    query: Float32Array,
    offset: number,
    innerProduct: boolean,
    table: Float32Array,
  ): void {
    const dsub = this.subDimension;
    const ksub = this.codebookSize;
    const books = this.codebooks;
    for (let m = 0; m < this.subspaces; m++) {
      const q = offset + m * dsub;
      for (let c = 0; c < ksub; c++) {
        const o = (m * ksub + c) * dsub;
        let s = 0;
        if (innerProduct) for (let i = 0; i < dsub; i++) s -= query[q + i]! * books[o + i]!;
        else
          for (let i = 0; i < dsub; i++) {
            const t = query[q + i]! - books[o + i]!;
            s += t * t;
          }
        table[m * ksub + c] = s;
      }
    }
  }

  /**
   * The query-independent part of the IVF-PQ distance table,
   * `|r|^2 + 2 c.r` for every cell centroid `c` (sub-vector of subspace
   * `m`) and codeword `r`: `[cells, M, ksub]` (FAISS's precomputed tables).
   * @param centroids - `[cells, d]` coarse centroids
   */
  cellTerms(centroids: Float32Array, cells: number): Float32Array {
    const { subspaces: M, codebookSize: ksub, subDimension: dsub, codebooks } = this;
    const d = this.dimension;
    const terms = new Float32Array(cells * M * ksub);
    for (let cell = 0; cell < cells; cell++)
      for (let m = 0; m < M; m++)
        for (let code = 0; code < ksub; code++) {
          const r = (m * ksub + code) * dsub;
          let value = 0;
          for (let i = 0; i < dsub; i++) {
            const x = codebooks[r + i]!;
            value += x * x + 2 * centroids[cell * d + m * dsub + i]! * x;
          }
          terms[(cell * M + m) * ksub + code] = value;
        }
    return terms;
  }

  /** Bytes held by the codebooks. */
  memoryBytes(): number {
    return this.codebooks.byteLength;
  }

  /** Writes M, ksub and the codebooks. */
  write(writer: ByteWriter): void {
    writer.u32(this.subspaces);
    writer.u32(this.codebookSize);
    writer.f32Array(this.codebooks);
  }

  /** Reads what `write` wrote. @throws CorruptIndexError */
  static read(reader: ByteReader, op: string, dimension: number): ProductQuantizer {
    const subspaces = reader.u32();
    const codebookSize = reader.u32();
    // the codebooks follow: codebookSize x dimension float32 values
    if (codebookSize * dimension * 4 > reader.remaining)
      throw new CorruptIndexError(
        op,
        'structure',
        `codebook size ${codebookSize} x dimension ${dimension} exceeds the ${reader.remaining} bytes left`,
      );
    let pq: ProductQuantizer;
    try {
      pq = new ProductQuantizer(dimension, subspaces, codebookSize);
    } catch (error) {
      throw new CorruptIndexError(op, 'structure', `invalid product quantizer: ${String(error)}`);
    }
    pq.codebooks = reader.f32Array(pq.codebooks.length);
    return pq;
  }
}
