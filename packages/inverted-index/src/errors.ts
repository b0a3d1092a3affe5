/**
 * Error classes of @x/inverted-index. Every error the package throws is an
 * `InvertedIndexError`; subclasses say what went wrong and carry structured
 * fields next to a message that names the operation and the offending value.
 */

const brand = Symbol.for('@x/inverted-index.error');

/**
 * Base class of every error thrown by @x/inverted-index.
 *
 * @example
 * ```ts
 * try { index.search('a AND'); } catch (error) {
 *   if (InvertedIndexError.isInstance(error)) console.log(error.op); // 'search'
 * }
 * ```
 */
export class InvertedIndexError extends Error {
  /** The class names of this error's chain, from its own class up to InvertedIndexError. */
  readonly [brand]: readonly string[];
  /** The operation that failed, for example `add` or `load`. */
  readonly op: string;

  /**
   * @param op - the operation that failed
   * @param message - what went wrong, naming the offending values
   * @param options - standard `ErrorOptions` (a `cause`)
   */
  constructor(op: string, message: string, options?: ErrorOptions) {
    super(`${op}: ${message}`, options);
    this.name = 'InvertedIndexError';
    this.op = op;
    const names: string[] = [];
    for (
      let type = new.target;
      type && type !== (Error as unknown);
      type = Object.getPrototypeOf(type)
    ) {
      names.push(type.name);
    }
    this[brand] = names;
  }

  /**
   * True when `error` is an instance of this class (called on a subclass,
   * of that subclass), also across copies of the package: the check reads a
   * `Symbol.for` brand holding the class chain, not `instanceof`.
   * @param error - any value
   * @returns whether it is an error of this class
   * @example
   * ```ts
   * CorruptSnapshotError.isInstance(error); // true only for CorruptSnapshotError
   * ```
   */
  static isInstance<T extends InvertedIndexError>(
    this: abstract new (
      ...args: never[]
    ) => T,
    error: unknown,
  ): error is T {
    if (typeof error !== 'object' || error === null) return false;
    const names = (error as InvertedIndexError)[brand];
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass isInstance is called on
    return Array.isArray(names) && names.includes(this.name);
  }
}

/**
 * A query string that does not follow the query language.
 *
 * @example
 * ```ts
 * parseQuery('title:(a OR'); // throws QuerySyntaxError
 * // 'parse: expected a term, a phrase or "(" at position 11, found end of query'
 * ```
 */
export class QuerySyntaxError extends InvertedIndexError {
  /** Zero-based offset in the query string where parsing failed. */
  readonly position: number;
  /** What the parser expected there, in words. */
  readonly expected: string;
  /** The query string. */
  readonly query: string;

  /**
   * @param query - the query string
   * @param position - offset of the failure
   * @param expected - what was expected there
   * @param found - what was found there, in words
   */
  constructor(query: string, position: number, expected: string, found: string) {
    super('parse', `expected ${expected} at position ${position}, found ${found}`);
    this.name = 'QuerySyntaxError';
    this.query = query;
    this.position = position;
    this.expected = expected;
  }
}

/** A document that cannot be added, updated or removed (missing id, duplicate id, bad field). */
export class DocumentError extends InvertedIndexError {
  /** The offending document id, when there is one. */
  readonly id: unknown;

  /**
   * @param op - the operation that failed
   * @param message - what went wrong
   * @param id - the offending document id
   */
  constructor(op: string, message: string, id: unknown) {
    super(op, message);
    this.name = 'DocumentError';
    this.id = id;
  }
}

/** An option with an invalid value (unknown field, negative k1, b outside [0, 1]). */
export class OptionError extends InvertedIndexError {
  /** The offending value. */
  readonly value: unknown;

  /**
   * @param op - the operation that failed
   * @param message - what went wrong
   * @param value - the offending value
   */
  constructor(op: string, message: string, value: unknown) {
    super(op, message);
    this.name = 'OptionError';
    this.value = value;
  }
}

/**
 * A function argument of the wrong type or out of range: a query that is
 * neither a string nor a query object, a fuzzy distance other than 1 or 2, a
 * file path that is not a string. `argument` names it (`query`, `distance`,
 * `path`), `value` holds what was received.
 *
 * @example
 * ```ts
 * index.search(42); // throws InvalidArgumentError
 * // 'search: query must be a query string or a Query object, got 42 (number)'
 * ```
 */
export class InvalidArgumentError extends InvertedIndexError {
  /** The argument's name, for example `query` or `distance`. */
  readonly argument: string;
  /** The value received. */
  readonly value: unknown;

  /**
   * @param op - the function that was called
   * @param argument - the argument's name
   * @param value - the value received
   * @param expectation - what the argument must be, in words
   */
  constructor(op: string, argument: string, value: unknown, expectation: string) {
    super(op, `${argument} must be ${expectation}, got ${describeValue(value)}`);
    this.name = 'InvalidArgumentError';
    this.argument = argument;
    this.value = value;
  }
}

/**
 * A short description of any value for an error message.
 * @param value - any value
 * @returns for example `42 (number)`, `"x" (string)`, `an InvertedIndex`, `undefined`
 */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string')
    return `${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)} (string)`;
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    if (Array.isArray(value)) return `an array of ${value.length}`;
    if (typeof name === 'string' && name !== 'Object')
      return `a${/^[AEIOU]/.test(name) ? 'n' : ''} ${name}`;
    try {
      const text = JSON.stringify(value);
      return text.length > 60 ? `${text.slice(0, 60)}...` : text;
    } catch {
      return 'an object';
    }
  }
  if (typeof value === 'function') return 'a function';
  return `${String(value)} (${typeof value})`;
}

/**
 * A call made from inside a search, explain or snippet of the same index (a
 * custom analyzer or field extractor that calls back into the index it
 * serves). Searches are not re-entrant: they read postings and caches the
 * inner call could change. Collect what is needed first, or use a second index.
 *
 * @example
 * ```ts
 * // an analyzer whose analyze() calls index.search(...) or index.add(...)
 * index.search('x'); // throws ReentrancyError: 'search: called from inside search on the same index ...'
 * ```
 */
export class ReentrancyError extends InvertedIndexError {
  /** The operation that was running. */
  readonly running: string;

  /**
   * @param op - the operation called
   * @param running - the operation that was running
   */
  constructor(op: string, running: string) {
    super(
      op,
      `called from inside ${running} on the same index (a custom analyzer or extractField calling back into it?); searches and updates are not re-entrant`,
    );
    this.name = 'ReentrancyError';
    this.running = running;
  }
}

/** A snapshot that cannot be written or read. */
export class SnapshotError extends InvertedIndexError {
  /**
   * @param op - the operation that failed
   * @param message - what went wrong
   * @param options - standard `ErrorOptions` (a `cause`)
   */
  constructor(op: string, message: string, options?: ErrorOptions) {
    super(op, message, options);
    this.name = 'SnapshotError';
  }
}

/** A snapshot whose bytes are truncated, corrupted (checksum mismatch) or not a snapshot at all. */
export class CorruptSnapshotError extends SnapshotError {
  /** The kind of damage: `truncated`, `checksum`, `magic` or `structure`. */
  readonly reason: 'truncated' | 'checksum' | 'magic' | 'structure';

  /**
   * @param reason - the kind of damage
   * @param message - what was found
   */
  constructor(reason: CorruptSnapshotError['reason'], message: string) {
    super('load', message);
    this.name = 'CorruptSnapshotError';
    this.reason = reason;
  }
}

/** A snapshot written by a format version this build cannot read. */
export class SnapshotVersionError extends SnapshotError {
  /** The version found in the snapshot. */
  readonly version: number;

  /**
   * @param version - the version found
   * @param supported - the newest version this build reads
   */
  constructor(version: number, supported: number) {
    super(
      'load',
      version > supported
        ? `snapshot format version ${version} was written by a newer @x/inverted-index; this build reads versions up to ${supported}: upgrade the package to load it`
        : `snapshot format version ${version} is not supported (this build reads versions 1 to ${supported})`,
    );
    this.name = 'SnapshotVersionError';
    this.version = version;
  }
}
