/**
 * Writes an index to the snapshot format (see format.ts).
 */

import type { ResolvedOptions } from '../index-options.js';
import { ByteBuffer } from '../postings/byte-buffer.js';
import type { IndexStore } from '../postings/index-store.js';
import { NO_MORE_DOCS, PostingCursor } from '../postings/posting-cursor.js';
import { crc32 } from './crc32.js';
import { HEADER_BYTES, SNAPSHOT_MAGIC, SNAPSHOT_VERSION, type SnapshotHeader } from './format.js';

const encoder = new TextEncoder();

function writeString(out: ByteBuffer, text: string): void {
  const bytes = encoder.encode(text);
  out.writeVarint(bytes.length);
  out.writeBytes(bytes);
}

/** What a snapshot holds: the index's state as plain data (an `InvertedIndex` is one). */
export interface SnapshotSource {
  readonly options: ResolvedOptions;
  readonly store: IndexStore;
  /** External id by doc number (undefined for deleted doc numbers). */
  readonly ids: readonly (string | number | undefined)[];
  /** Stored fields by doc number. */
  readonly stored: readonly (Record<string, unknown> | undefined)[];
}

/**
 * Encodes an index's state.
 * @param index - the state (an `InvertedIndex`)
 * @returns the snapshot bytes
 * @example
 * ```ts
 * const bytes = encodeSnapshot(index); // Uint8Array starting with 'XIIX'
 * ```
 */
export function encodeSnapshot(index: SnapshotSource): Uint8Array {
  const { store, options } = index;
  const fieldCount = store.fields.length;
  // dense doc numbers for live documents
  const remap = new Int32Array(store.docNumCount).fill(-1);
  const docs: [unknown, unknown][] = [];
  for (let doc = 0; doc < store.docNumCount; doc++) {
    if (store.deleted[doc] === 1) continue;
    remap[doc] = docs.length;
    docs.push([index.ids[doc], index.stored[doc] ?? null]);
  }
  // live terms, sorted
  const termIds: number[] = [];
  for (let id = 0; id < store.terms.length; id++)
    if (store.anyFieldDocFreq[id]! > 0) termIds.push(id);
  termIds.sort((a, b) => (store.terms[a]! < store.terms[b]! ? -1 : 1));

  const header: SnapshotHeader = {
    fields: options.fields,
    storeFields: options.storeFields,
    idField: options.idField,
    positions: options.positions,
    k1: options.k1,
    b: options.b,
    boost: options.boost,
    maxExpansions: options.maxExpansions,
    lengthNorm: options.lengthNorm,
    repeatedTerms: options.repeatedTerms,
    analyzers: options.analyzers.map((analyzer) => analyzer.config ?? null),
    docCount: docs.length,
    termCount: termIds.length,
  };
  const out = new ByteBuffer(1 << 16);
  out.writeBytes(SNAPSHOT_MAGIC);
  out.reserve(8);
  out.length += 8; // version and total length, filled in below
  writeString(out, JSON.stringify(header));
  writeString(out, JSON.stringify(docs));
  for (let f = 0; f < fieldCount; f++) {
    const lengths = store.lengths[f]!;
    for (let doc = 0; doc < store.docNumCount; doc++)
      if (remap[doc]! >= 0) out.writeVarint(lengths[doc]!);
  }
  out.writeVarint(termIds.length);
  let previous = '';
  for (const id of termIds) {
    const term = store.terms[id]!;
    let shared = 0;
    const limit = Math.min(previous.length, term.length);
    while (shared < limit && previous.charCodeAt(shared) === term.charCodeAt(shared)) shared++;
    const unit = term.charCodeAt(shared - 1);
    if (shared > 0 && unit >= 0xd800 && unit <= 0xdbff) shared--; // never split a surrogate pair
    out.writeVarint(shared);
    writeString(out, term.slice(shared));
    previous = term;
  }
  for (let f = 0; f < fieldCount; f++) {
    const lists = store.postings[f]!;
    const withPositions = store.fields[f]!.positions;
    for (const id of termIds) {
      const list = lists[id];
      if (!list || list.docFreq === 0) {
        out.writeVarint(0);
        continue;
      }
      out.writeVarint(list.docFreq);
      const cursor = new PostingCursor(list);
      let last = -1;
      for (let doc = cursor.nextDoc(); doc !== NO_MORE_DOCS; doc = cursor.nextDoc()) {
        const target = remap[doc]!;
        if (target < 0) continue;
        const freq = cursor.freq();
        out.writeVarint(target - last - 1);
        out.writeVarint(freq);
        last = target;
        if (withPositions) {
          const positions = cursor.positions();
          let previousPosition = 0;
          for (let p = 0; p < positions.length; p++) {
            out.writeVarint(positions[p]! - previousPosition);
            previousPosition = positions[p]!;
          }
        }
      }
    }
  }
  out.reserve(4);
  const total = out.length + 4;
  const view = new DataView(out.bytes.buffer, out.bytes.byteOffset, out.bytes.byteLength);
  view.setUint32(4, SNAPSHOT_VERSION, true);
  view.setUint32(8, total, true);
  view.setUint32(out.length, crc32(out.bytes.subarray(0, out.length)), true);
  out.length = total;
  return out.toBytes();
}

export { HEADER_BYTES };
