/**
 * Inverted lists of an IVF index: for each of `nlist` cells, the slots of
 * its vectors and their payload, `width` values per entry (PQ codes as bytes,
 * or raw float32 vectors for IVF-Flat), in growable typed arrays so a scan
 * is a linear pass over contiguous memory. Removal swaps the cell's last
 * entry into the hole; `cellOf` / `positionOf` locate a slot's entry.
 */
import { CorruptIndexError } from '../errors.js';
import type { ByteReader, ByteWriter } from '../io/binary.js';

type Payload = Uint8Array | Float32Array;

/** Per-cell slots and payloads. */
export class InvertedLists<T extends Payload> {
  /** Slots per cell. */
  slots: Int32Array[];
  /** Payload per cell, `[length, width]`. */
  payloads: T[];
  /** Entries per cell. */
  lengths: Int32Array;
  /** Cell of each slot (-1 when removed). */
  cellOf: Int32Array;
  /** Position of each slot inside its cell. */
  positionOf: Int32Array;

  /**
   * @param cells - number of cells (nlist)
   * @param width - payload values per entry
   * @param make - allocates a payload array of a given length
   */
  constructor(
    readonly cells: number,
    readonly width: number,
    private readonly make: (length: number) => T,
  ) {
    this.slots = Array.from({ length: cells }, () => new Int32Array(8));
    this.payloads = Array.from({ length: cells }, () => make(8 * width));
    this.lengths = new Int32Array(cells);
    this.cellOf = new Int32Array(64).fill(-1);
    this.positionOf = new Int32Array(64);
  }

  /** Appends `slot` to `cell`, copying `width` payload values from `source[offset..]`. */
  append(cell: number, slot: number, source: T, offset: number): void {
    const length = this.lengths[cell]!;
    if (length === this.slots[cell]!.length) {
      const slots = new Int32Array(length * 2);
      slots.set(this.slots[cell]!);
      this.slots[cell] = slots;
      const payload = this.make(length * 2 * this.width);
      payload.set(this.payloads[cell]! as never);
      this.payloads[cell] = payload;
    }
    this.slots[cell]![length] = slot;
    (this.payloads[cell]! as Payload).set(
      source.subarray(offset, offset + this.width) as never,
      length * this.width,
    );
    this.lengths[cell] = length + 1;
    if (slot >= this.cellOf.length) {
      let capacity = this.cellOf.length * 2;
      while (capacity <= slot) capacity *= 2;
      const cellOf = new Int32Array(capacity).fill(-1);
      cellOf.set(this.cellOf);
      this.cellOf = cellOf;
      const positionOf = new Int32Array(capacity);
      positionOf.set(this.positionOf);
      this.positionOf = positionOf;
    }
    this.cellOf[slot] = cell;
    this.positionOf[slot] = length;
  }

  /** Removes `slot`'s entry; returns false when it has none. */
  remove(slot: number): boolean {
    const cell = slot < this.cellOf.length ? this.cellOf[slot]! : -1;
    if (cell < 0) return false;
    const position = this.positionOf[slot]!;
    const last = this.lengths[cell]! - 1;
    const slots = this.slots[cell]!;
    if (position !== last) {
      const moved = slots[last]!;
      slots[position] = moved;
      this.payloads[cell]!.copyWithin(
        position * this.width,
        last * this.width,
        (last + 1) * this.width,
      );
      this.positionOf[moved] = position;
    }
    this.lengths[cell] = last;
    this.cellOf[slot] = -1;
    return true;
  }

  /** Bytes held by the lists. */
  memoryBytes(): number {
    let bytes = this.lengths.byteLength + this.cellOf.byteLength + this.positionOf.byteLength;
    for (let c = 0; c < this.cells; c++)
      bytes += this.slots[c]!.byteLength + this.payloads[c]!.byteLength;
    return bytes;
  }

  /** Writes every cell's slots and payload. */
  write(writer: ByteWriter, writePayload: (values: T) => void): void {
    for (let c = 0; c < this.cells; c++) {
      const length = this.lengths[c]!;
      writer.u32(length);
      writer.i32Array(this.slots[c]!.subarray(0, length));
      writePayload(this.payloads[c]!.subarray(0, length * this.width) as T);
    }
  }

  /**
   * Reads what `write` wrote, checking that every slot is below `slotCount` and appears once.
   * @throws CorruptIndexError
   */
  read(reader: ByteReader, op: string, slotCount: number, readPayload: (count: number) => T): void {
    for (let c = 0; c < this.cells; c++) {
      const length = reader.u32();
      const slots = reader.i32Array(length);
      const payload = readPayload(length * this.width);
      for (let i = 0; i < length; i++) {
        const slot = slots[i]!;
        if (slot < 0 || slot >= slotCount || (slot < this.cellOf.length && this.cellOf[slot]! >= 0))
          throw new CorruptIndexError(
            op,
            'structure',
            `cell ${c} holds an invalid or repeated slot ${slot}`,
          );
        this.append(c, slot, payload, i * this.width);
      }
    }
  }
}
