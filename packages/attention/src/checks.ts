/**
 * The argument checks of `attention()` (internal): tensors, masks, finite
 * values, integer options, ALiBi slopes. Each throws the package's errors with
 * the op and the offending values in the message.
 */
import { formatShape, type Tensor } from '@x/tensor';
import { alibiSlopes } from './alibi.js';
import { AttentionDTypeError, AttentionShapeError, AttentionValueError } from './errors.js';
import { firstNonFinite } from './kernel-ops.js';
import type { AttentionOptions } from './options.js';

const OP = 'attention';

/** Formats a shape as `[1,2,3]`. */
export const fmt = (shape: readonly number[]) => formatShape(shape, ',');

function isTensor(value: unknown): value is Tensor {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] === 'Tensor'
  );
}

/**
 * Checks q / k / v: a rank-4 float tensor.
 * @throws AttentionValueError, AttentionShapeError, AttentionDTypeError
 */
export function checkTensor(name: string, t: unknown): Tensor {
  if (!isTensor(t))
    throw new AttentionValueError(OP, `${name} must be a Tensor, got ${typeof t}`, name, t);
  if (t.rank !== 4)
    throw new AttentionShapeError(
      OP,
      `${name} must have rank 4 [B, heads, length, dim], got ${fmt(t.shape)}`,
      [t.shape],
    );
  if (t.dtype !== 'float32' && t.dtype !== 'float64')
    throw new AttentionDTypeError(
      OP,
      `${name} must be float32 or float64, got ${t.dtype}`,
      t.dtype,
    );
  return t;
}

/**
 * Scans a tensor for NaN and Infinity (one pass).
 * @throws AttentionValueError naming the tensor and the flat index
 */
export function checkFiniteValues(name: string, t: Tensor): void {
  const index = firstNonFinite(t);
  if (index < 0) return;
  const value = t.reshape([-1]).narrow(0, index, 1).item();
  throw new AttentionValueError(
    OP,
    `${name} holds ${value} at flat index ${index} (shape ${fmt(t.shape)}); pass finite values or checkFinite: false`,
    name,
    value,
  );
}

/**
 * Checks an integer option >= 1.
 * @throws AttentionValueError
 */
export function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new AttentionValueError(
      OP,
      `${name} must be a positive integer, got ${String(value)}`,
      name,
      value,
    );
  return value;
}

/**
 * Checks a mask: bool, on q's backend, broadcastable to [B, H, N, M].
 * @throws AttentionValueError, AttentionDTypeError, AttentionShapeError
 */
export function checkMask(mask: Tensor, shape: readonly number[], backend: string): Tensor {
  if (!isTensor(mask))
    throw new AttentionValueError(
      OP,
      `mask must be a bool Tensor, got ${typeof mask}`,
      'mask',
      mask,
    );
  if (mask.dtype !== 'bool')
    throw new AttentionDTypeError(OP, `mask must be bool, got ${mask.dtype}`, mask.dtype);
  if (mask.backend !== backend)
    throw new AttentionValueError(
      OP,
      `mask lives on backend ${mask.backend}, q on ${backend}`,
      'mask',
      mask.backend,
    );
  const shift = 4 - mask.rank;
  const fits =
    mask.rank >= 2 &&
    mask.rank <= 4 &&
    mask.shape.every((n, axis) => n === 1 || n === shape[axis + shift]);
  if (!fits)
    throw new AttentionShapeError(
      OP,
      `mask ${fmt(mask.shape)} does not broadcast to [B, H, N, M] = ${fmt(shape)}`,
      [mask.shape, shape],
    );
  return mask;
}

/**
 * The ALiBi slopes of the `alibi` option: none, the paper's, or one per head.
 * @throws AttentionValueError for a wrong count or non-finite slopes
 */
export function resolveSlopes(
  alibi: AttentionOptions['alibi'],
  heads: number,
): Float64Array | null {
  if (alibi === undefined || alibi === false) return null;
  if (alibi === true) return alibiSlopes(heads);
  const slopes = Float64Array.from(alibi as ArrayLike<number>);
  if (slopes.length !== heads || slopes.some((s) => !Number.isFinite(s)))
    throw new AttentionValueError(
      OP,
      `alibi needs ${heads} finite slopes (one per query head), got ${slopes.length}`,
      'alibi',
      alibi,
    );
  return slopes;
}
