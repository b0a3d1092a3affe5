/**
 * Copies and conversions: `to(dtype)`, `contiguous`, `clone`, `detach` and
 * moving a tensor to another backend.
 */

import { record } from '../autograd/node.js';
import { findBackend } from '../backend/registry.js';
import { checkDType, type DType, isFloat } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { backendOf, input, wrap } from './dispatch.js';

/**
 * The values converted to `dtype` (float to int truncates toward zero, NaN to 0;
 * nonzero to bool is true). Returns `x` itself when it already has that dtype.
 * @throws DTypeError for an unknown dtype
 * @example tensor([1.7, -1.7]).to('int32').toArray() // [1, -1]
 */
export function to(x: Tensor, dtype: DType): Tensor {
  const target = checkDType('to', dtype);
  if (target === x.dtype) return x;
  const backend = backendOf('to', x);
  const y = wrap(backend, backend.copy(input(x), target), x.shape, target);
  if (!isFloat(target)) return y;
  return record('to', y, [x], (g) => [to(g, x.dtype)]);
}

/** A contiguous tensor with `x`'s values: `x` itself when already contiguous, else a copy. */
export function contiguous(x: Tensor): Tensor {
  if (x.isContiguous) return x;
  return clone(x);
}

/** A copy of `x` with its own contiguous storage; gradients flow through. */
export function clone(x: Tensor): Tensor {
  const backend = backendOf('clone', x);
  const y = wrap(backend, backend.copy(input(x), x.dtype), x.shape, x.dtype);
  return record('clone', y, [x], (g) => [g]);
}

/** A view of `x`'s storage that is not part of the tape (no gradient flows through it). */
export function detach(x: Tensor): Tensor {
  x.assertAlive('detach');
  return Tensor.fromStorage(x.storage, x.shape, x.strides, x.offset, x.base ?? x);
}

/**
 * `x`'s values on the backend named `name` (a copy; `x` itself when already there).
 * @throws BackendError for an unknown backend
 */
export function toBackend(x: Tensor, name: string): Tensor {
  const target = findBackend(name);
  const source = backendOf('toBackend', x);
  if (target === source) return x;
  const values = x.toTypedArray();
  const y = wrap(target, target.upload(x.dtype, values), x.shape, x.dtype);
  return record('toBackend', y, [x], (g) => [toBackend(g, source.name)]);
}
