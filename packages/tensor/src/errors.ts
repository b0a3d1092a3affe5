/**
 * Error classes of @x/tensor. Every error thrown by the package is a
 * `TensorError`; subclasses say what went wrong and carry structured fields
 * (`op`, the offending values) next to a message that names them.
 */

const brand = Symbol.for('@x/tensor.error');

/** Base class of every error thrown by @x/tensor. */
export class TensorError extends Error {
  readonly [brand] = true;
  /** The operation that failed, for example `matmul` or `reshape`. */
  readonly op: string;

  /**
   * @param op - the operation that failed
   * @param message - what went wrong, naming the offending values
   * @param options - standard `ErrorOptions` (a `cause`)
   */
  constructor(op: string, message: string, options?: ErrorOptions) {
    super(`${op}: ${message}`, options);
    this.name = 'TensorError';
    this.op = op;
  }

  /**
   * True when `error` is a TensorError, also across copies of the package
   * (the check uses a `Symbol.for` brand, not `instanceof`).
   * @param error - any value
   * @returns whether it is a TensorError
   */
  static isInstance(error: unknown): error is TensorError {
    return typeof error === 'object' && error !== null && (error as TensorError)[brand] === true;
  }
}

/** Shapes that do not fit together: broadcasting, matmul, reshape, concat. */
export class ShapeError extends TensorError {
  /** The shapes involved, in argument order. */
  readonly shapes: readonly (readonly number[])[];
  constructor(op: string, message: string, shapes: readonly (readonly number[])[] = []) {
    super(op, message);
    this.name = 'ShapeError';
    this.shapes = shapes;
  }
}

/** A dtype the operation or the backend does not accept. */
export class DTypeError extends TensorError {
  readonly dtype: string;
  constructor(op: string, message: string, dtype: string) {
    super(op, message);
    this.name = 'DTypeError';
    this.dtype = dtype;
  }
}

/** An axis or an index outside its valid range. */
export class IndexRangeError extends TensorError {
  /** The offending axis or index. */
  readonly value: number;
  /** The valid half-open range `[low, high)`. */
  readonly range: readonly [number, number];
  constructor(op: string, message: string, value: number, range: readonly [number, number]) {
    super(op, message);
    this.name = 'IndexRangeError';
    this.value = value;
    this.range = range;
  }
}

/** An argument with an invalid value (NaN seed, negative size, unknown option). */
export class ValueError extends TensorError {
  readonly value: unknown;
  constructor(op: string, message: string, value: unknown) {
    super(op, message);
    this.name = 'ValueError';
    this.value = value;
  }
}

/**
 * A function argument of the wrong type, named in `argument` (for example a
 * file path that is not a string, or the arguments of a save function in the
 * wrong order).
 * @example saveSafetensorsFile(tensors, 'w.safetensors'); // InvalidArgumentError: path must be ...
 */
export class InvalidArgumentError extends ValueError {
  /** The argument's name, for example `path` or `tensors`. */
  readonly argument: string;
  constructor(op: string, argument: string, value: unknown, expectation: string) {
    super(op, `${argument} must be ${expectation}, got ${describeArgument(value)}`, value);
    this.name = 'InvalidArgumentError';
    this.argument = argument;
  }
}

function describeArgument(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `${JSON.stringify(value.slice(0, 40))} (string)`;
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `${String(value)} (${typeof value})`;
}

/** Misuse of autograd: backward on a non-scalar, a freed graph, an in-place op on a needed value. */
export class AutogradError extends TensorError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = 'AutogradError';
  }
}

/** Use of a tensor after `dispose()` (or after the `tidy` scope that owned it ended). */
export class DisposedError extends TensorError {
  readonly tensorId: number;
  constructor(op: string, tensorId: number) {
    super(op, `tensor #${tensorId} was disposed and cannot be used`);
    this.name = 'DisposedError';
    this.tensorId = tensorId;
  }
}

/** A backend that is unknown, unavailable here, or does not support the request. */
export class BackendError extends TensorError {
  readonly backend: string;
  constructor(op: string, message: string, backend: string) {
    super(op, message);
    this.name = 'BackendError';
    this.backend = backend;
  }
}

/**
 * An extension kernel that is ill-formed or misused: a descriptor without a
 * js reference, two kernels of one name, inputs that do not match the
 * descriptor, an implementation that broke its contract.
 */
export class KernelError extends TensorError {
  /** The kernel's name. */
  readonly kernel: string;
  constructor(op: string, message: string, kernel: string) {
    super(op, message);
    this.name = 'KernelError';
    this.kernel = kernel;
  }
}

/** A safetensors buffer that is truncated, corrupt, or holds an unsupported dtype. */
export class SafetensorsError extends TensorError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = 'SafetensorsError';
  }
}
