/**
 * Error classes of @x/attention. Every error the package throws is an
 * `AttentionError`; subclasses say what went wrong and carry structured fields
 * next to a message that names the operation and the offending values, e.g.
 * `attention: q and k head sizes differ, q [1,8,16,64], k [1,2,16,32]`.
 * Errors thrown by @x/tensor inside an op (a disposed tensor, say) pass
 * through unchanged.
 */

const brand = Symbol.for('@x/attention.error');

/**
 * Base class of every error thrown by @x/attention.
 * @example
 * try { attention(q, k, v, { scale: Number.NaN }); } catch (error) {
 *   if (AttentionError.isInstance(error)) console.log(error.op); // 'attention'
 * }
 */
export class AttentionError extends Error {
  readonly [brand] = true;
  /** The operation that failed, for example `attention` or `KVCache.append`. */
  readonly op: string;

  /**
   * @param op - the operation that failed
   * @param message - what went wrong, naming the offending values
   * @param options - standard `ErrorOptions` (a `cause`)
   */
  constructor(op: string, message: string, options?: ErrorOptions) {
    super(`${op}: ${message}`, options);
    this.name = 'AttentionError';
    this.op = op;
  }

  /**
   * True when `error` is an AttentionError, also across copies of the package
   * (the check uses a `Symbol.for` brand, not `instanceof`).
   * @param error - any value
   * @returns whether it is an AttentionError
   */
  static isInstance(error: unknown): error is AttentionError {
    return typeof error === 'object' && error !== null && (error as AttentionError)[brand] === true;
  }
}

/**
 * Tensor shapes that do not fit together (q / k / v / mask / cache).
 * @example
 * attention(randn([1, 3, 4, 8]), randn([1, 2, 4, 8]), randn([1, 2, 4, 8]));
 * // throws AttentionShapeError:
 * // 'attention: k heads (2) must divide q heads (3), q [1,3,4,8], k [1,2,4,8]'
 */
export class AttentionShapeError extends AttentionError {
  /** The shapes involved, in argument order. */
  readonly shapes: readonly (readonly number[])[];
  /**
   * @param op - the operation that failed
   * @param message - what went wrong
   * @param shapes - the offending shapes
   */
  constructor(op: string, message: string, shapes: readonly (readonly number[])[] = []) {
    super(op, message);
    this.name = 'AttentionShapeError';
    this.shapes = shapes;
  }
}

/**
 * A tensor of a dtype the operation does not accept (attention needs float32
 * or float64 q / k / v of one dtype, and a bool mask).
 */
export class AttentionDTypeError extends AttentionError {
  /** The offending dtype. */
  readonly dtype: string;
  /**
   * @param op - the operation that failed
   * @param message - what went wrong
   * @param dtype - the offending dtype
   */
  constructor(op: string, message: string, dtype: string) {
    super(op, message);
    this.name = 'AttentionDTypeError';
    this.dtype = dtype;
  }
}

/**
 * An option or argument outside its valid range (a NaN scale, dropout 1.5,
 * a block size of 0, a NaN inside q), or a combination the chosen
 * implementation does not support (a mask with linear attention).
 */
export class AttentionValueError extends AttentionError {
  /** The option or argument name, for example `scale` or `q`. */
  readonly option: string;
  /** The offending value. */
  readonly value: unknown;
  /**
   * @param op - the operation that failed
   * @param message - what went wrong
   * @param option - the option or argument name
   * @param value - the offending value
   */
  constructor(op: string, message: string, option: string, value: unknown) {
    super(op, message);
    this.name = 'AttentionValueError';
    this.option = option;
    this.value = value;
  }
}
