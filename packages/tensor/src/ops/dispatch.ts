/**
 * Helpers every op uses: find the common backend of the operands, describe a
 * tensor (or a broadcast of it) to a kernel, wrap kernel results as tensors,
 * and turn JS numbers into tensors of the right dtype.
 */
import type { Backend, KernelInput } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { allocArray, castScalar, type DType, isFloat, promoteTypes } from '../dtype.js';
import { BackendError, DTypeError } from '../errors.js';
import { contiguousStrides, type Shape, sizeOf } from '../shape.js';
import { Storage } from '../storage.js';
import { Tensor } from '../tensor.js';

/** A tensor or a plain number (a scalar operand). */
export type TensorLike = Tensor | number;

/**
 * The backend all `tensors` live on.
 * @throws BackendError when they live on different backends
 */
export function backendOf(op: string, ...tensors: readonly Tensor[]): Backend {
  const backend = tensors[0]?.storage.backend ?? getBackend();
  for (const tensor of tensors) {
    tensor.assertAlive(op);
    if (tensor.storage.backend !== backend) {
      throw new BackendError(
        op,
        `operands live on different backends (${backend.name} and ${tensor.storage.backend.name}); move one with .toBackend()`,
        tensor.storage.backend.name,
      );
    }
  }
  return backend;
}

/** The kernel view of a tensor. */
export function input(tensor: Tensor): KernelInput {
  return {
    data: tensor.storage.data,
    dtype: tensor.dtype,
    shape: tensor.shape,
    strides: tensor.strides,
    offset: tensor.offset,
  };
}

/** The kernel view of a tensor broadcast to `shape` (stride 0 on repeated axes; no copy). */
export function broadcastInput(tensor: Tensor, shape: Shape): KernelInput {
  const strides = new Array<number>(shape.length).fill(0);
  const shift = shape.length - tensor.shape.length;
  for (let axis = 0; axis < tensor.shape.length; axis++) {
    strides[axis + shift] =
      tensor.shape[axis] === 1 && shape[axis + shift] !== 1 ? 0 : tensor.strides[axis]!;
  }
  return { data: tensor.storage.data, dtype: tensor.dtype, shape, strides, offset: tensor.offset };
}

/** Wraps a new contiguous kernel result as a tensor. */
export function wrap(backend: Backend, data: unknown, shape: Shape, dtype: DType): Tensor {
  const storage = new Storage(backend, data, dtype, sizeOf(shape));
  return Tensor.fromStorage(storage, shape, contiguousStrides(shape), 0);
}

/** A tensor holding the single value `value`, with shape `[]`. */
export function scalarTensor(value: number, dtype: DType, backend: Backend = getBackend()): Tensor {
  const values = allocArray(dtype, 1);
  values[0] = castScalar(value, dtype);
  return wrap(backend, backend.upload(dtype, values), [], dtype);
}

/**
 * Converts a binary op's operand: tensors pass through; numbers become
 * scalar tensors of a dtype that does not widen the tensor operand ("weak"
 * scalars, as in PyTorch: `int32 + 2` stays int32, `int32 + 0.5` is float32,
 * `float32 + 2` stays float32).
 */
export function toTensor(value: TensorLike, other: TensorLike, backend?: Backend): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value !== 'number') {
    throw new DTypeError(
      'operand',
      `expected a Tensor or a number, got ${typeof value}`,
      typeof value,
    );
  }
  const otherDType = other instanceof Tensor ? other.dtype : 'float32';
  let dtype: DType = otherDType;
  if (otherDType === 'bool' || otherDType === 'int32')
    dtype = Number.isInteger(value) ? 'int32' : 'float32';
  return scalarTensor(
    value,
    dtype,
    backend ?? (other instanceof Tensor ? other.storage.backend : getBackend()),
  );
}

/** The dtype of a binary op's result. */
export function resultType(a: Tensor, b: Tensor): DType {
  return promoteTypes(a.dtype, b.dtype);
}

/** Throws a DTypeError unless `tensor` has a floating dtype. */
export function requireFloat(op: string, tensor: Tensor): void {
  if (!isFloat(tensor.dtype)) {
    throw new DTypeError(op, `expects a floating-point tensor, got ${tensor.dtype}`, tensor.dtype);
  }
}
