/**
 * Flat storage shared by the indexes: vectors in one growable Float32Array
 * (`[capacity, d]`, row `slot` at `slot * d`), the user id of every slot, a
 * deleted flag per slot, and the id -> slot map. Slots are dense and
 * assigned in insertion order; indexes that cannot move vectors (HNSW) mark
 * deletions, the others swap the last slot into the hole (`swapRemove`).
 * With `WasmRows` (HNSW, L2 metrics) the vectors live in @x/tensor's
 * WebAssembly memory, so the SIMD kernels read them in place; `vectors` is
 * then re-derived from the memory's current buffer on every access (other
 * allocations may grow it).
 */

import { CorruptIndexError } from './errors.js';
import { IntMap } from './int-map.js';
import type { ByteReader, ByteWriter } from './io/binary.js';
import type { WasmRows } from './simd/wasm-rows.js';

/** Slot storage of vectors and ids. */
export class VectorStore {
  /** Vector length. */
  readonly dimension: number;
  /** Whether vectors are kept (IVF-PQ without re-ranking keeps only codes). */
  readonly keepsVectors: boolean;
  private plain: Float32Array;
  /** User id of each slot. */
  ids: Int32Array;
  /** 1 where the slot's vector was removed. */
  deleted: Uint8Array;
  /** Slots in use (live and deleted). */
  count = 0;
  /** Live (not deleted) slots. */
  live = 0;
  private readonly slots: IntMap;

  /**
   * @param dimension - vector length
   * @param keepsVectors - store vector values (default true)
   * @param capacity - initial number of slots
   * @param arena - rows in the core's WebAssembly memory to keep the vectors in (default: a plain array)
   */
  constructor(
    dimension: number,
    keepsVectors = true,
    capacity = 64,
    readonly arena: WasmRows | null = null,
  ) {
    this.dimension = dimension;
    this.keepsVectors = keepsVectors;
    this.plain = new Float32Array(0);
    if (keepsVectors && arena !== null) arena.floats(capacity * dimension);
    else this.plain = new Float32Array(keepsVectors ? capacity * dimension : 0);
    this.ids = new Int32Array(capacity);
    this.deleted = new Uint8Array(capacity);
    this.slots = new IntMap(capacity);
  }

  /** `[capacity, d]` vectors (empty when `keepsVectors` is false): take it again after anything allocates. */
  get vectors(): Float32Array {
    return this.keepsVectors && this.arena !== null ? this.arena.floats() : this.plain;
  }

  /** Number of slots allocated. */
  get capacity(): number {
    return this.ids.length;
  }

  /** Grows the arrays to hold at least `slots` slots (doubling). */
  reserve(slots: number): void {
    if (slots <= this.ids.length) return;
    let capacity = Math.max(16, this.ids.length);
    while (capacity < slots) capacity *= 2;
    if (this.keepsVectors && this.arena !== null) {
      // a larger block of the memory, the rows copied over
      this.arena.floats(capacity * this.dimension);
    } else if (this.keepsVectors) {
      const vectors = new Float32Array(capacity * this.dimension);
      vectors.set(this.plain.subarray(0, this.count * this.dimension));
      this.plain = vectors;
    }
    const ids = new Int32Array(capacity);
    ids.set(this.ids.subarray(0, this.count));
    this.ids = ids;
    const deleted = new Uint8Array(capacity);
    deleted.set(this.deleted.subarray(0, this.count));
    this.deleted = deleted;
  }

  /** Reallocates the per-slot arrays to exactly `count` slots (drops growth slack). */
  shrinkToFit(): void {
    const capacity = Math.max(1, this.count);
    if (capacity === this.ids.length) return;
    if (this.keepsVectors && this.arena === null)
      this.plain = this.plain.slice(0, capacity * this.dimension);
    this.ids = this.ids.slice(0, capacity);
    this.deleted = this.deleted.slice(0, capacity);
  }

  /** The live slot of `id`, or -1. */
  slotOf(id: number): number {
    return this.slots.get(id);
  }

  /** Appends a vector (already validated, `source[offset..+d]`) under `id`; returns its slot. */
  append(id: number, source: Float32Array | null, offset: number): number {
    const slot = this.count;
    this.reserve(slot + 1);
    if (this.keepsVectors && source !== null)
      this.vectors.set(source.subarray(offset, offset + this.dimension), slot * this.dimension);
    this.ids[slot] = id;
    this.deleted[slot] = 0;
    this.slots.set(id, slot);
    this.count++;
    this.live++;
    return slot;
  }

  /** Marks the slot of `id` deleted; returns the slot, or -1 when `id` is not live. */
  markDeleted(id: number): number {
    const slot = this.slots.delete(id);
    if (slot < 0) return -1;
    this.deleted[slot] = 1;
    this.live--;
    return slot;
  }

  /**
   * Removes `id` by moving the last slot into its place.
   * @returns `[removedSlot, movedFromSlot]` (equal when the last slot was removed), or null
   */
  swapRemove(id: number): [number, number] | null {
    const slot = this.slots.delete(id);
    if (slot < 0) return null;
    const last = this.count - 1;
    if (slot !== last) {
      const movedId = this.ids[last]!;
      this.ids[slot] = movedId;
      this.deleted[slot] = this.deleted[last]!;
      if (this.keepsVectors)
        this.vectors.copyWithin(
          slot * this.dimension,
          last * this.dimension,
          (last + 1) * this.dimension,
        );
      if (!this.deleted[slot]) this.slots.set(movedId, slot);
    }
    this.count--;
    this.live--;
    return [slot, last];
  }

  /** Bytes held by the typed arrays (vectors, ids, flags, id map). */
  memoryBytes(): number {
    return (
      this.vectors.byteLength +
      this.ids.byteLength +
      this.deleted.byteLength +
      this.slots.memoryBytes()
    );
  }

  /** Writes dimension, counts, ids, flags and vectors. */
  write(writer: ByteWriter): void {
    writer.u32(this.dimension);
    writer.u8(this.keepsVectors ? 1 : 0);
    writer.u32(this.count);
    writer.i32Array(this.ids.subarray(0, this.count));
    writer.u8Array(this.deleted.subarray(0, this.count));
    if (this.keepsVectors) writer.f32Array(this.vectors.subarray(0, this.count * this.dimension));
  }

  /**
   * Reads what `write` wrote (into `arena`'s memory when given).
   * @throws CorruptIndexError for a dimension mismatch, duplicate ids or non-finite vectors
   */
  static read(
    reader: ByteReader,
    op: string,
    dimension: number,
    arena: WasmRows | null = null,
  ): VectorStore {
    const storedDimension = reader.u32();
    if (storedDimension !== dimension)
      throw new CorruptIndexError(
        op,
        'structure',
        `vector store dimension ${storedDimension} differs from the header's ${dimension}`,
      );
    const keepsVectors = reader.u8() === 1;
    // ids (4 bytes), deleted flags (1) and, when kept, the vector (4 per component)
    const count = reader.count('vector count', 5 + (keepsVectors ? 4 * dimension : 0));
    const store = new VectorStore(dimension, keepsVectors, Math.max(count, 16), arena);
    store.ids.set(reader.i32Array(count));
    store.deleted.set(reader.u8Array(count));
    if (keepsVectors) {
      const vectors = reader.f32Array(count * dimension);
      for (let i = 0; i < vectors.length; i++)
        if (!Number.isFinite(vectors[i]!))
          throw new CorruptIndexError(op, 'structure', `stored vector value ${i} is not finite`);
      store.vectors.set(vectors);
    }
    store.count = count;
    for (let slot = 0; slot < count; slot++) {
      if (store.deleted[slot]) continue;
      const id = store.ids[slot]!;
      if (id < 0 || store.slots.has(id))
        throw new CorruptIndexError(
          op,
          'structure',
          `slot ${slot} holds an invalid or repeated id ${id}`,
        );
      store.slots.set(id, slot);
      store.live++;
    }
    return store;
  }
}
