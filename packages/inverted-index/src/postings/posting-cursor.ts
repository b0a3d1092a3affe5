/**
 * A cursor over one {@link PostingList}: doc-at-a-time iteration with
 * `nextDoc` / `advance` (skipping whole blocks through the skip data),
 * lazily decoded positions, and shallow block moves for Block-Max WAND
 * (`shallowAdvance` reads skip data only, no postings are decoded).
 */

import { BLOCK_SIZE, type PostingList } from './posting-list.js';

/** The doc number past every real document: iteration is over. */
export const NO_MORE_DOCS = 0x7fffffff;

/**
 * Iterates the documents of a posting list in increasing doc order.
 *
 * @example
 * ```ts
 * const cursor = new PostingCursor(list);
 * for (let doc = cursor.nextDoc(); doc !== NO_MORE_DOCS; doc = cursor.nextDoc()) {
 *   console.log(doc, cursor.freq());
 * }
 * ```
 */
export class PostingCursor {
  /** The current doc number; -1 before the first move, NO_MORE_DOCS at the end. */
  doc = -1;
  private block = -1;
  private readonly docs = new Int32Array(BLOCK_SIZE);
  private readonly freqs = new Int32Array(BLOCK_SIZE);
  private count = 0;
  private index = -1;
  private positionsBlock = -2;
  private positionStarts: Int32Array | null = null;
  private positionBuffer: Int32Array | null = null;
  /** Block found by the last shallowAdvance. */
  private shallowBlock = 0;

  /** @param list - the postings to iterate */
  constructor(readonly list: PostingList) {}

  /** Number of blocks, the tail counted when not empty. */
  private get blockTotal(): number {
    return this.list.blockCount + (this.list.tailDocs.length > 0 ? 1 : 0);
  }

  private lastDocOfBlock(block: number): number {
    const list = this.list;
    return block < list.blockCount
      ? list.blockLastDoc[block]!
      : list.tailDocs[list.tailDocs.length - 1]!;
  }

  private loadBlock(block: number): boolean {
    const list = this.list;
    this.block = block;
    this.index = -1;
    if (block < list.blockCount) {
      const bytes = list.docBytes!.bytes;
      let at = list.blockDocOffset[block]!;
      let doc = block > 0 ? list.blockLastDoc[block - 1]! : -1;
      for (let i = 0; i < BLOCK_SIZE; i++) {
        let byte = bytes[at++]!;
        let delta = byte & 0x7f;
        for (let shift = 7; byte & 0x80; shift += 7) {
          byte = bytes[at++]!;
          delta |= (byte & 0x7f) << shift;
        }
        doc += delta + 1;
        this.docs[i] = doc;
        byte = bytes[at++]!;
        let freq = byte & 0x7f;
        for (let shift = 7; byte & 0x80; shift += 7) {
          byte = bytes[at++]!;
          freq |= (byte & 0x7f) << shift;
        }
        this.freqs[i] = freq;
      }
      this.count = BLOCK_SIZE;
      return true;
    }
    if (block === list.blockCount && list.tailDocs.length > 0) {
      const n = list.tailDocs.length;
      for (let i = 0; i < n; i++) {
        this.docs[i] = list.tailDocs[i]!;
        this.freqs[i] = list.tailFreqs[i]!;
      }
      this.count = n;
      return true;
    }
    this.count = 0;
    return false;
  }

  /**
   * Moves to the next document.
   * @returns its doc number, or NO_MORE_DOCS
   */
  nextDoc(): number {
    if (this.doc === NO_MORE_DOCS) return NO_MORE_DOCS;
    if (++this.index >= this.count) {
      if (!this.loadBlock(this.block + 1)) {
        this.doc = NO_MORE_DOCS;
        return this.doc;
      }
      this.index = 0;
    }
    this.doc = this.docs[this.index]!;
    return this.doc;
  }

  /**
   * Moves to the first document at or after `target` (never backwards).
   * @param target - the doc number to reach
   * @returns the doc reached, or NO_MORE_DOCS
   */
  advance(target: number): number {
    if (this.doc >= target) return this.doc;
    if (this.doc === NO_MORE_DOCS) return NO_MORE_DOCS;
    const total = this.blockTotal;
    let block = Math.max(0, this.block);
    if (block >= total) {
      this.doc = NO_MORE_DOCS;
      return this.doc;
    }
    if (this.lastDocOfBlock(block) < target) {
      while (block < total && this.lastDocOfBlock(block) < target) block++;
      if (block >= total) {
        this.doc = NO_MORE_DOCS;
        return this.doc;
      }
      this.loadBlock(block);
    } else if (this.block !== block) {
      this.loadBlock(block);
    }
    const docs = this.docs;
    let i = Math.max(0, this.index);
    while (docs[i]! < target) i++;
    this.index = i;
    this.doc = docs[i]!;
    return this.doc;
  }

  /** @returns the frequency of the term in the current document */
  freq(): number {
    return this.freqs[this.index]!;
  }

  /**
   * The positions of the term in the current document.
   * @returns a view valid until the cursor moves to another block
   */
  positions(): Int32Array {
    const list = this.list;
    if (!list.hasPositions) return new Int32Array(0);
    if (this.positionsBlock !== this.block) this.decodePositions();
    return this.positionBuffer!.subarray(
      this.positionStarts![this.index]!,
      this.positionStarts![this.index + 1]!,
    );
  }

  private decodePositions(): void {
    const list = this.list;
    this.positionsBlock = this.block;
    let total = 0;
    for (let i = 0; i < this.count; i++) total += this.freqs[i]!;
    if (!this.positionBuffer || this.positionBuffer.length < total) {
      this.positionBuffer = new Int32Array(Math.max(BLOCK_SIZE, total * 2));
    }
    this.positionStarts ??= new Int32Array(BLOCK_SIZE + 1);
    const out = this.positionBuffer;
    const starts = this.positionStarts;
    if (this.block === list.blockCount) {
      let p = 0;
      for (let i = 0; i < this.count; i++) {
        starts[i] = p;
        for (let f = 0; f < this.freqs[i]!; f++, p++) out[p] = list.tailPositions[p]!;
      }
      starts[this.count] = p;
      return;
    }
    const bytes = list.posBytes!.bytes;
    let at = list.blockPosOffset[this.block]!;
    let p = 0;
    for (let i = 0; i < this.count; i++) {
      starts[i] = p;
      let position = 0;
      for (let f = 0; f < this.freqs[i]!; f++) {
        let byte = bytes[at++]!;
        let delta = byte & 0x7f;
        for (let shift = 7; byte & 0x80; shift += 7) {
          byte = bytes[at++]!;
          delta |= (byte & 0x7f) << shift;
        }
        position += delta;
        out[p++] = position;
      }
    }
    starts[this.count] = p;
  }

  /**
   * Moves the skip pointer (not the postings) to the block holding `target`.
   * @param target - a doc number at or after the current one
   * @returns the last doc of that block, or NO_MORE_DOCS past the end
   */
  shallowAdvance(target: number): number {
    const total = this.blockTotal;
    let block = Math.max(this.shallowBlock, this.block);
    while (block < total && this.lastDocOfBlock(block) < target) block++;
    this.shallowBlock = block;
    return block < total ? this.lastDocOfBlock(block) : NO_MORE_DOCS;
  }

  /** @returns the largest frequency in the block of the last shallowAdvance (0 past the end) */
  blockMaxFreq(): number {
    const list = this.list;
    const block = this.shallowBlock;
    if (block < list.blockCount) return list.blockMaxFreq[block]!;
    return block === list.blockCount ? list.tailMaxFreq : 0;
  }

  /** @returns the smallest field length in the block of the last shallowAdvance */
  blockMinLength(): number {
    const list = this.list;
    const block = this.shallowBlock;
    if (block < list.blockCount) return list.blockMinLength[block]!;
    return list.tailMinLength;
  }
}
