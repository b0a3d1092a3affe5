/**
 * The postings of one term in one field: for each document containing the
 * term, its internal doc number, the term frequency and (optionally) the
 * positions. Doc numbers only grow (new and updated documents get new
 * numbers), so postings are appended in order.
 *
 * Layout (after Lucene's `Lucene90PostingsFormat`, with varints in place of
 * bit-packing): full blocks of {@link BLOCK_SIZE} documents are sealed into
 * a byte stream of (doc delta, freq) varint pairs and a second stream of
 * position deltas; each block keeps skip data: its last doc, the byte
 * offsets where it starts, and for Block-Max WAND its largest frequency and
 * smallest field length. The last partial block (the tail) stays in plain
 * arrays until it fills.
 */

import { ByteBuffer } from './byte-buffer.js';

/** Documents per compressed block. */
export const BLOCK_SIZE = 128;

const EMPTY = new Int32Array(0);

function grow(array: Int32Array, size: number): Int32Array {
  if (size <= array.length) return array;
  const grown = new Int32Array(Math.max(size, array.length * 2, 4));
  grown.set(array);
  return grown;
}

/**
 * Append-only postings of one term in one field.
 *
 * @example
 * ```ts
 * const list = new PostingList(true);
 * list.append(3, [0, 7], 10);
 * list.size; // 1
 * ```
 */
export class PostingList {
  /** Entries, deleted documents included. */
  size = 0;
  /** Live documents containing the term (kept right on delete). */
  docFreq = 0;
  /** Sealed blocks. */
  blockCount = 0;
  blockLastDoc: Int32Array = EMPTY;
  blockDocOffset: Int32Array = EMPTY;
  blockPosOffset: Int32Array = EMPTY;
  blockMaxFreq: Int32Array = EMPTY;
  blockMinLength: Int32Array = EMPTY;
  docBytes: ByteBuffer | null = null;
  posBytes: ByteBuffer | null = null;
  /** The open tail block. */
  tailDocs: number[] = [];
  tailFreqs: number[] = [];
  tailPositions: number[] = [];
  tailMaxFreq = 0;
  tailMinLength = 0x7fffffff;

  /** @param hasPositions - whether positions are stored */
  constructor(readonly hasPositions: boolean) {}

  /** The last doc number appended, or -1. */
  get lastDoc(): number {
    if (this.tailDocs.length > 0) return this.tailDocs[this.tailDocs.length - 1]!;
    return this.blockCount > 0 ? this.blockLastDoc[this.blockCount - 1]! : -1;
  }

  /**
   * Appends one document; `doc` must exceed every doc appended before.
   * @param doc - internal doc number
   * @param positions - the term's positions in the field, ascending (its length is the frequency)
   * @param fieldLength - the document's field length, for block-max bounds
   * @param freq - the frequency (the number of positions read)
   * @param from - where this document's positions start in `positions`
   */
  append(
    doc: number,
    positions: ArrayLike<number>,
    fieldLength: number,
    freq = positions.length,
    from = 0,
  ): void {
    this.tailDocs.push(doc);
    this.tailFreqs.push(freq);
    if (this.hasPositions) {
      const tail = this.tailPositions;
      for (let i = from; i < from + freq; i++) tail.push(positions[i]!);
    }
    if (freq > this.tailMaxFreq) this.tailMaxFreq = freq;
    if (fieldLength < this.tailMinLength) this.tailMinLength = fieldLength;
    this.size++;
    if (this.tailDocs.length === BLOCK_SIZE) this.seal();
  }

  /** Compresses the tail into a sealed block. */
  private seal(): void {
    const b = this.blockCount;
    const previous = b > 0 ? this.blockLastDoc[b - 1]! : -1;
    this.docBytes ??= new ByteBuffer(256);
    if (this.hasPositions) this.posBytes ??= new ByteBuffer(512);
    this.blockLastDoc = grow(this.blockLastDoc, b + 1);
    this.blockDocOffset = grow(this.blockDocOffset, b + 1);
    this.blockPosOffset = grow(this.blockPosOffset, b + 1);
    this.blockMaxFreq = grow(this.blockMaxFreq, b + 1);
    this.blockMinLength = grow(this.blockMinLength, b + 1);
    this.blockDocOffset[b] = this.docBytes.length;
    this.blockPosOffset[b] = this.posBytes ? this.posBytes.length : 0;
    const { tailDocs, tailFreqs, tailPositions } = this;
    let last = previous;
    let p = 0;
    for (let i = 0; i < tailDocs.length; i++) {
      const doc = tailDocs[i]!;
      const freq = tailFreqs[i]!;
      this.docBytes.writeVarint(doc - last - 1);
      this.docBytes.writeVarint(freq);
      last = doc;
      if (this.posBytes) {
        let previousPosition = 0;
        for (let f = 0; f < freq; f++) {
          const position = tailPositions[p++]!;
          this.posBytes.writeVarint(position - previousPosition);
          previousPosition = position;
        }
      }
    }
    this.blockLastDoc[b] = last;
    this.blockMaxFreq[b] = this.tailMaxFreq;
    this.blockMinLength[b] = this.tailMinLength;
    this.blockCount = b + 1;
    this.tailDocs = [];
    this.tailFreqs = [];
    this.tailPositions = [];
    this.tailMaxFreq = 0;
    this.tailMinLength = 0x7fffffff;
  }

  /** Bytes held by the compressed blocks and the tail (an estimate for the tail). */
  byteSize(): number {
    return (
      (this.docBytes?.length ?? 0) +
      (this.posBytes?.length ?? 0) +
      this.blockCount * 20 +
      (this.tailDocs.length * 2 + this.tailPositions.length) * 8
    );
  }
}
