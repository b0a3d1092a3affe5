/**
 * `IvfPqIndex`: an inverted file whose lists hold product-quantization codes
 * of the residuals `x - c(x)` (Jégou, Douze & Schmid, TPAMI 2011, "IVFADC";
 * FAISS `IndexIVFPQ`). Asymmetric distances: for squared L2,
 * `|q - c - r|^2 = |q - c|^2 + (|r|^2 + 2 c.r) - 2 q.r`, where `|q - c|^2` is
 * known from probing, the middle term is precomputed once per cell and
 * codeword (FAISS's precomputed tables) and `-2 q.r` is one table per query,
 * so a probed cell costs `M * ksub` adds instead of a `d * ksub` table; for
 * inner product, `-q.x = -q.c - q.r`. Each code then costs `M` lookups. With
 * `keepVectors`, the best `rerank` candidates are re-scored exactly.
 */
import { toReportedDistance } from '../distance.js';
import { CorruptIndexError, InvalidArgumentError } from '../errors.js';
import type { CompiledFilter } from '../filter.js';
import { TopK } from '../heap.js';
import { openEnvelope, writeEnvelope } from '../io/envelope.js';
import { checkInteger } from '../validate.js';
import { VectorStore } from '../vector-store.js';
import { InvertedLists } from './inverted-lists.js';
import { IvfIndex, type IvfOptions, type IvfSearchOptions, readCoarseOptions } from './ivf-base.js';
import { checkListsMatchStore } from './ivf-flat-index.js';
import { assignNearest, squaredNorms } from './kmeans.js';
import { ProductQuantizer } from './product-quantizer.js';

/** Options of `IvfPqIndex`. */
export interface IvfPqOptions extends IvfOptions {
  /** Sub-quantizers ("M" in the PQ paper); must divide the dimension. @default d/8, d/4, d/2 or d, the first that divides */
  subspaces?: number;
  /** Centroids per sub-quantizer ("ksub"), 2 to 256; codes are one byte each. @default 256 */
  codebookSize?: number;
  /** k-means iterations per codebook. @default 10 */
  codebookIterations?: number;
  /** Training points per codeword at most (a seeded sample of `ksub` times this). @default 16 */
  codebookPointsPerCentroid?: number;
  /** Keep the raw vectors for exact re-ranking (costs `4 d` bytes per vector). @default false */
  keepVectors?: boolean;
}

function defaultSubspaces(dimension: number): number {
  for (const width of [8, 4, 2]) if (dimension % width === 0) return dimension / width;
  return dimension;
}

/**
 * Inverted file with product-quantized residuals.
 * @example
 * const points = Array.from({ length: 16 }, (_, i) => [i % 4, Math.floor(i / 4), (i * 3) % 5, i % 2]);
 * const index = new IvfPqIndex({ dimension: 4, cells: 2, subspaces: 2, codebookSize: 8, keepVectors: true });
 * index.train(points); // at least max(cells, codebookSize) vectors
 * index.addBatch(points);
 * index.search([3, 3, 0, 1], 2, { nprobe: 2, rerank: 8 })
 * // { ids: Int32Array [15, 10], distances: Float64Array [0, 3] }
 */
export class IvfPqIndex extends IvfIndex<Uint8Array> {
  readonly kind = 'ivf-pq' as const;
  protected store: VectorStore;
  protected lists: InvertedLists<Uint8Array>;
  /** The product quantizer of the residuals. */
  readonly pq: ProductQuantizer;
  private readonly codebookIterations: number;
  private readonly codebookPoints: number;
  private readonly table: Float32Array;
  private readonly queryTable: Float32Array;
  private cellTerms: Float32Array | null = null;
  private readonly residual: Float32Array;
  private readonly code: Uint8Array;
  private readonly innerProduct: boolean;

  /**
   * @param options - dimension, metric, IVF and PQ parameters
   * @throws InvalidArgumentError for an out-of-range option
   */
  constructor(options: IvfPqOptions) {
    super('IvfPqIndex', options);
    const subspaces = options.subspaces ?? defaultSubspaces(this.dimension);
    const codebookSize = options.codebookSize ?? 256;
    if (!Number.isInteger(subspaces) || subspaces < 1 || this.dimension % subspaces !== 0)
      throw new InvalidArgumentError(
        this.name,
        'subspaces',
        subspaces,
        `a divisor of the dimension ${this.dimension}`,
      );
    checkInteger(this.name, 'codebookSize', codebookSize, 2, 256);
    this.codebookIterations = checkInteger(
      this.name,
      'codebookIterations',
      options.codebookIterations ?? 10,
      1,
      1000,
    );
    this.codebookPoints = checkInteger(
      this.name,
      'codebookPointsPerCentroid',
      options.codebookPointsPerCentroid ?? 16,
      1,
      1 << 20,
    );
    this.pq = new ProductQuantizer(this.dimension, subspaces, codebookSize);
    this.store = new VectorStore(this.dimension, options.keepVectors ?? false, 64);
    this.lists = new InvertedLists(this.cells, subspaces, (n) => new Uint8Array(n));
    this.table = new Float32Array(subspaces * codebookSize);
    this.queryTable = new Float32Array(subspaces * codebookSize);
    this.residual = new Float32Array(this.dimension);
    this.code = new Uint8Array(subspaces);
    this.innerProduct = this.metric === 'ip';
  }

  /** Whether raw vectors are kept for re-ranking. */
  get keepsVectors(): boolean {
    return this.store.keepsVectors;
  }

  protected override validateTraining(op: string, count: number): void {
    if (count < this.pq.codebookSize)
      throw new InvalidArgumentError(
        op,
        'training vectors',
        count,
        `at least codebookSize = ${this.pq.codebookSize}`,
      );
  }

  protected override trainPayload(data: Float32Array, count: number): void {
    const d = this.dimension;
    const centroids = this.centroids!;
    const { labels } = assignNearest(
      data,
      count,
      d,
      centroids,
      this.cells,
      squaredNorms(centroids, this.cells, d),
      this.innerProduct,
    );
    const residuals = new Float32Array(count * d);
    for (let i = 0; i < count; i++)
      for (let j = 0; j < d; j++)
        residuals[i * d + j] = data[i * d + j]! - centroids[labels[i]! * d + j]!;
    this.pq.train(residuals, count, {
      iterations: this.codebookIterations,
      seed: this.seed + 1,
      maxPointsPerCentroid: this.codebookPoints,
    });
    this.cellTerms = null;
  }

  protected override insert(id: number, data: Float32Array, offset: number): void {
    const d = this.dimension;
    const cell = this.nearestCell(data, offset);
    const centroids = this.centroids!;
    for (let j = 0; j < d; j++) this.residual[j] = data[offset + j]! - centroids[cell * d + j]!;
    this.pq.encode(this.residual, 0, this.code, 0);
    const slot = this.store.append(id, data, offset);
    this.lists.append(cell, slot, this.code, 0);
  }

  protected override resolveOptions(op: string, options: IvfSearchOptions): IvfSearchOptions {
    const resolved = super.resolveOptions(op, options);
    if (resolved.rerank! > 0 && !this.store.keepsVectors)
      throw new InvalidArgumentError(
        op,
        'rerank',
        resolved.rerank,
        '0 unless the index was built with keepVectors: true',
      );
    return resolved;
  }

  protected override candidateCount(k: number, options: IvfSearchOptions): number {
    return Math.max(k, options.rerank ?? 0);
  }

  protected override prepareQuery(query: Float32Array): void {
    // -q.r per (subspace, code); doubled for L2, whose table adds the cell terms.
    this.pq.distanceTable(query, 0, true, this.queryTable);
    if (!this.innerProduct) {
      for (let j = 0; j < this.queryTable.length; j++) this.queryTable[j] = 2 * this.queryTable[j]!;
      if (this.cellTerms === null) this.cellTerms = this.pq.cellTerms(this.centroids!, this.cells);
    }
  }

  protected override scanCell(
    _query: Float32Array,
    cell: number,
    cellDistance: number,
    heap: TopK,
    filter: CompiledFilter | null,
  ): void {
    const M = this.pq.subspaces;
    const ksub = this.pq.codebookSize;
    let table = this.queryTable;
    if (!this.innerProduct) {
      // |q - c - r|^2 = |q - c|^2 + (|r|^2 + 2 c.r) - 2 q.r: the middle term
      // is precomputed per cell, the last one per query (FAISS's precomputed tables).
      const terms = this.cellTerms!;
      const start = cell * M * ksub;
      table = this.table;
      for (let j = 0; j < M * ksub; j++) table[j] = terms[start + j]! + this.queryTable[j]!;
    }
    const base = cellDistance;
    const length = this.lists.lengths[cell]!;
    const slots = this.lists.slots[cell]!;
    const codes = this.lists.payloads[cell]!;
    const ids = this.store.ids;
    for (let i = 0; i < length; i++) {
      let distance = base;
      const c = i * M;
      for (let m = 0; m < M; m++) distance += table[m * ksub + codes[c + m]!]!;
      if (distance >= heap.bound()) continue;
      const slot = slots[i]!;
      if (
        filter !== null &&
        (filter.mask !== null ? filter.mask[slot] !== 1 : !filter.predicate!(ids[slot]!))
      )
        continue;
      heap.offer(distance, slot);
    }
  }

  protected override collect(
    query: Float32Array,
    k: number,
    heap: TopK,
    outIds: Int32Array,
    outDistances: Float64Array,
    outOffset: number,
  ): number {
    const size = heap.k;
    const keys = new Float64Array(size);
    const slots = new Int32Array(size);
    let found = heap.drainSorted(keys, slots);
    if (size > k && this.store.keepsVectors) {
      const d = this.dimension;
      const exact = new TopK(k);
      for (let i = 0; i < found; i++)
        exact.offer(
          this.kernel(query, 0, this.store.vectors, slots[i]! * d, d, Number.POSITIVE_INFINITY),
          slots[i]!,
        );
      found = exact.drainSorted(keys, slots);
    }
    found = Math.min(found, k);
    for (let i = 0; i < found; i++) {
      outIds[outOffset + i] = this.store.ids[slots[i]!]!;
      outDistances[outOffset + i] = toReportedDistance(this.metric, keys[i]!);
    }
    return found;
  }

  memoryBytes(): number {
    return (
      this.store.memoryBytes() +
      this.lists.memoryBytes() +
      (this.centroids?.byteLength ?? 0) +
      this.pq.memoryBytes() +
      (this.cellTerms?.byteLength ?? 0)
    );
  }

  save(): Uint8Array {
    return writeEnvelope(
      'ivf-pq',
      this.metric,
      this.dimension,
      (writer) => {
        writer.u32(this.codebookIterations);
        writer.u32(this.codebookPoints);
        writer.u8(this.store.keepsVectors ? 1 : 0);
        this.pq.write(writer);
        this.writeCoarse(writer);
        this.store.write(writer);
        this.lists.write(writer, (values) => writer.u8Array(values));
      },
      this.store.count *
        (this.pq.subspaces + 16 + (this.store.keepsVectors ? 4 * this.dimension : 0)),
    );
  }

  /**
   * Loads an index written by `save()`.
   * @throws TruncatedIndexError, CorruptIndexError, UnsupportedVersionError
   * @example IvfPqIndex.load(index.save()).size // index.size
   */
  static load(data: Uint8Array | ArrayBuffer): IvfPqIndex {
    const op = 'IvfPqIndex.load';
    const { header, reader, finish } = openEnvelope(op, data, 'ivf-pq');
    const codebookIterations = reader.u32();
    const codebookPointsPerCentroid = reader.u32();
    const keepVectors = reader.u8() === 1;
    const pq = ProductQuantizer.read(reader, op, header.dimension);
    const options = readCoarseOptions(reader);
    let index: IvfPqIndex;
    try {
      index = new IvfPqIndex({
        dimension: header.dimension,
        metric: header.metric,
        ...options,
        subspaces: pq.subspaces,
        codebookSize: pq.codebookSize,
        codebookIterations,
        codebookPointsPerCentroid,
        keepVectors,
      });
    } catch (error) {
      throw new CorruptIndexError(op, 'structure', `invalid stored parameters: ${String(error)}`);
    }
    index.pq.codebooks = pq.codebooks;
    index.readCoarseState(reader, options.nextId);
    index.store = VectorStore.read(reader, op, header.dimension);
    index.lists.read(reader, op, index.store.count, (n) => {
      const codes = reader.u8Array(n);
      for (let i = 0; i < n; i++)
        if (codes[i]! >= pq.codebookSize)
          throw new CorruptIndexError(
            op,
            'structure',
            `code ${codes[i]} exceeds the codebook size ${pq.codebookSize}`,
          );
      return codes;
    });
    finish();
    checkListsMatchStore(op, index.store, index.lists.cellOf);
    return index;
  }
}
