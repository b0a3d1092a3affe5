/**
 * The LSA model's binary format, little-endian:
 *
 *   magic "XLSA" | u32 version | u32 header bytes | header (UTF-8 JSON:
 *   dims, analyzer, terms, singularValues) | zero padding to 4 bytes |
 *   f32 idf[terms] | f32 projection[terms * dims] | u32 CRC-32 of all before
 *
 * Decoding checks the magic, the version, every length and the checksum
 * before it builds anything, and reports failures as IndexSnapshotError.
 */

import { crc32 } from '@x/ann';
import { IndexSnapshotError } from '../errors.js';
import type { LsaModel } from './lsa.js';

const MAGIC = 0x41534c58; // "XLSA" read as a little-endian u32
/** The version {@link encodeLsa} writes. */
export const LSA_FORMAT_VERSION = 1;

/**
 * @param model - the fitted model
 * @returns its bytes
 */
export function encodeLsa(model: LsaModel): Uint8Array {
  const header = new TextEncoder().encode(
    JSON.stringify({
      dims: model.dims,
      analyzer: model.analyzer,
      terms: model.terms,
      singularValues: [...model.singularValues],
    }),
  );
  const headerEnd = 12 + header.length;
  const arraysStart = Math.ceil(headerEnd / 4) * 4;
  const total = arraysStart + 4 * (model.idf.length + model.projection.length) + 4;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, LSA_FORMAT_VERSION, true);
  view.setUint32(8, header.length, true);
  bytes.set(header, 12);
  let offset = arraysStart;
  for (const array of [model.idf, model.projection]) {
    for (const x of array) {
      view.setFloat32(offset, x, true);
      offset += 4;
    }
  }
  view.setUint32(offset, crc32(bytes.subarray(0, offset)), true);
  return bytes;
}

/**
 * @param bytes - what {@link encodeLsa} wrote
 * @param source - the file or label named in errors
 * @returns the model
 * @throws IndexSnapshotError for truncated, corrupt or other-version bytes
 */
export function decodeLsa(bytes: Uint8Array, source = 'LSA model bytes'): LsaModel {
  const fail = (why: string): never => {
    throw new IndexSnapshotError(`LSA model: ${why}`, source);
  };
  if (bytes.length < 16) fail(`truncated (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) fail('not an LSA model (bad magic)');
  const version = view.getUint32(4, true);
  if (version !== LSA_FORMAT_VERSION)
    fail(`format version ${version}, this build reads ${LSA_FORMAT_VERSION}`);
  const stored = view.getUint32(bytes.length - 4, true);
  if (crc32(bytes.subarray(0, bytes.length - 4)) !== stored)
    fail('checksum mismatch (corrupt or truncated)');
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length - 4) fail('header runs past the end');
  let header: { dims?: unknown; analyzer?: unknown; terms?: unknown; singularValues?: unknown };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  } catch {
    return fail('header is not JSON');
  }
  const { dims, terms, singularValues, analyzer } = header;
  if (
    !(Number.isInteger(dims) && (dims as number) > 0) ||
    !Array.isArray(terms) ||
    !terms.every((term) => typeof term === 'string') ||
    !Array.isArray(singularValues) ||
    singularValues.length !== dims ||
    typeof analyzer !== 'object' ||
    analyzer === null
  ) {
    fail('header fields missing or of the wrong type');
  }
  const d = dims as number;
  const count = (terms as string[]).length;
  const arraysStart = Math.ceil((12 + headerLength) / 4) * 4;
  if (arraysStart + 4 * count * (1 + d) + 4 !== bytes.length)
    fail('array lengths do not match the header');
  const readFloats = (start: number, length: number) => {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = view.getFloat32(start + 4 * i, true);
    return out;
  };
  return {
    dims: d,
    analyzer: analyzer as LsaModel['analyzer'],
    terms: terms as string[],
    singularValues: Float64Array.from(singularValues as number[]),
    idf: readFloats(arraysStart, count),
    projection: readFloats(arraysStart + 4 * count, count * d),
  };
}
