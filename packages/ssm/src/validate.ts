/**
 * Argument checks used at the package's API boundaries. Hot loops never
 * throw: every check runs before a kernel starts.
 */
import { formatShape, type Tensor } from '@x/tensor';
import { SsmDTypeError, SsmShapeError, SsmValueError } from './errors.js';

// The core's shape formatting (`[2, 3]`), re-exported for this package's messages.
export { formatShape };

/**
 * Throws unless `value` is an integer >= `min`.
 * @throws SsmValueError naming the op and the argument
 */
export function checkInteger(op: string, name: string, value: number, min = 1): number {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new SsmValueError(op, name, `${name} must be an integer >= ${min}, got ${value}`, value);
  }
  return value;
}

/**
 * Throws unless `value` is a finite number (optionally > 0).
 * @throws SsmValueError naming the op and the argument
 */
export function checkFinite(op: string, name: string, value: number, positive = false): number {
  if (!(Number.isFinite(value) && (!positive || value > 0))) {
    throw new SsmValueError(
      op,
      name,
      `${name} must be a finite${positive ? ' positive' : ''} number, got ${value}`,
      value,
    );
  }
  return value;
}

/**
 * Throws unless `value` is one of `allowed`.
 * @throws SsmValueError listing the allowed values
 */
export function checkOneOf<T extends string>(
  op: string,
  name: string,
  value: T,
  allowed: readonly T[],
): T {
  if (!allowed.includes(value)) {
    throw new SsmValueError(
      op,
      name,
      `${name} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${JSON.stringify(value)}`,
      value,
    );
  }
  return value;
}

/**
 * Throws unless `t` is a float32 or float64 tensor.
 * @throws SsmDTypeError naming the op and the argument
 */
export function checkFloat(op: string, name: string, t: Tensor): void {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    throw new SsmDTypeError(
      op,
      `${name} must be a float32 or float64 tensor, got ${t.dtype}`,
      t.dtype,
    );
  }
}

/**
 * Throws unless `t` has exactly `expected` (entries of -1 match any size).
 * @throws SsmShapeError naming the op, the argument and both shapes
 */
export function checkShape(op: string, name: string, t: Tensor, expected: readonly number[]): void {
  const ok =
    t.rank === expected.length && expected.every((size, i) => size < 0 || t.shape[i] === size);
  if (!ok) {
    const wanted = expected.map((s) => (s < 0 ? '*' : String(s))).join(', ');
    throw new SsmShapeError(
      op,
      `${name} must have shape [${wanted}], got ${formatShape(t.shape)}`,
      {
        [name]: t.shape,
      },
    );
  }
}

/**
 * Throws when `t` holds NaN or an infinity (for small tensors: parameters, signals).
 * @throws SsmValueError with the first offending index
 */
export function checkAllFinite(op: string, name: string, t: Tensor | ArrayLike<number>): void {
  const values = 'toTypedArray' in t ? t.toTypedArray() : t;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      throw new SsmValueError(op, name, `${name} holds ${v} at flat index ${i}`, v);
    }
  }
}
