/**
 * Little-endian binary writing and bounds-checked reading for the saved-index
 * format. Arrays are copied in bulk on little-endian hosts (all current JS
 * platforms) and element by element through a DataView elsewhere. A read past
 * the end throws `CorruptIndexError`: the envelope has already checked the
 * length and the checksum, so an overrun means an inconsistent structure.
 */
import { CorruptIndexError } from '../errors.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A growable little-endian byte buffer. */
export class ByteWriter {
  private bytes: Uint8Array;
  private view: DataView;
  /** Bytes written so far. */
  length = 0;

  /** @param capacity - initial buffer size in bytes */
  constructor(capacity = 1024) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  private ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const bytes = new Uint8Array(capacity);
    bytes.set(this.bytes.subarray(0, this.length));
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer);
  }

  /** Writes an unsigned byte. */
  u8(value: number): void {
    this.ensure(1);
    this.view.setUint8(this.length, value);
    this.length += 1;
  }
  /** Writes an unsigned 16-bit integer. */
  u16(value: number): void {
    this.ensure(2);
    this.view.setUint16(this.length, value, true);
    this.length += 2;
  }
  /** Writes an unsigned 32-bit integer. */
  u32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, value >>> 0, true);
    this.length += 4;
  }
  /** Writes a signed 32-bit integer. */
  i32(value: number): void {
    this.ensure(4);
    this.view.setInt32(this.length, value, true);
    this.length += 4;
  }
  /** Writes a float64. */
  f64(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }
  /** Writes raw bytes. */
  u8Array(values: Uint8Array): void {
    this.ensure(values.length);
    this.bytes.set(values, this.length);
    this.length += values.length;
  }
  /** Writes int32 values. */
  i32Array(values: Int32Array): void {
    this.typed(values, 4, (offset, i) => this.view.setInt32(offset, values[i]!, true));
  }
  /** Writes float32 values. */
  f32Array(values: Float32Array): void {
    this.typed(values, 4, (offset, i) => this.view.setFloat32(offset, values[i]!, true));
  }
  /** Writes float64 values. */
  f64Array(values: Float64Array): void {
    this.typed(values, 8, (offset, i) => this.view.setFloat64(offset, values[i]!, true));
  }

  private typed(
    values: Int32Array | Float32Array | Float64Array,
    size: number,
    slow: (offset: number, i: number) => void,
  ): void {
    this.ensure(values.length * size);
    if (LITTLE_ENDIAN) {
      this.bytes.set(
        new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
        this.length,
      );
    } else {
      for (let i = 0; i < values.length; i++) slow(this.length + i * size, i);
    }
    this.length += values.length * size;
  }

  /** Overwrites an unsigned 32-bit integer at `offset`. */
  patchU32(offset: number, value: number): void {
    this.view.setUint32(offset, value >>> 0, true);
  }

  /** The written bytes (a view of the internal buffer, exactly `length` long). */
  finish(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** A bounds-checked little-endian reader over `bytes[start..end)`. */
export class ByteReader {
  private readonly view: DataView;
  /** Current position. */
  offset: number;

  /**
   * @param bytes - the data
   * @param op - operation named in errors
   * @param start - first byte to read
   * @param end - one past the last readable byte
   */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly op: string,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = start;
  }

  private take(size: number, what: string): number {
    const at = this.offset;
    if (size < 0 || !Number.isSafeInteger(size) || at + size > this.end)
      throw new CorruptIndexError(
        this.op,
        'structure',
        `${what} of ${size} bytes at offset ${at} runs past the end of the data (${this.end})`,
        at,
      );
    this.offset += size;
    return at;
  }

  /** Bytes left before the end. */
  get remaining(): number {
    return this.end - this.offset;
  }

  /**
   * Reads a u32 count of items that take at least `bytesEach` bytes each in
   * what follows, and checks it against the bytes left, so a corrupt count
   * fails here instead of sizing an allocation.
   * @param what - the count's name in the error
   * @param bytesEach - the fewest bytes each item takes later in the data
   * @returns the count
   * @throws CorruptIndexError when the items cannot fit in the bytes left
   */
  count(what: string, bytesEach: number): number {
    const at = this.offset;
    const value = this.u32();
    if (value * bytesEach > this.end - this.offset)
      throw new CorruptIndexError(
        this.op,
        'structure',
        `${what} ${value} at offset ${at} needs ${value * bytesEach} bytes, ${this.end - this.offset} are left`,
        at,
      );
    return value;
  }

  /** Reads an unsigned byte. */
  u8(): number {
    return this.view.getUint8(this.take(1, 'u8'));
  }
  /** Reads an unsigned 16-bit integer. */
  u16(): number {
    return this.view.getUint16(this.take(2, 'u16'), true);
  }
  /** Reads an unsigned 32-bit integer. */
  u32(): number {
    return this.view.getUint32(this.take(4, 'u32'), true);
  }
  /** Reads a signed 32-bit integer. */
  i32(): number {
    return this.view.getInt32(this.take(4, 'i32'), true);
  }
  /** Reads a float64. */
  f64(): number {
    return this.view.getFloat64(this.take(8, 'f64'), true);
  }
  /** Reads `count` raw bytes (a copy). */
  u8Array(count: number): Uint8Array {
    const at = this.take(count, 'byte array');
    return this.bytes.slice(at, at + count);
  }
  /** Reads `count` int32 values (a copy). */
  i32Array(count: number): Int32Array {
    const at = this.take(count * 4, 'int32 array');
    if (LITTLE_ENDIAN) return new Int32Array(this.bytes.slice(at, at + count * 4).buffer);
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getInt32(at + i * 4, true);
    return out;
  }
  /** Reads `count` float32 values (a copy). */
  f32Array(count: number): Float32Array {
    const at = this.take(count * 4, 'float32 array');
    if (LITTLE_ENDIAN) return new Float32Array(this.bytes.slice(at, at + count * 4).buffer);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getFloat32(at + i * 4, true);
    return out;
  }
  /** Reads `count` float64 values (a copy). */
  f64Array(count: number): Float64Array {
    const at = this.take(count * 8, 'float64 array');
    if (LITTLE_ENDIAN) return new Float64Array(this.bytes.slice(at, at + count * 8).buffer);
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getFloat64(at + i * 8, true);
    return out;
  }
}
