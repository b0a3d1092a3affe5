/**
 * The snapshot format, version 2 (all integers little-endian or varint):
 *
 *   magic "XIIX" (4 bytes) | version u32 | total length u32 (checksum included)
 *   header   varint length + UTF-8 JSON: options, analyzer configs, counts
 *   docs     varint length + UTF-8 JSON: [[id, storedFields | null], ...]
 *   lengths  per field, per doc: varint field length
 *   terms    varint count, then sorted terms front-coded:
 *            varint shared prefix (UTF-16 units), varint suffix bytes, UTF-8 suffix
 *   postings per field, per term: varint doc count (0 = none), then per doc
 *            varint (doc - previous - 1), varint freq, freq varint position deltas
 *            when the field stores positions
 *   crc32 u32 of every byte before it
 *
 * Deleted documents are never written: doc numbers are dense.
 *
 * Version 2 (0.1) writes every analyzer setting explicitly and the header
 * field `repeatedTerms`; the bytes are laid out as in version 1. Version 1
 * snapshots still load, with the defaults of their time: absent stopwords
 * mean Lucene's 33, absent `repeatedTerms` means `sum`.
 */

import type { AnalyzerConfig } from '../analysis/analyzer.js';

/** The bytes every snapshot starts with. */
export const SNAPSHOT_MAGIC = Uint8Array.of(0x58, 0x49, 0x49, 0x58); // XIIX

/** The format version this build writes (it reads this one and {@link OLDEST_SNAPSHOT_VERSION} on). */
export const SNAPSHOT_VERSION = 2;

/** The oldest format version this build reads. */
export const OLDEST_SNAPSHOT_VERSION = 1;

/** Bytes before the payload: magic, version, total length. */
export const HEADER_BYTES = 12;

/** The JSON header of a snapshot. */
export interface SnapshotHeader {
  fields: string[];
  storeFields: string[];
  idField: string;
  positions: boolean[];
  k1: number;
  b: number[];
  boost: number[];
  maxExpansions: number;
  lengthNorm: 'exact' | 'lucene';
  /** Version 2 on; absent (version 1) means `sum`. */
  repeatedTerms?: 'once' | 'sum';
  /** Per field, the analyzer config, or null for a custom analyzer. */
  analyzers: (AnalyzerConfig | null)[];
  docCount: number;
  termCount: number;
}
