/**
 * The boundary between tensors and the typed-array kernels. On the js
 * backend a storage handle *is* a typed array, so kernels read inputs and
 * write outputs in place with no copy; outputs are allocated through the
 * backend's allocator, so `memory()` counts them. On a backend without
 * registered attention kernels the values are downloaded, computed by the js
 * kernels and uploaded (a copy each way), which keeps every backend correct
 * until it ships its own kernels (see `kernels/registry.ts`).
 */
import { type Backend, type DType, noGrad, Storage, Tensor } from '@x/tensor';
import type { FloatArray, MaskView } from './kernels/problem.js';

function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = step;
    step *= shape[axis]!;
  }
  return strides;
}

/** A tensor's values as a flat row-major array, and how to release a temporary copy. */
export interface ArrayRead<A> {
  /** The values (a view of the tensor's storage when possible: do not write to it). */
  readonly array: A;
  /** Disposes the contiguous copy made for a strided view, if any. */
  release(): void;
}

/**
 * Reads a float tensor as a flat row-major array, without copying when the
 * backend's storage is a typed array and the tensor is contiguous.
 * @param t - a float32 / float64 tensor
 * @returns the values and a release function
 */
export function readFloat(t: Tensor): ArrayRead<FloatArray> {
  const c = t.isContiguous ? t : noGrad(() => t.contiguous());
  const storage = c.storage;
  const all = storage.backend.download(storage.data, c.dtype, storage.length) as FloatArray;
  const array = all.subarray(c.offset, c.offset + c.size) as FloatArray;
  return { array, release: () => (c !== t ? c.dispose() : undefined) };
}

/**
 * A bool mask tensor as a strided view broadcast to [B, H, N, M] (no copy on the js backend).
 * @param mask - bool tensor of rank 2 to 4, broadcastable to `shape`
 * @param shape - [B, H, N, M]
 */
export function readMask(mask: Tensor, shape: readonly number[]): MaskView {
  const storage = mask.storage;
  const data = storage.backend.download(storage.data, 'bool', storage.length) as Uint8Array;
  const strides: [number, number, number, number] = [0, 0, 0, 0];
  const shift = 4 - mask.rank;
  for (let axis = 0; axis < mask.rank; axis++) {
    strides[axis + shift] =
      mask.shape[axis] === 1 && shape[axis + shift] !== 1 ? 0 : mask.strides[axis]!;
  }
  return { data, offset: mask.offset, strides };
}

/** A kernel output buffer and how to turn it into a tensor. */
export interface OutputBuffer {
  /** The array the kernel writes. */
  readonly array: FloatArray;
  /** Wraps the written values as a tensor of the given shape (call once). */
  toTensor(): Tensor;
}

/**
 * Allocates an output of `shape` on `backend`: the backend's own storage when
 * it is a typed array (js), else a plain array uploaded by `toTensor()`.
 * @param backend - the backend of the inputs
 * @param dtype - float32 or float64
 * @param shape - the output's shape
 */
export function newOutput(backend: Backend, dtype: DType, shape: readonly number[]): OutputBuffer {
  const length = shape.reduce((a, b) => a * b, 1);
  const data = backend.alloc(dtype, length);
  const view = backend.download(data, dtype, length);
  const direct = view === data;
  if (!direct) backend.free(data);
  const array = (
    direct ? view : dtype === 'float64' ? new Float64Array(length) : new Float32Array(length)
  ) as FloatArray;
  return {
    array,
    toTensor: () => {
      const handle = direct ? data : backend.upload(dtype, array);
      return Tensor.fromStorage(
        new Storage(backend, handle, dtype, length),
        shape,
        contiguousStrides(shape),
        0,
      );
    },
  };
}
