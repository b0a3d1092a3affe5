/**
 * Builds an {@link IndexStore} straight from postings, without analysis:
 * used to compact an index (drop deleted documents, renumber the rest) and
 * to load a snapshot. Statistics and per-document term lists are derived
 * from the postings, so they are right by construction.
 */

import { type FieldSpec, IndexStore } from './index-store.js';
import { PostingList } from './posting-list.js';

/** Receives one posting: the caller emits them field by field, term by term, docs ascending. */
export type PostingSink = (
  field: number,
  termId: number,
  doc: number,
  positions: ArrayLike<number>,
  freq: number,
) => void;

/**
 * Builds a store of `docCount` live documents.
 * @param fields - the fields
 * @param terms - the term dictionary (term id = index)
 * @param lengths - per field, the field length of each doc
 * @param emit - calls the sink once per posting
 * @returns the store
 * @example
 * ```ts
 * const store = buildStore(fields, ['a'], [Int32Array.of(1)], (sink) => sink(0, 0, 0, [0], 1));
 * store.liveCount; // 1
 * ```
 */
export function buildStore(
  fields: readonly FieldSpec[],
  terms: readonly string[],
  lengths: readonly Int32Array[],
  emit: (sink: PostingSink) => void,
): IndexStore {
  const store = new IndexStore(fields);
  for (const term of terms) store.termId(term);
  const docCount = lengths[0]?.length ?? 0;
  const perDoc: number[][][] = fields.map(() => []);
  emit((field, termId, doc, positions, freq) => {
    const lists = store.postings[field]!;
    let list = lists[termId];
    if (list === undefined) {
      list = new PostingList(fields[field]!.positions);
      lists[termId] = list;
    }
    list.append(doc, positions, lengths[field]![doc]!, freq);
    list.docFreq++;
    const docs = perDoc[field]!;
    const termIds = docs[doc];
    if (termIds) termIds.push(termId);
    else docs[doc] = [termId];
  });
  store.docNumCount = docCount;
  store.liveCount = docCount;
  const deleted = new Uint8Array(Math.max(1024, docCount));
  store.deleted = deleted;
  for (let f = 0; f < fields.length; f++) {
    const target = new Int32Array(Math.max(1024, docCount));
    target.set(lengths[f]!.subarray(0, docCount));
    store.lengths[f] = target;
    let total = 0;
    let count = 0;
    for (let doc = 0; doc < docCount; doc++) {
      const length = lengths[f]![doc]!;
      total += length;
      if (length > 0) count++;
    }
    store.totalLength[f] = total;
    store.fieldDocCount[f] = count;
  }
  const seen = new Int32Array(terms.length).fill(-1);
  for (let doc = 0; doc < docCount; doc++) {
    const ids: number[] = [fields.length];
    for (let f = 0; f < fields.length; f++) {
      const termIds = perDoc[f]![doc] ?? [];
      ids.push(termIds.length);
      for (const id of termIds) {
        ids.push(id);
        if (seen[id] !== doc) {
          seen[id] = doc;
          store.anyFieldDocFreq[id]!++;
        }
      }
    }
    store.docTerms[doc] = Int32Array.from(ids);
  }
  return store;
}
