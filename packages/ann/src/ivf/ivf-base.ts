/**
 * The inverted-file (IVF) structure shared by `IvfFlatIndex` and
 * `IvfPqIndex` (Jégou et al., TPAMI 2011, section IV; FAISS `IndexIVF`): a
 * coarse quantizer of `cells` centroids trained by k-means on @x/tensor;
 * each vector is stored in the inverted list of its nearest centroid; a
 * search visits the `nprobe` cells whose centroids are nearest the query and
 * scans their lists. Subclasses define the list payload and the scan.
 */
import { InvalidArgumentError, NotTrainedError } from '../errors.js';
import type { CompiledFilter } from '../filter.js';
import { TopK } from '../heap.js';
import { BaseIndex, type BaseIndexOptions } from '../index-base.js';
import type { ByteReader, ByteWriter } from '../io/binary.js';
import { checkInteger, checkNumber, prepareBatch, type VectorBatch } from '../validate.js';
import type { SearchOptions } from '../vector-index.js';
import type { InvertedLists } from './inverted-lists.js';
import { kmeans } from './kmeans.js';

/** Options shared by the IVF indexes. */
export interface IvfOptions extends BaseIndexOptions {
  /** Number of cells of the coarse quantizer ("nlist" in FAISS), >= 1. @default 100 */
  cells?: number;
  /** Cells visited per search by default ("nprobe"), >= 1. @default 8 */
  nprobe?: number;
  /** k-means iterations of the coarse quantizer. @default 10 */
  trainIterations?: number;
  /** Training points per coarse centroid at most (a seeded sample beyond). @default 64 */
  maxPointsPerCentroid?: number;
  /** Seed of k-means sampling and initialization. @default 1234 */
  seed?: number;
}

/** Search options of the IVF indexes. */
export interface IvfSearchOptions extends SearchOptions {
  /** Cells to visit for this search (default: the index's `nprobe`). */
  nprobe?: number;
  /**
   * IVF-PQ only: re-rank this many PQ candidates with exact distances
   * (needs `keepVectors`). @default 0
   */
  rerank?: number;
}

/** Coarse quantizer + inverted lists; payload and scan come from the subclass. */
export abstract class IvfIndex<
  T extends Uint8Array | Float32Array,
> extends BaseIndex<IvfSearchOptions> {
  /** Number of coarse cells. */
  readonly cells: number;
  /** Default number of cells visited per search. */
  nprobe: number;
  /** `[cells, d]` centroids, null until `train()`. */
  protected centroids: Float32Array | null = null;
  protected abstract lists: InvertedLists<T>;
  protected readonly trainIterations: number;
  protected readonly maxPointsPerCentroid: number;
  protected readonly seed: number;

  constructor(name: string, options: IvfOptions) {
    super(name, options);
    this.cells = checkInteger(name, 'cells', options.cells ?? 100, 1, 1 << 20);
    this.nprobe = checkInteger(name, 'nprobe', options.nprobe ?? 8, 1, 1 << 20);
    this.trainIterations = checkInteger(
      name,
      'trainIterations',
      options.trainIterations ?? 10,
      1,
      1000,
    );
    this.maxPointsPerCentroid = checkInteger(
      name,
      'maxPointsPerCentroid',
      options.maxPointsPerCentroid ?? 64,
      1,
      1 << 20,
    );
    this.seed = checkNumber(name, 'seed', options.seed ?? 1234, -(2 ** 53), 2 ** 53);
  }

  /** Whether `train()` has run. */
  get isTrained(): boolean {
    return this.centroids !== null;
  }

  /**
   * Trains the coarse quantizer (and the subclass's codebooks) on sample
   * vectors, which are not added. Must run before the first `add`.
   * @param vectors - at least `cells` vectors (and 256 for IVF-PQ codebooks)
   * @throws InvalidArgumentError when the index already holds vectors or the sample is too small
   * @throws DimensionError, InvalidVectorError for invalid vectors
   * @example
   * const index = new IvfFlatIndex({ dimension: 2, cells: 2 });
   * index.train([[0, 0], [0, 1], [9, 9], [9, 8]]);
   * index.isTrained // true
   */
  train(vectors: VectorBatch): void {
    const op = `${this.name}.train`;
    this.checkNotSearching(op);
    if (this.store.count > 0)
      throw new InvalidArgumentError(
        op,
        'index size',
        this.store.count,
        '0 (train before adding vectors)',
      );
    const { data, count } = prepareBatch(op, vectors, this.dimension, this.metric);
    if (count < this.cells)
      throw new InvalidArgumentError(
        op,
        'training vectors',
        count,
        `at least cells = ${this.cells}`,
      );
    this.validateTraining(op, count);
    const { centroids } = kmeans(data, count, this.dimension, this.cells, {
      iterations: this.trainIterations,
      seed: this.seed,
      maxPointsPerCentroid: this.maxPointsPerCentroid,
    });
    this.centroids = centroids;
    this.trainPayload(data, count);
  }

  /** Extra checks on the training-set size (IVF-PQ needs enough for its codebooks). */
  protected validateTraining(_op: string, _count: number): void {}

  /** Trains what the payload needs (PQ codebooks) after the centroids. */
  protected trainPayload(_data: Float32Array, _count: number): void {}

  protected override beforeInsert(op: string): void {
    if (this.centroids === null) throw new NotTrainedError(op, this.kind);
  }

  /** The cell whose centroid is nearest `vector[offset..+d]` (the metric's distance). */
  protected nearestCell(vector: Float32Array, offset: number): number {
    const centroids = this.centroids!;
    const d = this.dimension;
    let best = Number.POSITIVE_INFINITY;
    let cell = 0;
    for (let c = 0; c < this.cells; c++) {
      const distance = this.kernel(vector, offset, centroids, c * d, d, best);
      if (distance < best) {
        best = distance;
        cell = c;
      }
    }
    return cell;
  }

  protected override resolveOptions(op: string, options: IvfSearchOptions): IvfSearchOptions {
    super.resolveOptions(op, options);
    return {
      filter: options.filter,
      nprobe: Math.min(
        this.cells,
        checkInteger(op, 'nprobe', options.nprobe ?? this.nprobe, 1, 1 << 20),
      ),
      rerank: checkInteger(op, 'rerank', options.rerank ?? 0, 0, 1 << 24),
    };
  }

  protected override searchOne(
    query: Float32Array,
    k: number,
    options: IvfSearchOptions,
    filter: CompiledFilter | null,
    outIds: Int32Array,
    outDistances: Float64Array,
    outOffset: number,
  ): number {
    const centroids = this.centroids;
    if (centroids === null) return 0;
    const d = this.dimension;
    const nprobe = options.nprobe!;
    const probes = new TopK(nprobe);
    for (let c = 0; c < this.cells; c++)
      if (this.lists.lengths[c]! > 0)
        probes.offer(this.kernel(query, 0, centroids, c * d, d, probes.bound()), c);
    const cellDistances = new Float64Array(nprobe);
    const cells = new Int32Array(nprobe);
    const probed = probes.drainSorted(cellDistances, cells);
    const heap = new TopK(this.candidateCount(k, options));
    this.prepareQuery(query);
    for (let i = 0; i < probed; i++)
      this.scanCell(query, cells[i]!, cellDistances[i]!, heap, filter);
    return this.collect(query, k, heap, outIds, outDistances, outOffset);
  }

  /** How many candidates the scans keep (more than `k` when re-ranking). */
  protected candidateCount(k: number, _options: IvfSearchOptions): number {
    return k;
  }

  /** Per-query preparation before the scans (IVF-PQ: the inner-product table). */
  protected prepareQuery(_query: Float32Array): void {}

  /** Offers every live, allowed entry of `cell` to `heap` (internal distances, slots). */
  protected abstract scanCell(
    query: Float32Array,
    cell: number,
    cellDistance: number,
    heap: TopK,
    filter: CompiledFilter | null,
  ): void;

  /** Writes the best `k` of `heap` to the output (IVF-PQ re-ranks first). */
  protected abstract collect(
    query: Float32Array,
    k: number,
    heap: TopK,
    outIds: Int32Array,
    outDistances: Float64Array,
    outOffset: number,
  ): number;

  protected override removeId(id: number): boolean {
    const slot = this.store.markDeleted(id);
    if (slot < 0) return false;
    this.lists.remove(slot);
    return true;
  }

  /** Writes the coarse-quantizer parameters and centroids. */
  protected writeCoarse(writer: ByteWriter): void {
    writer.u32(this.cells);
    writer.u32(this.nprobe);
    writer.u32(this.trainIterations);
    writer.u32(this.maxPointsPerCentroid);
    writer.f64(this.seed);
    writer.f64(this.nextId);
    writer.u8(this.centroids === null ? 0 : 1);
    if (this.centroids !== null) writer.f32Array(this.centroids);
  }

  /** Reads the fields `writeCoarse` wrote after the options (centroids, next id). */
  protected readCoarseState(reader: ByteReader, nextId: number): void {
    this.nextId = nextId;
    if (reader.u8() === 1) this.centroids = reader.f32Array(this.cells * this.dimension);
  }
}

/** Reads the coarse-quantizer options that `writeCoarse` wrote first. */
export function readCoarseOptions(reader: ByteReader): {
  cells: number;
  nprobe: number;
  trainIterations: number;
  maxPointsPerCentroid: number;
  seed: number;
  nextId: number;
} {
  return {
    cells: reader.u32(),
    nprobe: reader.u32(),
    trainIterations: reader.u32(),
    maxPointsPerCentroid: reader.u32(),
    seed: reader.f64(),
    nextId: reader.f64(),
  };
}
