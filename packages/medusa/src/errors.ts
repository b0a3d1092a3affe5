/**
 * Error classes of @x/medusa. Every error the package throws itself is a
 * `MedusaError` (errors from @x/lm and @x/tensor pass through unchanged);
 * subclasses carry structured fields next to a message that names the
 * operation and the offending values.
 */

const brand = Symbol.for('@x/medusa.error');

/**
 * Base class of every error thrown by @x/medusa.
 * @example
 * try { await loadHeads('/no/such/dir', model); } catch (e) { MedusaError.isInstance(e) } // true
 */
export class MedusaError extends Error {
  readonly [brand] = true;
  /** The operation that failed, for example `loadHeads` or `medusaTree`. */
  readonly op: string;

  /**
   * @param op - the operation that failed
   * @param message - what went wrong, naming the offending values
   * @param options - standard `ErrorOptions` (a `cause`)
   */
  constructor(op: string, message: string, options?: ErrorOptions) {
    super(`${op}: ${message}`, options);
    this.name = 'MedusaError';
    this.op = op;
  }

  /**
   * True when `error` is a MedusaError, also across copies of the package
   * (the check uses a `Symbol.for` brand, not `instanceof`).
   * @param error - any value
   * @returns whether it is a MedusaError
   */
  static isInstance(error: unknown): error is MedusaError {
    return typeof error === 'object' && error !== null && (error as MedusaError)[brand] === true;
  }
}

/** An argument or option out of its range (a negative head count, epsilon above 1, an empty prompt). */
export class MedusaValueError extends MedusaError {
  /** The argument or option name. */
  readonly argument: string;
  /** The value that was refused. */
  readonly value: unknown;
  /**
   * @param op - the operation that failed
   * @param message - what went wrong
   * @param argument - the argument or option name
   * @param value - the refused value
   */
  constructor(op: string, message: string, argument: string, value: unknown) {
    super(op, message);
    this.name = 'MedusaValueError';
    this.argument = argument;
    this.value = value;
  }
}

/** A tree of paths ("medusa choices") that cannot be built: a path with a missing ancestor, a duplicate, a rank past the heads' top-k, deeper than the heads. */
export class TreeError extends MedusaError {
  /** The offending path, or null. */
  readonly path: readonly number[] | null;
  /**
   * @param op - the operation that failed
   * @param message - what went wrong
   * @param path - the offending path
   */
  constructor(op: string, message: string, path: readonly number[] | null = null) {
    super(op, message);
    this.name = 'TreeError';
    this.path = path;
  }
}

/** Heads files that cannot be used: a missing file, a config that is not JSON or lacks a field, a tensor missing or misshaped. */
export class HeadsFormatError extends MedusaError {
  /** The file or tensor at fault. */
  readonly location: string;
  /**
   * @param op - the operation that failed
   * @param message - what went wrong
   * @param location - the file or tensor name
   * @param options - standard `ErrorOptions` (a `cause`)
   */
  constructor(op: string, message: string, location: string, options?: ErrorOptions) {
    super(op, message, options);
    this.name = 'HeadsFormatError';
    this.location = location;
  }
}

/** Heads trained for another base model (a different config or different weights) than the one they are loaded onto. */
export class BaseModelMismatchError extends MedusaError {
  /** The base model the heads name (`base_model_name_or_path`). */
  readonly expectedBase: string;
  /** The fingerprint the heads were trained on. */
  readonly expectedFingerprint: string;
  /** The fingerprint of the model given. */
  readonly actualFingerprint: string;
  /**
   * @param op - the operation that failed
   * @param message - what went wrong
   * @param details - the base model's name and the two fingerprints
   */
  constructor(
    op: string,
    message: string,
    details: { expectedBase: string; expectedFingerprint: string; actualFingerprint: string },
  ) {
    super(op, message);
    this.name = 'BaseModelMismatchError';
    this.expectedBase = details.expectedBase;
    this.expectedFingerprint = details.expectedFingerprint;
    this.actualFingerprint = details.actualFingerprint;
  }
}
