/**
 * Reads the snapshot format (see format.ts), checking magic, version,
 * length and checksum before anything else, and every read against the end.
 * It decodes to plain state (options, store, ids, stored fields) that
 * `InvertedIndex.load` adopts, so this module does not import the index.
 */

import { type Analyzer, type AnalyzerConfig, createAnalyzer } from '../analysis/analyzer.js';
import type { WordSegmenter } from '../analysis/cjk-filter.js';
import { CorruptSnapshotError, SnapshotError, SnapshotVersionError } from '../errors.js';
import { type InvertedIndexOptions, resolveOptions } from '../index-options.js';
import { own, setOwn } from '../own.js';
import type { IndexStore } from '../postings/index-store.js';
import { buildStore } from '../postings/store-builder.js';
import { crc32 } from './crc32.js';
import {
  HEADER_BYTES,
  OLDEST_SNAPSHOT_VERSION,
  SNAPSHOT_MAGIC,
  SNAPSHOT_VERSION,
  type SnapshotHeader,
} from './format.js';

/** Options of `InvertedIndex.load`. */
export interface LoadOptions {
  /** Analyzers for fields saved with custom analyzers (required for those), by field. */
  analyzers?: Readonly<Record<string, Analyzer>>;
  /** The word segmenter for fields saved with `cjk: 'dictionary'`. */
  segmenter?: WordSegmenter;
}

/** A decoded snapshot: what an index consists of, as plain data. */
export interface SnapshotState {
  /** The index's options (validated), as the constructor takes them. */
  options: InvertedIndexOptions;
  /** Term dictionary, postings and statistics, doc numbers dense from 0. */
  store: IndexStore;
  /** External id by doc number. */
  ids: (string | number)[];
  /** Stored fields by doc number (undefined when the document stored none). */
  stored: (Record<string, unknown> | undefined)[];
}

const decoder = new TextDecoder('utf-8', { fatal: true });

class Reader {
  at = HEADER_BYTES;
  constructor(
    readonly bytes: Uint8Array,
    readonly end: number,
  ) {}

  /** Bytes left before the checksum. */
  get remaining(): number {
    return this.end - this.at;
  }

  /**
   * A count that needs at least `bytesEach` bytes per item: larger than what
   * is left, it cannot be right (and must not size an allocation).
   */
  count(what: string, bytesEach = 1): number {
    const value = this.varint();
    if (value * bytesEach > this.remaining)
      throw new CorruptSnapshotError(
        'structure',
        `${what} ${value} exceeds the ${this.remaining} bytes left in the snapshot`,
      );
    return value;
  }

  varint(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (this.at >= this.end)
        throw new CorruptSnapshotError('structure', 'snapshot ends inside a number');
      const byte = this.bytes[this.at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
      if (shift > 49) throw new CorruptSnapshotError('structure', 'malformed varint in snapshot');
    }
  }

  string(): string {
    const length = this.varint();
    if (this.at + length > this.end)
      throw new CorruptSnapshotError('structure', 'snapshot ends inside a string');
    const text = decoder.decode(this.bytes.subarray(this.at, this.at + length));
    this.at += length;
    return text;
  }
}

/**
 * Checks and decodes a snapshot to plain state.
 * @param input - the bytes
 * @param options - analyzers for custom-analyzed fields
 * @returns the options, store, ids and stored fields
 * @throws CorruptSnapshotError when bytes are truncated, corrupted or not a snapshot
 * @throws SnapshotVersionError for an unknown version
 * @example
 * ```ts
 * const { options, store, ids } = decodeSnapshot(bytes, {});
 * ```
 */
export function decodeSnapshot(
  input: Uint8Array | ArrayBuffer,
  options: LoadOptions,
): SnapshotState {
  if (!(input instanceof Uint8Array) && !(input instanceof ArrayBuffer)) {
    throw new SnapshotError(
      'load',
      `bytes must be a Uint8Array or an ArrayBuffer, got ${input === null ? 'null' : typeof input}`,
    );
  }
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < HEADER_BYTES + 4) {
    throw new CorruptSnapshotError('truncated', `snapshot of ${bytes.length} bytes is too short`);
  }
  for (let i = 0; i < SNAPSHOT_MAGIC.length; i++) {
    if (bytes[i] !== SNAPSHOT_MAGIC[i]) {
      throw new CorruptSnapshotError('magic', 'not an inverted-index snapshot (bad magic bytes)');
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version < OLDEST_SNAPSHOT_VERSION || version > SNAPSHOT_VERSION)
    throw new SnapshotVersionError(version, SNAPSHOT_VERSION);
  const total = view.getUint32(8, true);
  if (bytes.length < total) {
    throw new CorruptSnapshotError(
      'truncated',
      `snapshot truncated: ${bytes.length} of ${total} bytes`,
    );
  }
  if (bytes.length > total) {
    throw new CorruptSnapshotError(
      'structure',
      `snapshot has ${bytes.length - total} bytes past its end`,
    );
  }
  const end = total - 4;
  const expected = view.getUint32(end, true);
  const actual = crc32(bytes.subarray(0, end));
  if (expected !== actual) {
    throw new CorruptSnapshotError(
      'checksum',
      `snapshot checksum mismatch: stored ${expected.toString(16)}, computed ${actual.toString(16)}`,
    );
  }
  try {
    return decodeBody(new Reader(bytes, end), options, version);
  } catch (error) {
    if (SnapshotError.isInstance(error)) throw error;
    throw new CorruptSnapshotError('structure', `snapshot structure is invalid (${String(error)})`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeBody(reader: Reader, options: LoadOptions, version: number): SnapshotState {
  const header = JSON.parse(reader.string()) as SnapshotHeader;
  const docs = JSON.parse(reader.string()) as [string | number, Record<string, unknown> | null][];
  if (!isRecord(header) || !Array.isArray(header.fields) || !Array.isArray(docs))
    throw new CorruptSnapshotError('structure', 'snapshot header is not an object');
  const { fields, docCount, termCount } = header;
  if (!Number.isSafeInteger(docCount) || docCount !== docs.length)
    throw new CorruptSnapshotError(
      'structure',
      `document count ${docCount} does not match the ${docs.length} stored documents`,
    );
  if (!Number.isSafeInteger(termCount) || termCount < 0)
    throw new CorruptSnapshotError('structure', `bad term count ${termCount}`);
  // every document has one length varint per field; every term at least two bytes
  if (docCount * fields.length > reader.remaining || termCount * 2 > reader.remaining)
    throw new CorruptSnapshotError('structure', 'counts exceed the snapshot size');
  const ids: (string | number)[] = new Array(docCount);
  const stored: (Record<string, unknown> | undefined)[] = new Array(docCount);
  const seenIds = new Set<string | number>();
  docs.forEach((entry, doc) => {
    const [id, fieldsOfDoc] = Array.isArray(entry) ? entry : [];
    if ((typeof id !== 'string' && typeof id !== 'number') || seenIds.has(id))
      throw new CorruptSnapshotError('structure', `bad or duplicate document id at doc ${doc}`);
    if (fieldsOfDoc !== null && !isRecord(fieldsOfDoc))
      throw new CorruptSnapshotError('structure', `bad stored fields at doc ${doc}`);
    seenIds.add(id);
    ids[doc] = id;
    if (fieldsOfDoc) stored[doc] = fieldsOfDoc;
  });
  const analyzers: Record<string, Analyzer | AnalyzerConfig> = {};
  const byConfig = new Map<string, Analyzer>();
  fields.forEach((field, f) => {
    let config = header.analyzers[f];
    // version 1 wrote only the settings given; its default stopwords were Lucene's 33
    if (version === 1 && isRecord(config) && config.stopwords === undefined)
      config = { ...config, stopwords: 'lucene' };
    const custom = own(options.analyzers, field);
    if (custom) setOwn(analyzers, field, custom);
    else if (config) {
      if (config.cjk === 'dictionary' && !options.segmenter) {
        throw new SnapshotError(
          'load',
          `field '${field}' was saved with cjk 'dictionary': pass options.segmenter (await loadJiebaSegmenter())`,
        );
      }
      const key = JSON.stringify(config);
      let analyzer = byConfig.get(key);
      if (!analyzer) {
        analyzer = createAnalyzer({ ...config, segmenter: options.segmenter });
        byConfig.set(key, analyzer);
      }
      setOwn(analyzers, field, analyzer);
    } else {
      throw new CorruptSnapshotError(
        'structure',
        `field '${field}' was saved with a custom analyzer: pass it in load options.analyzers`,
      );
    }
  });
  const indexOptions: InvertedIndexOptions = {
    fields,
    storeFields: header.storeFields,
    idField: header.idField,
    analyzers,
    positions: Object.fromEntries(fields.map((field, f) => [field, header.positions[f]!])),
    k1: header.k1,
    b: Object.fromEntries(fields.map((field, f) => [field, header.b[f]!])),
    boost: Object.fromEntries(fields.map((field, f) => [field, header.boost[f]!])),
    maxExpansions: header.maxExpansions,
    lengthNorm: header.lengthNorm,
    repeatedTerms: version === 1 ? 'sum' : header.repeatedTerms,
  };
  resolveOptions(indexOptions); // throws OptionError for values no index could have been built with
  const fieldSpecs = fields.map((name, f) => {
    if (typeof header.positions[f] !== 'boolean')
      throw new CorruptSnapshotError('structure', `bad positions flag of field '${name}'`);
    return { name, positions: header.positions[f]! };
  });
  const lengths = fields.map(() => {
    const out = new Int32Array(docCount);
    for (let doc = 0; doc < docCount; doc++) {
      const length = reader.varint();
      if (length > 0x7fffffff)
        throw new CorruptSnapshotError('structure', `bad field length ${length}`);
      out[doc] = length;
    }
    return out;
  });
  if (reader.varint() !== termCount)
    throw new CorruptSnapshotError('structure', 'term count mismatch');
  const terms: string[] = new Array(termCount);
  let previous = '';
  for (let t = 0; t < termCount; t++) {
    const shared = reader.varint();
    if (shared > previous.length)
      throw new CorruptSnapshotError('structure', 'bad term prefix length');
    const term = previous.slice(0, shared) + reader.string();
    if (t > 0 && term <= previous)
      throw new CorruptSnapshotError('structure', `terms out of order at term ${t}`);
    previous = term;
    terms[t] = term;
  }
  const store = buildStore(fieldSpecs, terms, lengths, (sink) => {
    let positions = new Int32Array(64);
    for (let f = 0; f < fields.length; f++) {
      const withPositions = header.positions[f]!;
      for (let t = 0; t < termCount; t++) {
        const count = reader.count('posting count', 2);
        let doc = -1;
        for (let i = 0; i < count; i++) {
          doc += reader.varint() + 1;
          const freq = reader.varint();
          if (doc >= docCount || freq === 0 || freq > lengths[f]![doc]!)
            throw new CorruptSnapshotError('structure', 'bad posting');
          if (withPositions) {
            if (freq > reader.remaining)
              throw new CorruptSnapshotError('structure', 'positions exceed the snapshot size');
            if (positions.length < freq) positions = new Int32Array(freq * 2);
            let position = 0;
            for (let p = 0; p < freq; p++) positions[p] = position += reader.varint();
          }
          sink(f, t, doc, positions.subarray(0, withPositions ? freq : 0), freq);
        }
      }
    }
  });
  if (reader.at !== reader.end)
    throw new CorruptSnapshotError('structure', 'unread bytes in snapshot');
  return { options: indexOptions, store, ids, stored };
}
