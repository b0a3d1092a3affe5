/**
 * A growable byte buffer with variable-byte (LEB128) integers: 7 bits per
 * byte, high bit set on every byte but the last. The postings store doc-id
 * deltas, frequencies and position deltas this way.
 */

/**
 * A growable `Uint8Array` with variable-byte writes.
 *
 * @example
 * ```ts
 * const buffer = new ByteBuffer();
 * buffer.writeVarint(300);
 * buffer.bytes.subarray(0, buffer.length); // Uint8Array [172, 2]
 * ```
 */
export class ByteBuffer {
  /** The storage; bytes past `length` are unused. */
  bytes: Uint8Array;
  /** Bytes written. */
  length = 0;

  /** @param capacity - initial capacity in bytes */
  constructor(capacity = 64) {
    this.bytes = new Uint8Array(capacity);
  }

  /**
   * Makes room for `extra` more bytes.
   * @param extra - bytes about to be written
   */
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /**
   * Appends a non-negative integer below 2^32 as a varint.
   * @param value - the integer
   */
  writeVarint(value: number): void {
    this.reserve(5);
    const bytes = this.bytes;
    let at = this.length;
    while (value >= 0x80) {
      bytes[at++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    bytes[at++] = value;
    this.length = at;
  }

  /**
   * Appends raw bytes.
   * @param data - the bytes
   */
  writeBytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  /** @returns a copy of the written bytes, trimmed to `length` */
  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/**
 * Reads varints from a byte array; `offset` advances past each read.
 *
 * @example
 * ```ts
 * const reader = new ByteReader(new Uint8Array([172, 2]));
 * reader.readVarint(); // 300
 * ```
 */
export class ByteReader {
  /** The next byte to read. */
  offset: number;

  /**
   * @param bytes - the bytes
   * @param offset - where to start
   */
  constructor(
    readonly bytes: Uint8Array,
    offset = 0,
  ) {
    this.offset = offset;
  }

  /** @returns the next varint (no bounds check: callers validate lengths first) */
  readVarint(): number {
    const bytes = this.bytes;
    let at = this.offset;
    let byte = bytes[at++]!;
    let value = byte & 0x7f;
    let shift = 7;
    while (byte & 0x80) {
      byte = bytes[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    }
    this.offset = at;
    return value;
  }
}
