/**
 * Error classes of @x/lm. Every error the package throws itself is an
 * `LmError` (errors from @x/tensor ops pass through unchanged); subclasses
 * carry structured fields next to a message that names the operation and
 * the offending values.
 */

const brand = Symbol.for('@x/lm.error');

/**
 * Base class of every error thrown by @x/lm.
 * @example
 * try { await loadModel('/no/such/dir'); } catch (e) { LmError.isInstance(e) } // true
 */
export class LmError extends Error {
  readonly [brand] = true;
  /** The operation that failed, for example `loadModel` or `encode`. */
  readonly op: string;

  /**
   * @param op - the operation that failed
   * @param message - what went wrong, naming the offending values
   * @param options - standard `ErrorOptions` (a `cause`)
   */
  constructor(op: string, message: string, options?: ErrorOptions) {
    super(`${op}: ${message}`, options);
    this.name = 'LmError';
    this.op = op;
  }

  /**
   * True when `error` is an LmError, also across copies of the package
   * (the check uses a `Symbol.for` brand, not `instanceof`).
   * @param error - any value
   * @returns whether it is an LmError
   */
  static isInstance(error: unknown): error is LmError {
    return typeof error === 'object' && error !== null && (error as LmError)[brand] === true;
  }
}

/** An argument or option out of its range (a negative temperature, top-p above 1, an unknown preset). */
export class LmValueError extends LmError {
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
    this.name = 'LmValueError';
    this.argument = argument;
    this.value = value;
  }
}

/** A tokenizer file that cannot be read, or text / ids the tokenizer cannot handle. */
export class TokenizerError extends LmError {
  /**
   * @param op - the operation that failed
   * @param message - what went wrong
   * @param options - standard `ErrorOptions` (a `cause`)
   */
  constructor(op: string, message: string, options?: ErrorOptions) {
    super(op, message, options);
    this.name = 'TokenizerError';
  }
}

/** A `config.json` that cannot be used: unknown `model_type`, a missing or invalid field, or one that disagrees with the weights. */
export class ConfigError extends LmError {
  /** The config field at fault (`model_type`, `n_head`, ...), or null. */
  readonly field: string | null;
  /**
   * @param op - the operation that failed
   * @param message - what went wrong
   * @param field - the config field at fault
   */
  constructor(op: string, message: string, field: string | null = null) {
    super(op, message);
    this.name = 'ConfigError';
    this.field = field;
  }
}

/** A checkpoint whose tensors do not fit the model: a tensor missing, misshaped, unexpected, of an unusable dtype, or a file that cannot be read. */
export class CheckpointError extends LmError {
  /** The tensor at fault, or null when the error is about a file. */
  readonly tensor: string | null;
  /** The shape the model expects, when the error is a shape mismatch. */
  readonly expected: readonly number[] | null;
  /** The shape the checkpoint holds, when the error is a shape mismatch. */
  readonly actual: readonly number[] | null;
  /**
   * @param op - the operation that failed
   * @param message - what went wrong
   * @param details - the tensor name and the two shapes, where they apply
   * @param options - standard `ErrorOptions` (a `cause`)
   */
  constructor(
    op: string,
    message: string,
    details: {
      tensor?: string | null;
      expected?: readonly number[] | null;
      actual?: readonly number[] | null;
    } = {},
    options?: ErrorOptions,
  ) {
    super(op, message, options);
    this.name = 'CheckpointError';
    this.tensor = details.tensor ?? null;
    this.expected = details.expected ?? null;
    this.actual = details.actual ?? null;
  }
}

/** Token ids, positions or masks that do not fit the model or its cache (ids out of the vocabulary, positions past the context, a cache of another batch size). */
export class InputError extends LmError {
  /** The argument at fault (`ids`, `positions`, `cache`, ...). */
  readonly argument: string;
  /**
   * @param op - the operation that failed
   * @param message - what went wrong, naming the value
   * @param argument - the argument at fault
   */
  constructor(op: string, message: string, argument: string) {
    super(op, message);
    this.name = 'InputError';
    this.argument = argument;
  }
}

/** A model, tokenizer or option that an export format cannot express (a vocabulary GGUF cannot hold, a layer llama.cpp lacks, a value out of its type's range). */
export class ExportError extends LmError {
  /** The target format (`gguf`, `onnx`). */
  readonly format: string;
  /** The tensor, metadata key or token at fault, or null. */
  readonly subject: string | null;
  /**
   * @param op - the operation that failed
   * @param message - what cannot be expressed, naming the value
   * @param details - the format and the subject at fault
   * @param options - standard `ErrorOptions` (a `cause`)
   */
  constructor(
    op: string,
    message: string,
    details: { format: string; subject?: string | null },
    options?: ErrorOptions,
  ) {
    super(op, message, options);
    this.name = 'ExportError';
    this.format = details.format;
    this.subject = details.subject ?? null;
  }
}
