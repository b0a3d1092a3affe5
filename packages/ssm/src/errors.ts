/**
 * Error classes of @x/ssm. Every error the package throws itself is an
 * `SsmError` (errors from @x/tensor ops pass through unchanged); subclasses
 * carry structured fields next to a message that names the op and the values.
 */

const brand = Symbol.for('@x/ssm.error');

/**
 * Base class of every error thrown by @x/ssm.
 * @example
 * try { hippoMatrices('legx' as never, 4); } catch (e) { SsmError.isInstance(e) } // true
 */
export class SsmError extends Error {
  readonly [brand] = true;
  /** The operation that failed, for example `selectiveScan` or `S4D`. */
  readonly op: string;

  /**
   * @param op - the operation that failed
   * @param message - what went wrong, naming the offending values
   * @param options - standard `ErrorOptions` (a `cause`)
   */
  constructor(op: string, message: string, options?: ErrorOptions) {
    super(`${op}: ${message}`, options);
    this.name = 'SsmError';
    this.op = op;
  }

  /**
   * True when `error` is an SsmError, also across copies of the package
   * (the check uses a `Symbol.for` brand, not `instanceof`).
   * @param error - any value
   * @returns whether it is an SsmError
   */
  static isInstance(error: unknown): error is SsmError {
    return typeof error === 'object' && error !== null && (error as SsmError)[brand] === true;
  }
}

/** Tensors whose shapes do not fit together (a state of the wrong size, mismatched channels). */
export class SsmShapeError extends SsmError {
  /** The offending shapes, by argument name. */
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  /**
   * @param op - the operation that failed
   * @param message - what went wrong
   * @param shapes - the shapes involved, by argument name
   */
  constructor(op: string, message: string, shapes: Readonly<Record<string, readonly number[]>>) {
    super(op, message);
    this.name = 'SsmShapeError';
    this.shapes = shapes;
  }
}

/** A tensor of a dtype the op does not accept (integers where floats are needed). */
export class SsmDTypeError extends SsmError {
  /** The dtype that was refused. */
  readonly dtype: string;
  /**
   * @param op - the operation that failed
   * @param message - what went wrong
   * @param dtype - the refused dtype
   */
  constructor(op: string, message: string, dtype: string) {
    super(op, message);
    this.name = 'SsmDTypeError';
    this.dtype = dtype;
  }
}

/** An option or argument out of its range (a non-positive size, a NaN step, an unknown method). */
export class SsmValueError extends SsmError {
  /** The name of the offending argument or option. */
  readonly argument: string;
  /** The offending value. */
  readonly value: unknown;
  /**
   * @param op - the operation that failed
   * @param argument - the argument's name
   * @param message - what went wrong
   * @param value - the offending value
   */
  constructor(op: string, argument: string, message: string, value: unknown) {
    super(op, message);
    this.name = 'SsmValueError';
    this.argument = argument;
    this.value = value;
  }
}
