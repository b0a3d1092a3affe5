/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, the checksum of zip,
 * gzip and PNG), table-driven with slicing-by-4: four 256-entry tables let
 * the loop consume four bytes per step (Kounavis & Berry, "A Systematic
 * Approach to Building High Performance Software-based CRC Generators", 2005).
 */

const TABLES = (() => {
  const tables = new Int32Array(4 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n]!;
    for (let t = 1; t < 4; t++) {
      c = tables[c & 0xff]! ^ (c >>> 8);
      tables[t * 256 + n] = c;
    }
  }
  return tables;
})();

/**
 * The CRC-32 of `bytes[start..end)`, continuing from `previous` (to checksum in pieces).
 * @param bytes - the data
 * @param start - first byte (default 0)
 * @param end - one past the last byte (default `bytes.length`)
 * @param previous - the CRC of the preceding bytes (default 0)
 * @returns the checksum as an unsigned 32-bit integer
 * @example crc32(new TextEncoder().encode('123456789')).toString(16) // 'cbf43926'
 */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, previous = 0): number {
  const t = TABLES;
  let c = ~previous;
  let i = start;
  const stop4 = start + ((end - start) & ~3);
  for (; i < stop4; i += 4) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c =
      t[768 + (c & 0xff)]! ^
      t[512 + ((c >>> 8) & 0xff)]! ^
      t[256 + ((c >>> 16) & 0xff)]! ^
      t[c >>> 24]!;
  }
  for (; i < end; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
