/**
 * The `js` backend: plain TypeScript over typed arrays. It is the readable
 * reference and the specification every other backend is tested against, and
 * the only backend that stores `float64` (the dtype of gradient checks).
 * Storage handles are the typed arrays themselves.
 */
import {
  BACKEND_INTERFACE_VERSION,
  type Backend,
  type KernelInput,
} from '../../backend/backend.js';
import {
  allocArray,
  type DType,
  decodeHalf,
  encodeHalf,
  isHalf,
  type TypedArray,
} from '../../dtype.js';
import { isContiguous, sizeOf } from '../../shape.js';
import { assignKernel, binaryKernel, copyKernel, unaryKernel, whereKernel } from './elementwise.js';
import { layerNormKernel, rmsNormKernel, softmaxKernel } from './fused.js';
import { computeType, narrowTo, widen } from './half.js';
import { gatherKernel, scatterAddKernel } from './indexing.js';
import { matmulKernel } from './matmul.js';
import { argReduceKernel, cumsumKernel, reduceKernel, topkIndicesKernel } from './reduce.js';

/** A contiguous copy converted to `dtype`, with bulk paths between float32 and the 16-bit floats. */
function copy(x: KernelInput<TypedArray>, dtype: DType): TypedArray {
  const size = sizeOf(x.shape);
  const dense = isContiguous(x.shape, x.strides);
  if (dense && isHalf(x.dtype) && dtype === 'float32') {
    return decodeHalf((x.data as Uint16Array).subarray(x.offset, x.offset + size), x.dtype);
  }
  if (dense && x.dtype === 'float32' && isHalf(dtype)) {
    return encodeHalf((x.data as Float32Array).subarray(x.offset, x.offset + size), dtype);
  }
  return copyKernel(x, dtype);
}

/** Options of `createJsBackend`. */
export interface JsBackendOptions {
  /** Backend name (default `js`). */
  name?: string;
  /**
   * Offer the fused softmax / layerNorm / rmsNorm kernels (default true).
   * With false the ops fall back to their composition from primitives, which
   * is how the compositions are tested.
   */
  fused?: boolean;
}

/**
 * Creates a js backend instance. Each instance counts its own live storages.
 * @param options - name and whether fused kernels are offered
 * @returns the backend
 * @example
 * registerBackend(createJsBackend({ name: 'js-composite', fused: false }));
 */
export function createJsBackend(options: JsBackendOptions = {}): Backend<TypedArray> {
  let storages = 0;
  let bytes = 0;
  let peakBytes = 0;
  const track = (array: TypedArray): TypedArray => {
    storages++;
    bytes += array.byteLength;
    if (bytes > peakBytes) peakBytes = bytes;
    return array;
  };
  const backend: Backend<TypedArray> = {
    name: options.name ?? 'js',
    kind: 'js',
    interfaceVersion: BACKEND_INTERFACE_VERSION,
    supportsDType: (_dtype: DType) => true,
    alloc: (dtype, length) => track(allocArray(dtype, length)),
    free: (data) => {
      storages--;
      bytes -= data.byteLength;
    },
    upload: (dtype, values) => {
      const array = allocArray(dtype, values.length);
      array.set(values);
      return track(array);
    },
    download: (data) => data,
    hostView: (data) => data,
    memory: () => ({ storages, bytes, peakBytes }),
    resetPeakMemory: () => {
      peakBytes = bytes;
    },
    copy: (x, dtype) => track(copy(x, dtype)),
    assign: (dst, src) => assignKernel(dst, src),
    unary: (op, x, dtype, params) =>
      track(narrowTo(unaryKernel(op, widen(x), computeType(dtype), params), dtype)),
    binary: (op, a, b, dtype) =>
      track(narrowTo(binaryKernel(op, widen(a), widen(b), computeType(dtype)), dtype)),
    where: (condition, a, b, dtype) =>
      track(narrowTo(whereKernel(condition, widen(a), widen(b), computeType(dtype)), dtype)),
    reduce: (op, x, axes, dtype) =>
      track(narrowTo(reduceKernel(op, widen(x), axes, computeType(dtype)), dtype)),
    argReduce: (op, x, axis) => track(argReduceKernel(op, widen(x), axis)),
    cumsum: (x, axis, reverse, dtype) =>
      track(narrowTo(cumsumKernel(widen(x), axis, reverse, computeType(dtype)), dtype)),
    topkIndices: (x, k, largest) => track(topkIndicesKernel(widen(x), k, largest)),
    matmul: (a, b, dtype) =>
      track(narrowTo(matmulKernel(widen(a), widen(b), computeType(dtype)), dtype)),
    // gather moves values without arithmetic: 16-bit codes are copied as they are.
    gather: (x, axis, index) => track(gatherKernel(x, axis, index)),
    scatterAdd: (x, axis, index, src) =>
      track(narrowTo(scatterAddKernel(widen(x), axis, index, widen(src)), x.dtype)),
  };
  if (options.fused !== false) {
    backend.softmax = (x, axis, log) =>
      track(narrowTo(softmaxKernel(widen(x), axis, log), x.dtype));
    backend.layerNorm = (x, weight, bias, eps) =>
      track(
        narrowTo(
          layerNormKernel(widen(x), weight && widen(weight), bias && widen(bias), eps),
          x.dtype,
        ),
      );
    backend.rmsNorm = (x, weight, eps) =>
      track(narrowTo(rmsNormKernel(widen(x), weight && widen(weight), eps), x.dtype));
  }
  return backend;
}
