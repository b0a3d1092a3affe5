/**
 * Error classes of @x/precision. Every error the package throws is a
 * `PrecisionError`; each subclass says what went wrong and carries structured
 * fields (`op`, the offending values) next to a message that names them, for
 * example `float32ToFloat16: dst has length 3, expected 4`.
 *
 * Errors are raised only where arguments enter the package (validation at the
 * API boundary); the conversion loops themselves never throw.
 */

const brand = Symbol.for('@x/precision.error');

/**
 * Base class of every error thrown by @x/precision.
 * @example
 * try { toFloat16Bits(1, { rounding: 'up' as never }); }
 * catch (error) { PrecisionError.isInstance(error) } // true
 */
export class PrecisionError extends Error {
  readonly [brand] = true;
  /** The operation that failed, for example `float32ToFloat16` or `GradScaler.unscale`. */
  readonly op: string;

  /**
   * @param op - the operation that failed
   * @param message - what went wrong, naming the offending values
   * @param options - standard `ErrorOptions` (a `cause`)
   */
  constructor(op: string, message: string, options?: ErrorOptions) {
    super(`${op}: ${message}`, options);
    this.name = 'PrecisionError';
    this.op = op;
  }

  /**
   * True when `error` is a PrecisionError, also across copies of the package
   * (the check uses a `Symbol.for` brand, not `instanceof`).
   * @param error - any value
   * @returns whether it is a PrecisionError
   */
  static isInstance(error: unknown): error is PrecisionError {
    return typeof error === 'object' && error !== null && (error as PrecisionError)[brand] === true;
  }
}

/**
 * An argument or option with an invalid value (unknown format, negative scale, bad seed).
 * @example new InvalidArgumentError('toFloat16Bits', 'x', '1', 'a number').message // 'toFloat16Bits: x must be a number, got "1"'
 */
export class InvalidArgumentError extends PrecisionError {
  /** The name of the argument or option, for example `rounding` or `growthFactor`. */
  readonly argument: string;
  /** The value that was rejected. */
  readonly value: unknown;
  /**
   * @param op - the operation that failed
   * @param argument - the argument or option name
   * @param value - the rejected value
   * @param expected - what would have been accepted, for the message
   */
  constructor(op: string, argument: string, value: unknown, expected: string) {
    super(op, `${argument} must be ${expected}, got ${describe(value)}`);
    this.name = 'InvalidArgumentError';
    this.argument = argument;
    this.value = value;
  }
}

/**
 * Two arrays whose lengths must agree do not (source and destination, values and shape).
 * @example new LengthMismatchError('float32ToFloat16', 'dst', 4, 3).message // 'float32ToFloat16: dst has length 3, expected 4'
 */
export class LengthMismatchError extends PrecisionError {
  /** The name of the array with the wrong length. */
  readonly argument: string;
  /** The length it should have had. */
  readonly expected: number;
  /** The length it had. */
  readonly actual: number;
  /**
   * @param op - the operation that failed
   * @param argument - the array's name (`dst`, `approximation`, ...)
   * @param expected - the required length
   * @param actual - the length given
   */
  constructor(op: string, argument: string, expected: number, actual: number) {
    super(op, `${argument} has length ${actual}, expected ${expected}`);
    this.name = 'LengthMismatchError';
    this.argument = argument;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * A NaN or an infinity where only finite numbers make sense (quantization ranges).
 * @example new NonFiniteError('quantizeInt8', 1, NaN).message // 'quantizeInt8: element 1 is NaN, expected a finite number'
 */
export class NonFiniteError extends PrecisionError {
  /** The index of the first non-finite element. */
  readonly index: number;
  /** The offending value (NaN, Infinity or -Infinity). */
  readonly value: number;
  /**
   * @param op - the operation that failed
   * @param index - position of the first non-finite element
   * @param value - that element
   */
  constructor(op: string, index: number, value: number) {
    super(op, `element ${index} is ${value}, expected a finite number`);
    this.name = 'NonFiniteError';
    this.index = index;
    this.value = value;
  }
}

/**
 * A method called in a state that does not allow it (unscaling twice in one step).
 * @example new StateError('GradScaler.step', 'stepped', 'call update() first').state // 'stepped'
 */
export class StateError extends PrecisionError {
  /** The state the object was in. */
  readonly state: string;
  /**
   * @param op - the operation that failed
   * @param state - the state the object was in
   * @param message - what the caller should do instead
   */
  constructor(op: string, state: string, message: string) {
    super(op, message);
    this.name = 'StateError';
    this.state = state;
  }
}

/**
 * A feature the platform lacks, such as WebAssembly SIMD for `kernel: 'wasm'`.
 * @example new UnsupportedError('float32ToFloat16', 'WebAssembly SIMD').message // 'float32ToFloat16: WebAssembly SIMD is not available on this platform'
 */
export class UnsupportedError extends PrecisionError {
  /** The missing feature. */
  readonly feature: string;
  /**
   * @param op - the operation that failed
   * @param feature - what the platform lacks
   */
  constructor(op: string, feature: string) {
    super(op, `${feature} is not available on this platform`);
    this.name = 'UnsupportedError';
    this.feature = feature;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Object.is(value, -0)) return '-0';
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) {
    return String(value);
  }
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `an object` : typeof value;
}
