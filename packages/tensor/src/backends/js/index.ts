/**
 * The `js` backend: plain TypeScript over typed arrays. It is the readable
 * reference and the specification every other backend is tested against, and
 * the only backend that stores `float64` (the dtype of gradient checks).
 * Storage handles are the typed arrays themselves.
 */
import { BACKEND_INTERFACE_VERSION, type Backend } from '../../backend/backend.js';
import { allocArray, type DType, type TypedArray } from '../../dtype.js';
import { assignKernel, binaryKernel, copyKernel, unaryKernel, whereKernel } from './elementwise.js';
import { layerNormKernel, rmsNormKernel, softmaxKernel } from './fused.js';
import { gatherKernel, scatterAddKernel } from './indexing.js';
import { matmulKernel } from './matmul.js';
import { argReduceKernel, cumsumKernel, reduceKernel, topkIndicesKernel } from './reduce.js';

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
    memory: () => ({ storages, bytes, peakBytes }),
    resetPeakMemory: () => {
      peakBytes = bytes;
    },
    copy: (x, dtype) => track(copyKernel(x, dtype)),
    assign: (dst, src) => assignKernel(dst, src),
    unary: (op, x, dtype, params) => track(unaryKernel(op, x, dtype, params)),
    binary: (op, a, b, dtype) => track(binaryKernel(op, a, b, dtype)),
    where: (condition, a, b, dtype) => track(whereKernel(condition, a, b, dtype)),
    reduce: (op, x, axes, dtype) => track(reduceKernel(op, x, axes, dtype)),
    argReduce: (op, x, axis) => track(argReduceKernel(op, x, axis)),
    cumsum: (x, axis, reverse, dtype) => track(cumsumKernel(x, axis, reverse, dtype)),
    topkIndices: (x, k, largest) => track(topkIndicesKernel(x, k, largest)),
    matmul: (a, b, dtype) => track(matmulKernel(a, b, dtype)),
    gather: (x, axis, index) => track(gatherKernel(x, axis, index)),
    scatterAdd: (x, axis, index, src) => track(scatterAddKernel(x, axis, index, src)),
  };
  if (options.fused !== false) {
    backend.softmax = (x, axis, log) => track(softmaxKernel(x, axis, log));
    backend.layerNorm = (x, weight, bias, eps) => track(layerNormKernel(x, weight, bias, eps));
    backend.rmsNorm = (x, weight, eps) => track(rmsNormKernel(x, weight, eps));
  }
  return backend;
}
