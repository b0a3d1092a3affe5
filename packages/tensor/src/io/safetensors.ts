/**
 * safetensors (https://github.com/huggingface/safetensors), byte-compatible
 * with the reference implementation:
 *
 *   [u64 little-endian N][N bytes of JSON header, space-padded to a multiple of 8][data]
 *
 * The header maps each name to `{dtype, shape, data_offsets: [begin, end]}`
 * (offsets relative to the data section) plus an optional `__metadata__`
 * string map. The writer orders tensors as the reference does (descending
 * dtype alignment, then name), writes `__metadata__` first and pads with
 * spaces, so its output equals the reference's byte for byte. The reader
 * checks everything the reference checks (header length, JSON, offsets that
 * tile the data section without holes, sizes matching shape x dtype) and
 * throws SafetensorsError naming the problem.
 */
import { allocArray, type DType, type TypedArray } from '../dtype.js';
import { SafetensorsError } from '../errors.js';
import { fromValues } from '../ops/creation.js';
import { sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** The largest header the reference accepts (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

/** safetensors dtype names this package reads, and the dtype each becomes. */
const READ_DTYPES: Record<string, { dtype: DType; bytes: number }> = {
  F64: { dtype: 'float64', bytes: 8 },
  F32: { dtype: 'float32', bytes: 4 },
  I32: { dtype: 'int32', bytes: 4 },
  I64: { dtype: 'int32', bytes: 8 },
  BOOL: { dtype: 'bool', bytes: 1 },
  F16: { dtype: 'float16', bytes: 2 },
  BF16: { dtype: 'bfloat16', bytes: 2 },
};

/** Element sizes of every dtype of the format (to validate files that hold dtypes we cannot convert). */
const FORMAT_SIZES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

/** Our dtype -> safetensors name and the reference's alignment rank (higher is written first). */
const WRITE_DTYPES: Record<DType, { name: string; rank: number }> = {
  float64: { name: 'F64', rank: 12 },
  float32: { name: 'F32', rank: 11 },
  bfloat16: { name: 'BF16', rank: 8 },
  float16: { name: 'F16', rank: 7 },
  int32: { name: 'I32', rank: 9 },
  bool: { name: 'BOOL', rank: 0 },
};

/** One entry of a safetensors header. */
export interface SafetensorsEntry {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly dataOffsets: readonly [number, number];
}

/** A parsed header: entries in file order and the metadata map. */
export interface SafetensorsHeader {
  readonly entries: ReadonlyMap<string, SafetensorsEntry>;
  readonly metadata: Readonly<Record<string, string>> | null;
  /** Byte offset of the data section in the file. */
  readonly dataStart: number;
}

function toBytes(source: Uint8Array | ArrayBuffer): Uint8Array {
  return source instanceof Uint8Array ? source : new Uint8Array(source);
}

/**
 * Parses and validates the header of a safetensors buffer without reading tensor data.
 * @throws SafetensorsError when the buffer is truncated or the header is invalid
 */
export function readSafetensorsHeader(source: Uint8Array | ArrayBuffer): SafetensorsHeader {
  const bytes = toBytes(source);
  if (bytes.length < 8)
    throw new SafetensorsError(
      'loadSafetensors',
      `file of ${bytes.length} bytes is too small for the 8-byte header length`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_HEADER_BYTES)
    throw new SafetensorsError(
      'loadSafetensors',
      `header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`,
    );
  if (8 + n > bytes.length)
    throw new SafetensorsError(
      'loadSafetensors',
      `header length ${n} runs past the end of the ${bytes.length}-byte file (truncated?)`,
    );
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (cause) {
    throw new SafetensorsError(
      'loadSafetensors',
      `header is not valid UTF-8 JSON: ${(cause as Error).message}`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new SafetensorsError('loadSafetensors', 'header is not a JSON object');
  let metadata: Record<string, string> | null = null;
  const list: [string, SafetensorsEntry][] = [];
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (
        typeof value !== 'object' ||
        value === null ||
        Object.values(value).some((v) => typeof v !== 'string')
      ) {
        throw new SafetensorsError('loadSafetensors', '__metadata__ must map strings to strings');
      }
      metadata = value as Record<string, string>;
      continue;
    }
    const info = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const shape = info?.shape;
    const offsets = info?.data_offsets;
    if (typeof info?.dtype !== 'string' || !Object.hasOwn(FORMAT_SIZES, info.dtype))
      throw new SafetensorsError(
        'loadSafetensors',
        `tensor "${name}" has unknown dtype ${JSON.stringify(info?.dtype)}`,
      );
    if (!Array.isArray(shape) || shape.some((e) => !Number.isSafeInteger(e) || e < 0))
      throw new SafetensorsError(
        'loadSafetensors',
        `tensor "${name}" has invalid shape ${JSON.stringify(shape)}`,
      );
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      offsets.some((e) => !Number.isSafeInteger(e) || e < 0)
    ) {
      throw new SafetensorsError(
        'loadSafetensors',
        `tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`,
      );
    }
    list.push([
      name,
      { dtype: info.dtype, shape: shape as number[], dataOffsets: [offsets[0], offsets[1]] },
    ]);
  }
  list.sort(
    (a, b) =>
      a[1].dataOffsets[0] - b[1].dataOffsets[0] || a[1].dataOffsets[1] - b[1].dataOffsets[1],
  );
  let start = 0;
  for (const [name, entry] of list) {
    const [begin, end] = entry.dataOffsets;
    if (begin !== start || end < begin)
      throw new SafetensorsError(
        'loadSafetensors',
        `tensor "${name}" has offsets [${begin}, ${end}], expected to start at ${start} (holes or overlaps are not allowed)`,
      );
    const expected = sizeOf(entry.shape) * FORMAT_SIZES[entry.dtype]!;
    if (end - begin !== expected)
      throw new SafetensorsError(
        'loadSafetensors',
        `tensor "${name}" spans ${end - begin} bytes, but ${entry.dtype} [${entry.shape.join(', ')}] needs ${expected}`,
      );
    start = end;
  }
  if (8 + n + start !== bytes.length) {
    throw new SafetensorsError(
      'loadSafetensors',
      `data section holds ${bytes.length - 8 - n} bytes but the header describes ${start} (truncated or trailing bytes)`,
    );
  }
  return { entries: new Map(list), metadata, dataStart: 8 + n };
}

/** The result of `loadSafetensors`. */
export interface SafetensorsContent {
  /** Tensors by name, in file order. */
  readonly tensors: Record<string, Tensor>;
  /** The `__metadata__` map, or null. */
  readonly metadata: Readonly<Record<string, string>> | null;
}

function decode(name: string, entry: SafetensorsEntry, raw: Uint8Array): TypedArray {
  const kind = Object.hasOwn(READ_DTYPES, entry.dtype) ? READ_DTYPES[entry.dtype] : undefined;
  if (!kind)
    throw new SafetensorsError(
      'loadSafetensors',
      `tensor "${name}" has dtype ${entry.dtype}, which @x/tensor cannot hold (supported: ${Object.keys(READ_DTYPES).join(', ')})`,
    );
  const count = sizeOf(entry.shape);
  // Copy into a fresh buffer: the data may be unaligned for its element size, and a Node Buffer's
  // slice() would share (not copy) its pooled memory.
  const aligned = new Uint8Array(raw.length);
  aligned.set(raw);
  if (entry.dtype === 'I64') {
    const wide = new BigInt64Array(aligned.buffer, 0, count);
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const v = wide[i]!;
      if (v > 2147483647n || v < -2147483648n)
        throw new SafetensorsError(
          'loadSafetensors',
          `tensor "${name}" (I64) holds ${v}, outside the int32 range`,
        );
      out[i] = Number(v);
    }
    return out;
  }
  const out = allocArray(kind.dtype, count);
  out.set(
    new (out.constructor as new (b: ArrayBuffer, o: number, l: number) => TypedArray)(
      aligned.buffer,
      0,
      count,
    ),
  );
  return out;
}

/**
 * Reads a safetensors buffer (file bytes) into tensors. I64 tensors become
 * int32 when every value fits.
 * @param source - the whole file
 * @param options - `backend` to create the tensors on
 * @throws SafetensorsError for a truncated or corrupt buffer or an unsupported dtype
 * @example
 * const { tensors, metadata } = loadSafetensors(bytes);
 */
export function loadSafetensors(
  source: Uint8Array | ArrayBuffer,
  options: { backend?: string } = {},
): SafetensorsContent {
  const bytes = toBytes(source);
  const header = readSafetensorsHeader(bytes);
  const tensors: Record<string, Tensor> = {};
  for (const [name, entry] of header.entries) {
    const [begin, end] = entry.dataOffsets;
    const values = decode(
      name,
      entry,
      bytes.subarray(header.dataStart + begin, header.dataStart + end),
    );
    // defineProperty: a tensor named "__proto__" (or "constructor") is an own entry like any other
    Object.defineProperty(tensors, name, {
      value: fromValues(
        'loadSafetensors',
        values,
        entry.shape,
        READ_DTYPES[entry.dtype]!.dtype,
        options,
      ),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { tensors, metadata: header.metadata };
}

/**
 * Serializes tensors (and an optional string metadata map) to safetensors bytes,
 * identical to what the reference implementation writes for the same input.
 * @throws SafetensorsError for an invalid name or metadata value
 * @example
 * const bytes = saveSafetensors({ weight: w }, { format: 'pt' });
 */
export function saveSafetensors(
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string> | null,
): Uint8Array {
  const names = Object.keys(tensors);
  if (names.includes('__metadata__'))
    throw new SafetensorsError('saveSafetensors', 'a tensor cannot be named "__metadata__"');
  if (metadata && Object.values(metadata).some((v) => typeof v !== 'string'))
    throw new SafetensorsError('saveSafetensors', 'metadata values must be strings');
  const ordered = names.sort(
    (a, b) =>
      WRITE_DTYPES[tensors[b]!.dtype].rank - WRITE_DTYPES[tensors[a]!.dtype].rank ||
      (a < b ? -1 : a > b ? 1 : 0),
  );
  // Entries are serialized in order by hand: a JS object would move integer-like names ("10") first.
  const entries: string[] = [];
  if (metadata) entries.push(`"__metadata__":${JSON.stringify(metadata)}`);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of ordered) {
    const t = tensors[name]!;
    const values = t.toRawArray();
    const chunk = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    const info = {
      dtype: WRITE_DTYPES[t.dtype].name,
      shape: [...t.shape],
      data_offsets: [offset, offset + chunk.length],
    };
    entries.push(`${JSON.stringify(name)}:${JSON.stringify(info)}`);
    chunks.push(chunk);
    offset += chunk.length;
  }
  const json = new TextEncoder().encode(`{${entries.join(',')}}`);
  const padded = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let position = 8 + padded;
  for (const chunk of chunks) {
    out.set(chunk, position);
    position += chunk.length;
  }
  return out;
}
