/**
 * The snapshot format, version 1 (all integers little-endian or varint):
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
 */

import type { AnalyzerConfig } from '../analysis/analyzer.js';

/** The bytes every snapshot starts with. */
export const SNAPSHOT_MAGIC = Uint8Array.of(0x58, 0x49, 0x49, 0x58); // XIIX

/** The format version this build writes and reads. */
export const SNAPSHOT_VERSION = 1;

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
  /** Per field, the analyzer config, or null for a custom analyzer. */
  analyzers: (AnalyzerConfig | null)[];
  docCount: number;
  termCount: number;
}
