/**
 * Error classes of @x/ann. Every error thrown by the package is an `AnnError`;
 * subclasses say what went wrong and carry structured fields (`op`, the
 * offending values) next to a message that names them, for example
 * `HnswIndex.add: dimension mismatch, expected 128, got 64`.
 */

const brand = Symbol.for('@x/ann.error');

/** Base class of every error thrown by @x/ann. */
export class AnnError extends Error {
  readonly [brand] = true;
  /** The operation that failed, for example `HnswIndex.search` or `readFvecs`. */
  readonly op: string;

  /**
   * @param op - the operation that failed
   * @param message - what went wrong, naming the offending values
   * @param options - standard `ErrorOptions` (a `cause`)
   */
  constructor(op: string, message: string, options?: ErrorOptions) {
    super(`${op}: ${message}`, options);
    this.name = 'AnnError';
    this.op = op;
  }

  /**
   * True when `error` is an AnnError, also across copies of the package (the
   * check uses a `Symbol.for` brand, not `instanceof`).
   * @param error - any value
   * @returns whether it is an AnnError
   * @example
   * AnnError.isInstance(new DimensionError('search', 128, 64)) // true
   */
  static isInstance(error: unknown): error is AnnError {
    return typeof error === 'object' && error !== null && (error as AnnError)[brand] === true;
  }
}

/** A vector (or a flat batch) whose length does not match the index dimension. */
export class DimensionError extends AnnError {
  /** The index dimension. */
  readonly expected: number;
  /** The length received (for a flat batch: its total length). */
  readonly actual: number;
  constructor(op: string, expected: number, actual: number, detail = '') {
    super(op, `dimension mismatch, expected ${expected}, got ${actual}${detail}`);
    this.name = 'DimensionError';
    this.expected = expected;
    this.actual = actual;
  }
}

/** A vector holding NaN or an infinity, or a zero vector under the cosine metric. */
export class InvalidVectorError extends AnnError {
  /** Position of the vector in its batch (0 for a single vector). */
  readonly row: number;
  /** Component index of the offending value (-1 for a zero vector). */
  readonly component: number;
  /** The offending value. */
  readonly value: number;
  constructor(op: string, message: string, row: number, component: number, value: number) {
    super(op, message);
    this.name = 'InvalidVectorError';
    this.row = row;
    this.component = component;
    this.value = value;
  }
}

/** An argument outside its valid range: `k`, `efSearch`, `nprobe`, an id, an option. */
export class InvalidArgumentError extends AnnError {
  /** Name of the argument, for example `k` or `connectivity`. */
  readonly argument: string;
  /** The value received. */
  readonly value: unknown;
  constructor(op: string, argument: string, value: unknown, expectation: string) {
    super(op, `${argument} must be ${expectation}, got ${formatValue(value)}`);
    this.name = 'InvalidArgumentError';
    this.argument = argument;
    this.value = value;
  }
}

/** `add` with an id that is already live in the index. */
export class DuplicateIdError extends AnnError {
  /** The duplicated id. */
  readonly id: number;
  constructor(op: string, id: number) {
    super(op, `id ${id} is already in the index (remove it first to replace its vector)`);
    this.name = 'DuplicateIdError';
    this.id = id;
  }
}

/** An IVF index used before `train()`. */
export class NotTrainedError extends AnnError {
  constructor(op: string, kind: string) {
    super(op, `the ${kind} index is not trained; call train(vectors) first`);
    this.name = 'NotTrainedError';
  }
}

/**
 * A call made from inside a search of the same index (typically a filter
 * predicate that searches, adds to or removes from the index it filters).
 * Searches are not re-entrant: they share the index's scratch state (HNSW's
 * visited set, heaps), so the inner call would corrupt the outer one or
 * never return. Collect what the predicate needs before searching, or use a
 * second index.
 */
export class ReentrancyError extends AnnError {
  /** The search that was running. */
  readonly running: string;
  constructor(op: string, running: string) {
    super(
      op,
      `called from inside ${running} on the same index (a filter predicate that searches or changes the index it filters?); searches are not re-entrant`,
    );
    this.name = 'ReentrancyError';
    this.running = running;
  }
}

/** Why a saved index or a vecs file was rejected. */
export type FormatErrorReason =
  | 'truncated'
  | 'checksum'
  | 'magic'
  | 'version'
  | 'kind'
  | 'structure';

/**
 * Bytes that are not a valid saved index (or fvecs / ivecs / bvecs file).
 * Subclasses name the reason: `TruncatedIndexError`, `CorruptIndexError`,
 * `UnsupportedVersionError`.
 */
export class IndexFormatError extends AnnError {
  /** Why the bytes were rejected. */
  readonly reason: FormatErrorReason;
  /** Byte offset where the problem was found (-1 when not applicable). */
  readonly offset: number;
  constructor(op: string, reason: FormatErrorReason, message: string, offset = -1) {
    super(op, message);
    this.name = 'IndexFormatError';
    this.reason = reason;
    this.offset = offset;
  }
}

/** The input ends before the length its header (or its records) announce. */
export class TruncatedIndexError extends IndexFormatError {
  /** Bytes the input should hold (at least). */
  readonly expectedBytes: number;
  /** Bytes it holds. */
  readonly actualBytes: number;
  constructor(op: string, expectedBytes: number, actualBytes: number, what = 'input') {
    super(
      op,
      'truncated',
      `${what} is truncated: expected at least ${expectedBytes} bytes, got ${actualBytes}`,
      actualBytes,
    );
    this.name = 'TruncatedIndexError';
    this.expectedBytes = expectedBytes;
    this.actualBytes = actualBytes;
  }
}

/** A wrong magic number, a checksum mismatch or an inconsistent structure. */
export class CorruptIndexError extends IndexFormatError {
  constructor(op: string, reason: FormatErrorReason, message: string, offset = -1) {
    super(op, reason, message, offset);
    this.name = 'CorruptIndexError';
  }
}

/** A file written by a newer (or unknown) format version. */
export class UnsupportedVersionError extends IndexFormatError {
  /** The version found in the file. */
  readonly version: number;
  /** The newest version this build reads. */
  readonly supported: number;
  constructor(op: string, version: number, supported: number) {
    super(
      op,
      'version',
      `format version ${version} is not supported (this build reads up to ${supported})`,
      4,
    );
    this.name = 'UnsupportedVersionError';
    this.version = version;
    this.supported = supported;
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  if (Array.isArray(value))
    return `[${value.slice(0, 8).map(formatValue).join(', ')}${value.length > 8 ? ', ...' : ''}]`;
  return Object.prototype.toString.call(value);
}
