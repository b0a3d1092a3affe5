/**
 * The GGUF container, version 3 (ggml's `docs/gguf.md`), written to bytes in
 * memory (browser-safe). Layout, every number little-endian:
 *
 *   magic "GGUF" | version u32 = 3 | tensor_count u64 | metadata_kv_count u64
 *   metadata: key (string) | value_type u32 | value        (kv_count times)
 *   tensor infos: name (string) | n_dims u32 | ne u64[n_dims] | ggml_type u32 | offset u64
 *   zero padding to `general.alignment` (32)
 *   tensor data, each tensor at its offset (a multiple of the alignment)
 *
 * A string is a u64 byte length and UTF-8 bytes (no terminator); an array is
 * an element type u32, a u64 count and the elements. `ne` lists dimensions
 * innermost first, so a row-major PyTorch `[rows, cols]` weight has
 * `ne = [cols, rows]`. The output is a list of parts (the header, then each
 * tensor's bytes with its padding) so that a large model is never copied
 * into one buffer: write them in order, or `new Blob(parts)` in a browser.
 */
import { ExportError } from '../errors.js';

/** GGUF metadata value types (`gguf_type`). */
export const GGUF_VALUE_TYPE = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

/** A scalar value type of GGUF metadata. */
export type GgufScalarType = Exclude<keyof typeof GGUF_VALUE_TYPE, 'array'>;

/** A typed metadata value: GGUF stores the type beside the value, so it is stated, never guessed. */
export type GgufValue =
  | { readonly type: Exclude<GgufScalarType, 'string' | 'bool'>; readonly value: number | bigint }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'bool'; readonly value: boolean }
  | {
      readonly type: 'array';
      readonly itemType: GgufScalarType;
      readonly value: readonly (number | bigint | string | boolean)[];
    };

/** ggml tensor types this package writes (`ggml_type`). */
export const GGML_TYPE = { F32: 0, F16: 1, Q8_0: 8 } as const;
/** One of `GGML_TYPE`'s names. */
export type GgmlTypeName = keyof typeof GGML_TYPE;

/** A tensor ready for the file: its encoded bytes and ggml shape. */
export interface GgufTensor {
  /** The GGUF tensor name (`blk.0.attn_q.weight`). */
  readonly name: string;
  /** Dimensions innermost first (`ne`): `[cols, rows]` for a `[rows, cols]` matrix. */
  readonly ne: readonly number[];
  /** The stored type. */
  readonly type: GgmlTypeName;
  /** The encoded data (F32 / F16 values, or Q8_0 blocks). */
  readonly data: Uint8Array;
}

/** Default and usual alignment of tensor data. */
export const GGUF_DEFAULT_ALIGNMENT = 32;

class ByteSink {
  private buffer = new Uint8Array(1 << 16);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void {
    this.reserve(1);
    this.view.setUint8(this.length++, v);
  }
  i8(v: number): void {
    this.reserve(1);
    this.view.setInt8(this.length++, v);
  }
  u16(v: number): void {
    this.reserve(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
  }
  i16(v: number): void {
    this.reserve(2);
    this.view.setInt16(this.length, v, true);
    this.length += 2;
  }
  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }
  i32(v: number): void {
    this.reserve(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
  }
  f32(v: number): void {
    this.reserve(4);
    this.view.setFloat32(this.length, v, true);
    this.length += 4;
  }
  f64(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }
  u64(v: number | bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.length, BigInt(v), true);
    this.length += 8;
  }
  i64(v: number | bigint): void {
    this.reserve(8);
    this.view.setBigInt64(this.length, BigInt(v), true);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buffer.set(b, this.length);
    this.length += b.length;
  }
  string(s: string): void {
    const encoded = utf8.encode(s);
    this.u64(encoded.length);
    this.bytes(encoded);
  }
  pad(alignment: number): void {
    while (this.length % alignment !== 0) this.u8(0);
  }
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

const utf8 = new TextEncoder();
const OP = 'ggufBytes';

const INTEGER_RANGE: Partial<Record<GgufScalarType, [number, number]>> = {
  uint8: [0, 0xff],
  int8: [-0x80, 0x7f],
  uint16: [0, 0xffff],
  int16: [-0x8000, 0x7fff],
  uint32: [0, 0xffffffff],
  int32: [-0x80000000, 0x7fffffff],
};

function scalar(sink: ByteSink, key: string, type: GgufScalarType, value: unknown): void {
  const bad = () =>
    new ExportError(
      OP,
      `metadata "${key}": ${JSON.stringify(typeof value === 'bigint' ? String(value) : value)} is not a valid ${type}`,
      { format: 'gguf' },
    );
  if (type === 'string') {
    if (typeof value !== 'string') throw bad();
    sink.string(value);
    return;
  }
  if (type === 'bool') {
    if (typeof value !== 'boolean') throw bad();
    sink.u8(value ? 1 : 0);
    return;
  }
  if (type === 'uint64' || type === 'int64') {
    if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isSafeInteger(value)))
      throw bad();
    if (type === 'uint64') {
      if (BigInt(value) < 0n) throw bad();
      sink.u64(value);
    } else sink.i64(value);
    return;
  }
  if (typeof value !== 'number') throw bad();
  if (type === 'float32') sink.f32(value);
  else if (type === 'float64') sink.f64(value);
  else writeInteger(sink, type, value, bad);
}

function writeInteger(sink: ByteSink, type: GgufScalarType, value: number, bad: () => Error): void {
  const [lo, hi] = INTEGER_RANGE[type]!;
  if (!Number.isInteger(value) || value < lo || value > hi) throw bad();
  if (type === 'uint8') sink.u8(value);
  else if (type === 'int8') sink.i8(value);
  else if (type === 'uint16') sink.u16(value);
  else if (type === 'int16') sink.i16(value);
  else if (type === 'uint32') sink.u32(value);
  else sink.i32(value);
}

/** Bytes of one element / block of each ggml type, and elements per block. */
const TYPE_LAYOUT: Record<GgmlTypeName, { blockBytes: number; blockSize: number }> = {
  F32: { blockBytes: 4, blockSize: 1 },
  F16: { blockBytes: 2, blockSize: 1 },
  Q8_0: { blockBytes: 34, blockSize: 32 },
};

/**
 * The number of bytes a tensor of `type` and shape `ne` takes.
 * @param type - ggml type
 * @param ne - dimensions, innermost first
 * @returns the byte size
 * @throws ExportError when the innermost dimension is not a multiple of the block size
 * @example ggmlByteSize('Q8_0', [64, 3]) // 204
 */
export function ggmlByteSize(type: GgmlTypeName, ne: readonly number[]): number {
  const { blockBytes, blockSize } = TYPE_LAYOUT[type];
  const inner = ne[0] ?? 1;
  if (inner % blockSize !== 0)
    throw new ExportError(
      OP,
      `a ${type} tensor needs its innermost dimension to be a multiple of ${blockSize}, got ne [${ne.join(', ')}]`,
      { format: 'gguf' },
    );
  const elements = ne.reduce((a, b) => a * b, 1);
  return (elements / blockSize) * blockBytes;
}

/**
 * A GGUF v3 file from typed metadata and encoded tensors, as parts to write
 * in order (header first, then each tensor's data padded to the alignment).
 * `general.alignment` is written when it is not the default 32.
 * @param metadata - keys in the order to write them (`general.architecture` first, as llama.cpp writes it)
 * @param tensors - tensors in file order
 * @param options - `alignment` of tensor data (a power of two, default 32)
 * @returns the file as byte parts
 * @throws ExportError for a value that does not fit its type, a duplicate tensor name, or data of the wrong size
 * @example
 * const parts = ggufBytes({ 'general.architecture': { type: 'string', value: 'llama' } }, []);
 * new Blob(parts) // a valid (empty) GGUF file
 */
export function ggufBytes(
  metadata: Readonly<Record<string, GgufValue>>,
  tensors: readonly GgufTensor[],
  options: { alignment?: number } = {},
): Uint8Array[] {
  const alignment = options.alignment ?? GGUF_DEFAULT_ALIGNMENT;
  if (!Number.isInteger(alignment) || alignment < 1 || (alignment & (alignment - 1)) !== 0)
    throw new ExportError(OP, `alignment must be a power of two, got ${alignment}`, {
      format: 'gguf',
    });
  const entries = Object.entries(metadata);
  if (alignment !== GGUF_DEFAULT_ALIGNMENT && !('general.alignment' in metadata))
    entries.push(['general.alignment', { type: 'uint32', value: alignment }]);
  const header = new ByteSink();
  header.bytes(utf8.encode('GGUF'));
  header.u32(3);
  header.u64(tensors.length);
  header.u64(entries.length);
  for (const [key, entry] of entries) {
    header.string(key);
    header.u32(GGUF_VALUE_TYPE[entry.type]);
    if (entry.type === 'array') {
      header.u32(GGUF_VALUE_TYPE[entry.itemType]);
      header.u64(entry.value.length);
      for (const item of entry.value) scalar(header, key, entry.itemType, item);
    } else scalar(header, key, entry.type, entry.value);
  }
  const names = new Set<string>();
  let offset = 0;
  const parts: Uint8Array[] = [];
  for (const t of tensors) {
    if (names.has(t.name))
      throw new ExportError(OP, `tensor "${t.name}" is listed twice`, { format: 'gguf' });
    names.add(t.name);
    const size = ggmlByteSize(t.type, t.ne);
    if (t.data.length !== size)
      throw new ExportError(
        OP,
        `tensor "${t.name}": ${t.type} ne [${t.ne.join(', ')}] takes ${size} bytes, got ${t.data.length}`,
        { format: 'gguf' },
      );
    header.string(t.name);
    header.u32(t.ne.length);
    for (const n of t.ne) header.u64(n);
    header.u32(GGML_TYPE[t.type]);
    header.u64(offset);
    const padded = Math.ceil(size / alignment) * alignment;
    parts.push(t.data);
    if (padded > size) parts.push(new Uint8Array(padded - size));
    offset += padded;
  }
  header.pad(alignment);
  return [header.finish(), ...parts];
}
