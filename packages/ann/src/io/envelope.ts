/**
 * The envelope of every saved index, format version 1 (little-endian):
 *
 * | offset | size | field                                               |
 * |--------|------|-----------------------------------------------------|
 * | 0      | 4    | magic `XANN`                                        |
 * | 4      | 2    | format version (1)                                  |
 * | 6      | 1    | index kind (0 flat, 1 hnsw, 2 ivf-pq, 3 ivf-flat, 4 rp-forest) |
 * | 7      | 1    | metric (0 l2, 1 ip, 2 cosine)                       |
 * | 8      | 4    | dimension                                           |
 * | 12     | 4    | flags (0, reserved)                                 |
 * | 16     | 8    | total length in bytes, u32 low then u32 high        |
 * | 24     | ...  | body, written by the index kind                     |
 * | end-4  | 4    | CRC-32 of every byte before it                      |
 *
 * Opening checks, in order: magic, version, kind, declared length against
 * the actual length (truncation), checksum; the body reader then refuses to
 * run past the checksum and must end exactly on it.
 */
import { METRICS, type Metric } from '../distance.js';
import { CorruptIndexError, TruncatedIndexError, UnsupportedVersionError } from '../errors.js';
import type { IndexKind } from '../vector-index.js';
import { ByteReader, ByteWriter } from './binary.js';
import { crc32 } from './crc32.js';

/** The format version this build writes and the newest it reads. */
export const FORMAT_VERSION = 1;

/** Index kinds by their code in the envelope. */
export const INDEX_KINDS: readonly IndexKind[] = [
  'flat',
  'hnsw',
  'ivf-pq',
  'ivf-flat',
  'rp-forest',
];

const MAGIC = [0x58, 0x41, 0x4e, 0x4e];
const HEADER_BYTES = 24;

/** The header fields of a saved index. */
export interface EnvelopeHeader {
  /** Format version found. */
  version: number;
  /** Index kind. */
  kind: IndexKind;
  /** Metric. */
  metric: Metric;
  /** Vector dimension. */
  dimension: number;
}

/**
 * Writes a complete saved index: header, body, checksum.
 * @returns a new Uint8Array of exactly the file's length
 */
export function writeEnvelope(
  kind: IndexKind,
  metric: Metric,
  dimension: number,
  body: (writer: ByteWriter) => void,
  sizeHint = 1024,
): Uint8Array {
  const writer = new ByteWriter(sizeHint + HEADER_BYTES + 4);
  for (const byte of MAGIC) writer.u8(byte);
  writer.u16(FORMAT_VERSION);
  writer.u8(INDEX_KINDS.indexOf(kind));
  writer.u8(METRICS.indexOf(metric));
  writer.u32(dimension);
  writer.u32(0);
  writer.u32(0);
  writer.u32(0);
  body(writer);
  const total = writer.length + 4;
  writer.patchU32(16, total % 0x100000000);
  writer.patchU32(20, Math.floor(total / 0x100000000));
  const bytes = writer.finish();
  writer.u32(crc32(bytes));
  return writer.finish().slice();
}

/** Normalizes the input of `load` to a Uint8Array view (no copy). */
export function asBytes(op: string, data: Uint8Array | ArrayBuffer | ArrayBufferView): Uint8Array {
  // A plain Uint8Array view: Node's Buffer.slice shares memory instead of copying.
  if (data instanceof Uint8Array && data.constructor === Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new CorruptIndexError(
    op,
    'structure',
    'expected a Uint8Array, an ArrayBuffer or a typed array',
  );
}

/**
 * The kind recorded in a saved index's header, after checking the magic and
 * version only (the index's own `load` checks the rest).
 * @throws CorruptIndexError, TruncatedIndexError, UnsupportedVersionError
 */
export function peekKind(op: string, data: Uint8Array | ArrayBuffer | ArrayBufferView): IndexKind {
  const bytes = asBytes(op, data);
  for (let i = 0; i < MAGIC.length && i < bytes.length; i++)
    if (bytes[i] !== MAGIC[i])
      throw new CorruptIndexError(
        op,
        'magic',
        'not a saved @x/ann index (magic "XANN" not found)',
        i,
      );
  if (bytes.length < HEADER_BYTES + 4)
    throw new TruncatedIndexError(op, HEADER_BYTES + 4, bytes.length, 'saved index');
  const version = bytes[4]! | (bytes[5]! << 8);
  if (version === 0 || version > FORMAT_VERSION)
    throw new UnsupportedVersionError(op, version, FORMAT_VERSION);
  const kind = INDEX_KINDS[bytes[6]!];
  if (kind === undefined)
    throw new CorruptIndexError(op, 'kind', `unknown index kind code ${bytes[6]}`, 6);
  return kind;
}

/**
 * Checks a saved index and returns its header and a reader positioned on the body.
 * @param op - operation named in errors
 * @param data - the saved bytes
 * @param expectedKind - the kind the caller can load (omit to accept any)
 * @throws CorruptIndexError for a wrong magic, unknown kind or metric, checksum mismatch
 * @throws TruncatedIndexError when the data is shorter than its header says
 * @throws UnsupportedVersionError for a newer format version
 */
export function openEnvelope(
  op: string,
  data: Uint8Array | ArrayBuffer | ArrayBufferView,
  expectedKind?: IndexKind,
): { header: EnvelopeHeader; reader: ByteReader; finish: () => void } {
  const bytes = asBytes(op, data);
  for (let i = 0; i < MAGIC.length && i < bytes.length; i++)
    if (bytes[i] !== MAGIC[i])
      throw new CorruptIndexError(
        op,
        'magic',
        'not a saved @x/ann index (magic "XANN" not found)',
        i,
      );
  if (bytes.length < HEADER_BYTES + 4)
    throw new TruncatedIndexError(op, HEADER_BYTES + 4, bytes.length, 'saved index');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version === 0 || version > FORMAT_VERSION)
    throw new UnsupportedVersionError(op, version, FORMAT_VERSION);
  const kind = INDEX_KINDS[view.getUint8(6)];
  if (kind === undefined)
    throw new CorruptIndexError(op, 'kind', `unknown index kind code ${view.getUint8(6)}`, 6);
  if (expectedKind !== undefined && kind !== expectedKind)
    throw new CorruptIndexError(
      op,
      'kind',
      `the data holds a ${kind} index, not ${expectedKind}`,
      6,
    );
  const metric = METRICS[view.getUint8(7)];
  if (metric === undefined)
    throw new CorruptIndexError(op, 'structure', `unknown metric code ${view.getUint8(7)}`, 7);
  const dimension = view.getUint32(8, true);
  const total = view.getUint32(16, true) + view.getUint32(20, true) * 0x100000000;
  if (bytes.length < total) throw new TruncatedIndexError(op, total, bytes.length, 'saved index');
  if (bytes.length > total || total < HEADER_BYTES + 4)
    throw new CorruptIndexError(
      op,
      'structure',
      `the header declares ${total} bytes but the data holds ${bytes.length}`,
      16,
    );
  const stored = view.getUint32(total - 4, true);
  const actual = crc32(bytes, 0, total - 4);
  if (stored !== actual)
    throw new CorruptIndexError(
      op,
      'checksum',
      `checksum mismatch: stored crc32 ${hex(stored)}, computed ${hex(actual)}`,
      total - 4,
    );
  if (dimension < 1)
    throw new CorruptIndexError(op, 'structure', `dimension ${dimension} is invalid`, 8);
  const reader = new ByteReader(bytes, op, HEADER_BYTES, total - 4);
  const finish = () => {
    if (reader.offset !== total - 4)
      throw new CorruptIndexError(
        op,
        'structure',
        `body ends at ${reader.offset}, ${total - 4 - reader.offset} bytes before the checksum`,
        reader.offset,
      );
  };
  return { header: { version, kind, metric, dimension }, reader, finish };
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
