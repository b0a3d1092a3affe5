/**
 * The vector branch's index: @x/ann's HNSW (Malkov & Yashunin 2018) under
 * the cosine metric, keyed by the corpus's string ids. @x/ann numbers
 * vectors 0..n-1 in the order given; this class keeps the id table beside
 * it. Bytes: magic "XVIX" | u32 version | u32 id-table bytes | ids (UTF-8
 * JSON array) | @x/ann's own versioned, CRC-checked HNSW file | u32 CRC-32
 * of everything before. A zero vector (a text with no vocabulary term)
 * cannot be cosine-compared and is left out of the graph: it is never found.
 */

import { AnnError, crc32, HnswIndex } from '@x/ann';
import { IndexSnapshotError } from '../errors.js';

/** Options of {@link VectorIndex.build}. */
export interface VectorIndexOptions {
  /** Neighbours per node (M in the HNSW paper). @default 16 */
  M?: number;
  /** Beam width while inserting (efConstruction). @default 200 */
  efConstruction?: number;
  /** Beam width of searches (efSearch; raised to k when k is larger). @default 128 */
  efSearch?: number;
  /** Seed of the level draws. @default 100 */
  seed?: number;
  /** Progress over the inserted vectors. */
  onProgress?: (done: number, total: number) => void;
}

const MAGIC = 0x58495658; // "XVIX" read as a little-endian u32
const VERSION = 1;

/** Approximate cosine nearest neighbours over string ids. */
export class VectorIndex {
  private constructor(
    private readonly hnsw: HnswIndex,
    private readonly ids: readonly string[],
  ) {}

  /** Vector length. */
  get dims(): number {
    return this.hnsw.dimension;
  }

  /** Vectors in the graph (zero vectors are not). */
  get size(): number {
    return this.hnsw.size;
  }

  /**
   * Builds the HNSW graph.
   * @param vectors - one vector per id, all of one length
   * @param ids - the corpus's ids, in the same order
   * @param options - M (16), efConstruction (200), efSearch (128), seed, progress
   * @returns the index
   * @throws RangeError when the counts or lengths differ, or there is no vector
   * @example
   * ```ts
   * const index = VectorIndex.build(lsa.embedAll(texts), ids);
   * index.search(lsa.embed('vitamin d'), 3); // [{ id: '4983', score: 0.71 }, ...]
   * ```
   */
  static build(
    vectors: readonly Float32Array[],
    ids: readonly string[],
    options: VectorIndexOptions = {},
  ): VectorIndex {
    if (vectors.length !== ids.length)
      throw new RangeError(`VectorIndex.build: ${vectors.length} vectors for ${ids.length} ids`);
    if (vectors.length === 0) throw new RangeError('VectorIndex.build: no vectors');
    const dimension = vectors[0]!.length;
    const hnsw = new HnswIndex({
      dimension,
      metric: 'cosine',
      connectivity: options.M ?? 16,
      efConstruction: options.efConstruction ?? 200,
      efSearch: options.efSearch ?? 128,
      seed: options.seed ?? 100,
      capacity: vectors.length,
    });
    vectors.forEach((vector, i) => {
      if (vector.length !== dimension)
        throw new RangeError(
          `VectorIndex.build: vector ${i} has ${vector.length} values, not ${dimension}`,
        );
      let norm = 0;
      for (const x of vector) norm += x * x;
      if (norm > 0 && Number.isFinite(norm)) hnsw.add(i, vector);
      if ((i + 1) % 256 === 0 || i + 1 === vectors.length)
        options.onProgress?.(i + 1, vectors.length);
    });
    return new VectorIndex(hnsw, [...ids]);
  }

  /**
   * @param query - a vector of the index's length
   * @param k - how many neighbours
   * @returns up to `k` ids with their cosine similarity, best first; none for a zero query
   * @throws RangeError for a query of another length
   */
  search(query: Float32Array, k: number): { id: string; score: number }[] {
    if (query.length !== this.dims)
      throw new RangeError(
        `VectorIndex.search: query has ${query.length} values, index ${this.dims}`,
      );
    let norm = 0;
    for (const x of query) norm += x * x;
    if (!(norm > 0) || !Number.isFinite(norm) || k <= 0 || this.hnsw.size === 0) return [];
    const { ids, distances } = this.hnsw.search(query, k);
    const out: { id: string; score: number }[] = [];
    for (let i = 0; i < ids.length; i++) {
      if (ids[i]! < 0) break;
      out.push({ id: this.ids[ids[i]!]!, score: 1 - distances[i]! });
    }
    return out;
  }

  /** @returns the ids and @x/ann's HNSW file, framed and checksummed */
  toBytes(): Uint8Array {
    const table = new TextEncoder().encode(JSON.stringify(this.ids));
    const graph = this.hnsw.save();
    const bytes = new Uint8Array(12 + table.length + graph.length + 4);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, VERSION, true);
    view.setUint32(8, table.length, true);
    bytes.set(table, 12);
    bytes.set(graph, 12 + table.length);
    view.setUint32(bytes.length - 4, crc32(bytes, 0, bytes.length - 4), true);
    return bytes;
  }

  /**
   * @param bytes - what {@link toBytes} wrote
   * @param source - the file named in errors
   * @returns the index
   * @throws IndexSnapshotError for truncated, corrupt or other-version bytes
   */
  static fromBytes(bytes: Uint8Array, source = 'vector index bytes'): VectorIndex {
    const fail = (why: string): never => {
      throw new IndexSnapshotError(`vector index: ${why}`, source);
    };
    if (bytes.length < 16) fail(`truncated (${bytes.length} bytes)`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== MAGIC) fail('not a vector index (bad magic)');
    const version = view.getUint32(4, true);
    if (version !== VERSION) fail(`format version ${version}, this build reads ${VERSION}`);
    if (crc32(bytes, 0, bytes.length - 4) !== view.getUint32(bytes.length - 4, true))
      fail('checksum mismatch (corrupt or truncated)');
    const tableLength = view.getUint32(8, true);
    if (12 + tableLength > bytes.length - 4) fail('id table runs past the end');
    let ids: unknown;
    try {
      ids = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + tableLength)));
    } catch {
      return fail('id table is not JSON');
    }
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))
      fail('id table is not a list of strings');
    let hnsw: HnswIndex;
    try {
      hnsw = HnswIndex.load(bytes.slice(12 + tableLength, bytes.length - 4));
    } catch (error) {
      if (AnnError.isInstance(error)) return fail(`HNSW graph: ${(error as Error).message}`);
      throw error;
    }
    if (hnsw.size > (ids as string[]).length) fail('graph holds more vectors than ids');
    return new VectorIndex(hnsw, ids as string[]);
  }
}
