/**
 * In-place ops (trailing underscore): they write into the tensor's storage
 * (through its view) and bump the storage version. They are not recorded on
 * the tape, so they are refused while grad mode is on and the tensor (or an
 * operand) requires grad: run them inside `noGrad` (as optimizers do). A
 * backward pass that needs a value overwritten since it was saved throws.
 */
import { isGradEnabled } from '../autograd/grad-mode.js';
import { AutogradError, ShapeError } from '../errors.js';
import { broadcastShapes, formatShape, sameShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { backendOf, broadcastInput, input, type TensorLike, toTensor } from './dispatch.js';
import * as ew from './elementwise.js';

function write<T extends Tensor>(
  op: string,
  target: T,
  compute: () => Tensor,
  operands: readonly TensorLike[] = [],
): T {
  const tensors = operands.filter((o): o is Tensor => typeof o !== 'number');
  const backend = backendOf(op, target, ...tensors);
  if (isGradEnabled() && (target.requiresGrad || tensors.some((t) => t.requiresGrad))) {
    throw new AutogradError(
      op,
      `in-place update of tensor #${target.id}, which requires grad, would overwrite a value autograd needs; run it inside noGrad() or use the out-of-place op`,
    );
  }
  const value = compute();
  const shape = broadcastShapes(op, value.shape, target.shape);
  if (!sameShape(shape, target.shape)) {
    throw new ShapeError(
      op,
      `result shape ${formatShape(value.shape)} does not broadcast to the target ${formatShape(target.shape)}`,
      [target.shape, value.shape],
    );
  }
  backend.assign(input(target), broadcastInput(value, target.shape));
  target.storage.version++;
  return target;
}

/** `target += alpha * other`, in place. */
export function add_<T extends Tensor>(target: T, other: TensorLike, alpha = 1): T {
  return write(
    'add_',
    target,
    () => ew.add(target, alpha === 1 ? other : ew.mul(toTensor(other, target), alpha)),
    [other],
  );
}

/** `target -= alpha * other`, in place. */
export function sub_<T extends Tensor>(target: T, other: TensorLike, alpha = 1): T {
  return write(
    'sub_',
    target,
    () => ew.sub(target, alpha === 1 ? other : ew.mul(toTensor(other, target), alpha)),
    [other],
  );
}

/** `target *= other`, in place. */
export function mul_<T extends Tensor>(target: T, other: TensorLike): T {
  return write('mul_', target, () => ew.mul(target, other), [other]);
}

/** `target /= other`, in place. */
export function div_<T extends Tensor>(target: T, other: TensorLike): T {
  return write('div_', target, () => ew.div(target, other), [other]);
}

/** Clamps `target` into `[min, max]`, in place. */
export function clamp_<T extends Tensor>(target: T, min?: number | null, max?: number | null): T {
  return write('clamp_', target, () => ew.clamp(target, min, max));
}

/** Copies `source` (broadcast, converted to target's dtype) into `target`, in place. */
export function copy_<T extends Tensor>(target: T, source: TensorLike): T {
  return write('copy_', target, () => toTensor(source, target), [source]);
}

/** Fills `target` with `value`, in place. */
export function fill_<T extends Tensor>(target: T, value: number): T {
  return write('fill_', target, () => toTensor(value, target));
}

/** Fills `target` with zeros, in place. */
export function zero_<T extends Tensor>(target: T): T {
  return fill_(target, 0);
}
