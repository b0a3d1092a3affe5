/**
 * Test support: edit a snapshot's bytes and make them valid again (length
 * and CRC-32), to reach the decoder's structural checks behind the checksum
 * (fuzzing) and to write older-version snapshots (compatibility tests).
 */
import { crc32 } from '../snapshot/crc32.js';
import { HEADER_BYTES } from '../snapshot/format.js';

function readVarint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, at];
    shift += 7;
  }
}

function varint(value: number): number[] {
  const out: number[] = [];
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return out;
}

/**
 * Rewrites the total length and the checksum of (edited) snapshot bytes.
 * @param bytes - magic, version, length, payload, checksum
 * @returns a copy the decoder's length and checksum checks accept
 */
export function resealSnapshot(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(8, out.length, true);
  view.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

/**
 * Replaces the JSON header (and optionally the version) of a snapshot.
 * @param bytes - a valid snapshot
 * @param edit - receives the parsed header, returns the new one
 * @param version - the format version to write, else unchanged
 * @returns the resealed snapshot
 */
export function rewriteSnapshotHeader(
  bytes: Uint8Array,
  edit: (header: Record<string, unknown>) => Record<string, unknown>,
  version?: number,
): Uint8Array {
  const [length, start] = readVarint(bytes, HEADER_BYTES);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(start, start + length)));
  const encoded = new TextEncoder().encode(JSON.stringify(edit(header)));
  const out = new Uint8Array(HEADER_BYTES + 10 + encoded.length + bytes.length);
  out.set(bytes.subarray(0, HEADER_BYTES));
  let at = HEADER_BYTES;
  for (const byte of varint(encoded.length)) out[at++] = byte;
  out.set(encoded, at);
  at += encoded.length;
  const rest = bytes.subarray(start + length);
  out.set(rest, at);
  const result = out.slice(0, at + rest.length);
  if (version !== undefined) new DataView(result.buffer).setUint32(4, version, true);
  return resealSnapshot(result);
}
