/**
 * The inverted side of the index: the term dictionary (term -> term id),
 * per field the posting lists by term id, exact field lengths per document,
 * the deleted-document flags and the live statistics BM25 needs (document
 * counts, total field lengths, document frequencies), all kept right when
 * documents are deleted.
 */

import type { TokenStream } from '../analysis/token-stream.js';
import { PostingList } from './posting-list.js';

function growInt(array: Int32Array, size: number): Int32Array {
  if (size <= array.length) return array;
  const grown = new Int32Array(Math.max(size, array.length * 2, 16));
  grown.set(array);
  return grown;
}

/** Settings of one indexed field. */
export interface FieldSpec {
  /** The field name. */
  name: string;
  /** Whether positions are stored (phrase queries need them). */
  positions: boolean;
}

/**
 * Term dictionary, posting lists and statistics of all fields.
 *
 * @example
 * ```ts
 * const store = new IndexStore([{ name: 'text', positions: true }]);
 * const doc = store.addDocument([analyzer.analyze('hello world')]);
 * store.postings[0][store.termIds.get('hello')!]!.docFreq; // 1
 * ```
 */
export class IndexStore {
  /** Term -> term id (shared by all fields). */
  readonly termIds = new Map<string, number>();
  /** Term id -> term. */
  readonly terms: string[] = [];
  /** Per field, posting lists by term id. */
  readonly postings: (PostingList | undefined)[][];
  /** Per term id, live documents that hold the term in any field. */
  anyFieldDocFreq: Int32Array = new Int32Array(1024);
  /** Per field, field length (token count) by doc number. */
  readonly lengths: Int32Array[];
  /** Per field, sum of the live documents' field lengths. */
  readonly totalLength: number[];
  /** Per field, live documents with a non-empty field. */
  readonly fieldDocCount: number[];
  /** Per doc number, 1 when deleted. */
  deleted = new Uint8Array(1024);
  /** Per doc number, the term ids of each field (field count, then per field: n, ids...). */
  readonly docTerms: (Int32Array | undefined)[] = [];
  /** Doc numbers handed out (deleted ones included). */
  docNumCount = 0;
  /** Live documents. */
  liveCount = 0;

  private stamp: Int32Array = new Int32Array(1024);
  private slot: Int32Array = new Int32Array(1024);
  private anyStamp: Int32Array = new Int32Array(1024);
  /** Reused per document: token term ids, then positions grouped by term. */
  private scratch: Int32Array = new Int32Array(4096);
  private generation = 0;

  /** @param fields - the indexed fields */
  constructor(readonly fields: readonly FieldSpec[]) {
    this.postings = fields.map(() => []);
    this.lengths = fields.map(() => new Int32Array(1024));
    this.totalLength = fields.map(() => 0);
    this.fieldDocCount = fields.map(() => 0);
  }

  /**
   * The id of `term`, added to the dictionary when new.
   * @param term - the term
   * @returns its id
   */
  termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.termIds.set(term, id);
      this.terms.push(term);
      // keep every field's list array dense (indexed by term id), so it never turns into a dictionary
      for (const lists of this.postings) lists.push(undefined);
      if (id >= this.anyFieldDocFreq.length) {
        this.anyFieldDocFreq = growInt(this.anyFieldDocFreq, id + 1);
        this.stamp = growInt(this.stamp, id + 1);
        this.slot = growInt(this.slot, id + 1);
        this.anyStamp = growInt(this.anyStamp, id + 1);
      }
    }
    return id;
  }

  /**
   * Indexes one document, given its analyzed fields in field order.
   * @param streams - one token stream per field (empty for a missing field)
   * @returns the new document's doc number
   */
  addDocument(streams: readonly TokenStream[]): number {
    const doc = this.docNumCount++;
    if (doc >= this.deleted.length) {
      const grown = new Uint8Array(this.deleted.length * 2);
      grown.set(this.deleted);
      this.deleted = grown;
    }
    const docTermIds: number[] = [this.fields.length];
    const anyGeneration = ++this.generation;
    for (let f = 0; f < this.fields.length; f++) {
      const { terms, positions } = streams[f]!;
      const length = terms.length;
      this.lengths[f] = growInt(this.lengths[f]!, doc + 1);
      this.lengths[f]![doc] = length;
      if (length === 0) {
        docTermIds.push(0);
        continue;
      }
      this.totalLength[f]! += length;
      this.fieldDocCount[f]!++;
      // pass 1: term ids and frequencies per distinct term
      const generation = ++this.generation;
      if (this.scratch.length < length * 2 + 2) this.scratch = new Int32Array(length * 4 + 64);
      const tokenTerm = this.scratch.subarray(0, length);
      const grouped = this.scratch.subarray(length, length * 2);
      const unique: number[] = [];
      const counts: number[] = [];
      for (let i = 0; i < length; i++) {
        const id = this.termId(terms[i]!);
        tokenTerm[i] = id;
        if (this.stamp[id] !== generation) {
          this.stamp[id] = generation;
          this.slot[id] = unique.length;
          unique.push(id);
          counts.push(0);
        }
        counts[this.slot[id]!]!++;
      }
      // pass 2: positions grouped by term (a counting sort)
      const offsets: number[] = new Array(unique.length + 1);
      offsets[0] = 0;
      for (let u = 0; u < unique.length; u++) offsets[u + 1] = offsets[u]! + counts[u]!;
      const fill = offsets.slice(0, unique.length);
      for (let i = 0; i < length; i++) grouped[fill[this.slot[tokenTerm[i]!]!]!++] = positions[i]!;
      const lists = this.postings[f]!;
      const withPositions = this.fields[f]!.positions;
      docTermIds.push(unique.length);
      for (let u = 0; u < unique.length; u++) {
        const id = unique[u]!;
        let list = lists[id];
        if (list === undefined) {
          list = new PostingList(withPositions);
          lists[id] = list;
        }
        list.append(doc, grouped, length, counts[u]!, offsets[u]!);
        list.docFreq++;
        docTermIds.push(id);
        if (this.anyStamp[id] !== anyGeneration) {
          this.anyStamp[id] = anyGeneration;
          this.anyFieldDocFreq[id]!++;
        }
      }
    }
    this.docTerms[doc] = Int32Array.from(docTermIds);
    this.liveCount++;
    return doc;
  }

  /**
   * Marks a document deleted and takes it out of every statistic. Its
   * postings stay until the index is compacted; queries skip it.
   * @param doc - the doc number
   */
  deleteDocument(doc: number): void {
    if (this.deleted[doc] === 1) return;
    this.deleted[doc] = 1;
    this.liveCount--;
    const docTermIds = this.docTerms[doc]!;
    const seen = new Set<number>();
    let at = 1;
    for (let f = 0; f < this.fields.length; f++) {
      const n = docTermIds[at++]!;
      const length = this.lengths[f]![doc]!;
      if (length > 0) {
        this.totalLength[f]! -= length;
        this.fieldDocCount[f]!--;
      }
      for (let i = 0; i < n; i++) {
        const id = docTermIds[at++]!;
        this.postings[f]![id]!.docFreq--;
        if (!seen.has(id)) {
          seen.add(id);
          this.anyFieldDocFreq[id]!--;
        }
      }
    }
    this.docTerms[doc] = undefined;
  }

  /**
   * Average field length over live documents with the field (1 when none).
   * @param field - field index
   * @returns the average length
   */
  averageLength(field: number): number {
    const count = this.fieldDocCount[field]!;
    return count > 0 ? this.totalLength[field]! / count : 1;
  }

  /** Total analyzed tokens over live documents and all fields. */
  tokenCount(): number {
    return this.totalLength.reduce((sum, value) => sum + value, 0);
  }
}
