/**
 * Validation at the API boundary: dimensions, ids, `k`, numeric options, and
 * the copy of user vectors into float32 storage (rejecting NaN / Infinity,
 * normalizing under the cosine metric). Hot loops after this point never throw.
 */
import type { Metric } from './distance.js';
import { DimensionError, InvalidArgumentError, InvalidVectorError } from './errors.js';

/** One vector: a typed array or an array of numbers. */
export type VectorLike = ArrayLike<number>;

/**
 * A batch of vectors: either one flat array of `count * dimension` numbers
 * (row-major, the fast path) or an array of vectors.
 */
export type VectorBatch = ArrayLike<number> | readonly VectorLike[];

/** The largest id an index accepts (ids are non-negative int32). */
export const MAX_ID = 0x7fffffff;

/** Throws unless `value` is an integer in `[low, high]`. */
export function checkInteger(
  op: string,
  argument: string,
  value: unknown,
  low: number,
  high: number,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high)
    throw new InvalidArgumentError(op, argument, value, `an integer in [${low}, ${high}]`);
  return value;
}

/** Throws unless `value` is a finite number in `[low, high]`. */
export function checkNumber(
  op: string,
  argument: string,
  value: unknown,
  low: number,
  high: number,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < low || value > high)
    throw new InvalidArgumentError(op, argument, value, `a finite number in [${low}, ${high}]`);
  return value;
}

/** Throws unless `id` is a valid vector id (integer in [0, 2^31 - 1]). */
export function checkId(op: string, id: unknown): number {
  return checkInteger(op, 'id', id, 0, MAX_ID);
}

/**
 * Copies one vector into `out` at `outOffset` as float32, checking its length
 * and values, and normalizing it to unit length under the cosine metric.
 * @throws DimensionError when the length differs from `dimension`
 * @throws InvalidVectorError for NaN, an infinity (also after float32 rounding), or a zero cosine vector
 */
export function copyVector(
  op: string,
  vector: VectorLike,
  dimension: number,
  metric: Metric,
  out: Float32Array,
  outOffset: number,
  row = 0,
): void {
  if (vector == null || typeof vector.length !== 'number')
    throw new InvalidArgumentError(op, 'vector', vector, 'an array or typed array of numbers');
  if (vector.length !== dimension)
    throw new DimensionError(op, dimension, vector.length, row > 0 ? ` (row ${row})` : '');
  copyChecked(op, vector, 0, dimension, metric, out, outOffset, row);
}

function copyChecked(
  op: string,
  source: ArrayLike<number>,
  sourceOffset: number,
  dimension: number,
  metric: Metric,
  out: Float32Array,
  outOffset: number,
  row: number,
): void {
  let squares = 0;
  for (let i = 0; i < dimension; i++) {
    const value = source[sourceOffset + i]!;
    const stored = Math.fround(value);
    if (!Number.isFinite(stored)) {
      throw new InvalidVectorError(
        op,
        `vector ${row} has ${String(value)} at component ${i}${typeof value === 'number' && Number.isFinite(value) ? ' (overflows float32)' : ''}; vectors must be finite`,
        row,
        i,
        typeof value === 'number' ? value : Number.NaN,
      );
    }
    out[outOffset + i] = stored;
    squares += stored * stored;
  }
  if (metric === 'cosine') {
    if (squares === 0 || !Number.isFinite(squares))
      throw new InvalidVectorError(
        op,
        `vector ${row} has norm ${Math.sqrt(squares)}; the cosine metric needs a non-zero finite norm`,
        row,
        -1,
        squares,
      );
    const scale = 1 / Math.sqrt(squares);
    for (let i = 0; i < dimension; i++) out[outOffset + i] = out[outOffset + i]! * scale;
  }
}

/**
 * A validated single vector as a new Float32Array (normalized under cosine).
 * @throws DimensionError, InvalidVectorError
 */
export function prepareVector(
  op: string,
  vector: VectorLike,
  dimension: number,
  metric: Metric,
): Float32Array {
  const out = new Float32Array(dimension);
  copyVector(op, vector, dimension, metric, out, 0);
  return out;
}

/**
 * A validated batch as one flat Float32Array of `count * dimension` values
 * (a copy: the index owns its storage).
 * @throws DimensionError when a row (or the flat length) does not fit `dimension`
 * @throws InvalidVectorError for non-finite values or zero cosine vectors
 */
export function prepareBatch(
  op: string,
  batch: VectorBatch,
  dimension: number,
  metric: Metric,
): { data: Float32Array; count: number } {
  if (batch == null || typeof batch.length !== 'number')
    throw new InvalidArgumentError(op, 'vectors', batch, 'a flat array or an array of vectors');
  if (batch.length > 0 && typeof batch[0] === 'object') {
    const rows = batch as readonly VectorLike[];
    const data = new Float32Array(rows.length * dimension);
    for (let row = 0; row < rows.length; row++)
      copyVector(op, rows[row]!, dimension, metric, data, row * dimension, row);
    return { data, count: rows.length };
  }
  const flat = batch as ArrayLike<number>;
  if (flat.length % dimension !== 0)
    throw new DimensionError(
      op,
      dimension,
      flat.length,
      ` (a flat batch needs a multiple of ${dimension} values)`,
    );
  const count = flat.length / dimension;
  const data = new Float32Array(flat.length);
  for (let row = 0; row < count; row++)
    copyChecked(op, flat, row * dimension, dimension, metric, data, row * dimension, row);
  return { data, count };
}

/**
 * Validated ids for a batch of `count` vectors: the given ones, or
 * `start, start + 1, ...` when `ids` is omitted.
 * @throws InvalidArgumentError for a length mismatch, a bad id, or a repeated id
 */
export function prepareIds(
  op: string,
  ids: ArrayLike<number> | null | undefined,
  count: number,
  start: number,
): Int32Array {
  const out = new Int32Array(count);
  if (ids == null) {
    if (start + count - 1 > 0x7fffffff)
      throw new InvalidArgumentError(op, 'ids', start + count - 1, 'at most 2^31 - 1');
    for (let i = 0; i < count; i++) out[i] = start + i;
    return out;
  }
  if (ids.length !== count)
    throw new InvalidArgumentError(op, 'ids.length', ids.length, `${count} (one id per vector)`);
  const seen = new Set<number>();
  for (let i = 0; i < count; i++) {
    const id = checkId(op, ids[i]);
    if (seen.has(id))
      throw new InvalidArgumentError(op, `ids[${i}]`, id, 'unique within the batch');
    seen.add(id);
    out[i] = id;
  }
  return out;
}

/** Throws unless `k` is an integer in [0, 2^24]. */
export function checkK(op: string, k: unknown): number {
  return checkInteger(op, 'k', k, 0, 1 << 24);
}
