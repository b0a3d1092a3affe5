/**
 * Readers and writers of the TEXMEX vector formats (corpus-texmex.irisa.fr,
 * used by SIFT, GIST, Deep1B and most ANN benchmarks): every record is a
 * little-endian int32 dimension `d` followed by `d` components, float32 in
 * `.fvecs`, int32 in `.ivecs` (ground-truth neighbour ids), uint8 in `.bvecs`.
 * All records of a file must share one dimension. Browser-safe: bytes in,
 * typed arrays out (`@x/ann/node` adds file helpers).
 */
import { CorruptIndexError, TruncatedIndexError } from '../errors.js';
import { asBytes } from './envelope.js';

/** The rows of a vecs file as one flat `[count, dimension]` array. */
export interface VecsData<T extends Float32Array | Int32Array | Uint8Array> {
  /** Row-major values. */
  data: T;
  /** Number of records read. */
  count: number;
  /** Components per record. */
  dimension: number;
}

/** Options of the readers. */
export interface VecsReadOptions {
  /** Records to skip. @default 0 */
  offset?: number;
  /** Most records to read. @default all */
  limit?: number;
}

type Component = 'float32' | 'int32' | 'uint8';

function readVecs(
  op: string,
  input: Uint8Array | ArrayBuffer,
  component: Component,
  options: VecsReadOptions,
): { values: DataView; count: number; dimension: number; first: number; size: number } {
  const bytes = asBytes(op, input);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = component === 'uint8' ? 1 : 4;
  if (bytes.length === 0) return { values: view, count: 0, dimension: 0, first: 0, size };
  if (bytes.length < 4) throw new TruncatedIndexError(op, 4, bytes.length, 'vecs data');
  const dimension = view.getInt32(0, true);
  if (dimension <= 0 || dimension > 1 << 24)
    throw new CorruptIndexError(op, 'structure', `record 0 declares dimension ${dimension}`, 0);
  const record = 4 + dimension * size;
  const total = Math.floor(bytes.length / record);
  if (total * record !== bytes.length)
    throw new TruncatedIndexError(
      op,
      (total + 1) * record,
      bytes.length,
      `vecs data (record ${total})`,
    );
  const offset = options.offset ?? 0;
  const limit = options.limit ?? total;
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 0)
    throw new CorruptIndexError(
      op,
      'structure',
      `offset ${offset} and limit ${limit} must be non-negative integers`,
    );
  const first = Math.min(offset, total);
  const count = Math.min(limit, total - first);
  for (let r = first; r < first + count; r++) {
    const declared = view.getInt32(r * record, true);
    if (declared !== dimension)
      throw new CorruptIndexError(
        op,
        'structure',
        `record ${r} declares dimension ${declared}, record 0 declares ${dimension}`,
        r * record,
      );
  }
  return { values: view, count, dimension, first: first * record, size };
}

/**
 * Reads an `.fvecs` file (float32 vectors).
 * @param input - the file's bytes
 * @param options - `offset` / `limit` in records
 * @returns flat `[count, dimension]` Float32Array
 * @throws TruncatedIndexError when the length is not a whole number of records
 * @throws CorruptIndexError when records disagree on the dimension
 * @example
 * const { data, count, dimension } = readFvecs(bytes); // siftsmall_base: 10000 x 128
 */
export function readFvecs(
  input: Uint8Array | ArrayBuffer,
  options: VecsReadOptions = {},
): VecsData<Float32Array> {
  const { values, count, dimension, first } = readVecs('readFvecs', input, 'float32', options);
  const data = new Float32Array(count * dimension);
  const record = 4 + 4 * dimension;
  for (let r = 0; r < count; r++) {
    const base = first + r * record + 4;
    for (let i = 0; i < dimension; i++)
      data[r * dimension + i] = values.getFloat32(base + 4 * i, true);
  }
  return { data, count, dimension };
}

/**
 * Reads an `.ivecs` file (int32 vectors, e.g. ground-truth neighbour ids).
 * @returns flat `[count, dimension]` Int32Array
 * @throws TruncatedIndexError, CorruptIndexError
 * @example
 * readIvecs(groundTruthBytes).dimension // 100 for siftsmall_groundtruth
 */
export function readIvecs(
  input: Uint8Array | ArrayBuffer,
  options: VecsReadOptions = {},
): VecsData<Int32Array> {
  const { values, count, dimension, first } = readVecs('readIvecs', input, 'int32', options);
  const data = new Int32Array(count * dimension);
  const record = 4 + 4 * dimension;
  for (let r = 0; r < count; r++) {
    const base = first + r * record + 4;
    for (let i = 0; i < dimension; i++)
      data[r * dimension + i] = values.getInt32(base + 4 * i, true);
  }
  return { data, count, dimension };
}

/**
 * Reads a `.bvecs` file (uint8 vectors, as SIFT1B).
 * @returns flat `[count, dimension]` Uint8Array
 * @throws TruncatedIndexError, CorruptIndexError
 * @example readBvecs(writeBvecs([1, 2, 3, 4], 2)).data // Uint8Array [1, 2, 3, 4]
 */
export function readBvecs(
  input: Uint8Array | ArrayBuffer,
  options: VecsReadOptions = {},
): VecsData<Uint8Array> {
  const { values, count, dimension, first } = readVecs('readBvecs', input, 'uint8', options);
  const data = new Uint8Array(count * dimension);
  const record = 4 + dimension;
  for (let r = 0; r < count; r++) {
    const base = first + r * record + 4;
    for (let i = 0; i < dimension; i++) data[r * dimension + i] = values.getUint8(base + i);
  }
  return { data, count, dimension };
}

function writeVecs(
  op: string,
  data: ArrayLike<number>,
  dimension: number,
  size: number,
  put: (view: DataView, at: number, value: number) => void,
): Uint8Array {
  if (!Number.isInteger(dimension) || dimension <= 0 || data.length % dimension !== 0)
    throw new CorruptIndexError(
      op,
      'structure',
      `${data.length} values do not form rows of dimension ${dimension}`,
    );
  const count = data.length / dimension;
  const record = 4 + dimension * size;
  const bytes = new Uint8Array(count * record);
  const view = new DataView(bytes.buffer);
  for (let r = 0; r < count; r++) {
    view.setInt32(r * record, dimension, true);
    for (let i = 0; i < dimension; i++)
      put(view, r * record + 4 + i * size, data[r * dimension + i]!);
  }
  return bytes;
}

/**
 * Writes `[count, dimension]` values as `.fvecs` bytes.
 * @param data - row-major values
 * @param dimension - components per row
 * @returns the file's bytes
 * @throws CorruptIndexError when `data.length` is not a multiple of `dimension`
 * @example readFvecs(writeFvecs([1, 2, 3, 4], 2)).count // 2
 */
export function writeFvecs(data: ArrayLike<number>, dimension: number): Uint8Array {
  return writeVecs('writeFvecs', data, dimension, 4, (v, at, x) => v.setFloat32(at, x, true));
}

/**
 * Writes `[count, dimension]` integers as `.ivecs` bytes.
 * @throws CorruptIndexError when `data.length` is not a multiple of `dimension`
 * @example writeIvecs([7, 8], 1).length // 16 (two records of 4 + 4 bytes)
 */
export function writeIvecs(data: ArrayLike<number>, dimension: number): Uint8Array {
  return writeVecs('writeIvecs', data, dimension, 4, (v, at, x) => v.setInt32(at, x, true));
}

/**
 * Writes `[count, dimension]` bytes as `.bvecs` bytes.
 * @throws CorruptIndexError when `data.length` is not a multiple of `dimension`
 * @example writeBvecs([1, 2, 3], 3).length // 7 (4-byte dimension + 3 bytes)
 */
export function writeBvecs(data: ArrayLike<number>, dimension: number): Uint8Array {
  return writeVecs('writeBvecs', data, dimension, 1, (v, at, x) => v.setUint8(at, x));
}
