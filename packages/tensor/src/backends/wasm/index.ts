/**
 * The `wasm` backend: WebAssembly 128-bit SIMD kernels on tensors that live in
 * one linear memory (shared between threads where SharedArrayBuffer exists),
 * so kernels run without copying in or out. float32 matmul, elementwise
 * binary / unary ops, trailing-axis reductions, softmax and layer / RMS norm
 * run in wasm (`kernels/`); every other dtype, op and layout runs the js
 * reference kernels over typed-array views of the same memory, so the backend
 * supports every dtype (float64 gradient checks included).
 *
 * Storage handles are `WasmStorage` blocks of the allocator (`allocator.ts`);
 * `download` copies out. Threads: see `pool.ts` and `setWasmThreads`.
 */
import {
  BACKEND_INTERFACE_VERSION,
  type Backend,
  type KernelInput,
} from '../../backend/backend.js';
import { type DType, itemSize, type TypedArray } from '../../dtype.js';
import { isContiguous, sizeOf } from '../../shape.js';
import { createJsBackend } from '../js/index.js';
import { type WasmContext, type WasmStorage, wasmContext } from './context.js';
import { wasmMatmul } from './matmul.js';
import { wasmBinary, wasmNorm, wasmReduce, wasmSoftmax, wasmUnary } from './ops.js';

export type { WasmStorage } from './context.js';
export { wasmSupported } from './loader.js';

type Input = KernelInput<WasmStorage>;

/** Options of `createWasmBackend`. */
export interface WasmBackendOptions {
  /** Backend name (default `wasm`). */
  name?: string;
}

/**
 * Creates a wasm backend instance (the module is instantiated on first use;
 * instances share the memory but count their own storages).
 * @param options - the name
 * @returns the backend
 * @example
 * registerBackend(createWasmBackend({ name: 'wasm2' }), { priority: 5 });
 */
export function createWasmBackend(options: WasmBackendOptions = {}): Backend<WasmStorage> {
  const js = createJsBackend({ name: 'wasm-fallback' });
  let storages = 0;
  let bytes = 0;
  let peakBytes = 0;
  const context = (): WasmContext => wasmContext();
  const alloc = (dtype: DType, length: number): WasmStorage => {
    const storage = context().allocStorage(dtype, length);
    storages++;
    bytes += length * itemSize(dtype);
    if (bytes > peakBytes) peakBytes = bytes;
    return storage;
  };
  const view = (x: Input): KernelInput<TypedArray> => ({
    data: context().view(x.data),
    dtype: x.dtype,
    shape: x.shape,
    strides: x.strides,
    offset: x.offset,
  });
  const opt = (x: Input | null): KernelInput<TypedArray> | null => (x ? view(x) : null);
  /** Moves a js kernel's result into the memory. */
  const adopt = (array: TypedArray, dtype: DType): WasmStorage => {
    const storage = alloc(dtype, array.length);
    if (array.length > 0) context().view(storage).set(array);
    js.free(array);
    return storage;
  };
  const f32 = (...inputs: (Input | null)[]) =>
    inputs.every((x) => x === null || x.dtype === 'float32');
  /** Runs a wasm driver on a fresh float32 output, or returns null (output freed) when it declines. */
  const attempt = (length: number, run: (out: WasmStorage) => boolean): WasmStorage | null => {
    const out = alloc('float32', length);
    if (run(out)) return out;
    backend.free(out);
    return null;
  };

  const backend: Backend<WasmStorage> = {
    name: options.name ?? 'wasm',
    kind: 'wasm',
    interfaceVersion: BACKEND_INTERFACE_VERSION,
    supportsDType: () => true,
    alloc: (dtype, length) => {
      const storage = alloc(dtype, length);
      if (length > 0) context().view(storage).fill(0);
      return storage;
    },
    free: (data) => {
      storages--;
      bytes -= data.length * itemSize(data.dtype);
      context().freeStorage(data);
    },
    upload: (dtype, values) => {
      const storage = alloc(dtype, values.length);
      if (values.length > 0) context().view(storage).set(values);
      return storage;
    },
    download: (data) => context().view(data).slice(),
    hostView: (data) => context().view(data),
    memory: () => ({ storages, bytes, peakBytes }),
    resetPeakMemory: () => {
      peakBytes = bytes;
    },
    copy: (x, dtype) => {
      if (x.dtype === dtype && isContiguous(x.shape, x.strides)) {
        const length = sizeOf(x.shape);
        const out = alloc(dtype, length);
        const size = itemSize(dtype);
        const start = x.data.ptr + x.offset * size;
        if (length > 0)
          new Uint8Array(context().runtime.memory.buffer).copyWithin(
            out.ptr,
            start,
            start + length * size,
          );
        return out;
      }
      return adopt(js.copy(view(x), dtype), dtype);
    },
    assign: (dst, src) => js.assign(view(dst), view(src)),
    unary: (op, x, dtype, params) => {
      if (dtype === 'float32' && f32(x)) {
        const out = attempt(sizeOf(x.shape), (o) => wasmUnary(context(), op, x, o));
        if (out) return out;
      }
      return adopt(js.unary(op, view(x), dtype, params), dtype);
    },
    binary: (op, a, b, dtype) => {
      if (dtype === 'float32' && f32(a, b)) {
        const out = attempt(sizeOf(a.shape), (o) => wasmBinary(context(), op, a, b, o));
        if (out) return out;
      }
      return adopt(js.binary(op, view(a), view(b), dtype), dtype);
    },
    where: (condition, a, b, dtype) =>
      adopt(js.where(view(condition), view(a), view(b), dtype), dtype),
    reduce: (op, x, axes, dtype) => {
      if (dtype === 'float32' && f32(x)) {
        const length = sizeOf(x.shape.filter((_, i) => !axes.includes(i)));
        const out = attempt(length, (o) => wasmReduce(context(), op, x, axes, o));
        if (out) return out;
      }
      return adopt(js.reduce(op, view(x), axes, dtype), dtype);
    },
    argReduce: (op, x, axis) => adopt(js.argReduce(op, view(x), axis), 'int32'),
    cumsum: (x, axis, reverse, dtype) => adopt(js.cumsum(view(x), axis, reverse, dtype), dtype),
    topkIndices: (x, k, largest) => adopt(js.topkIndices(view(x), k, largest), 'int32'),
    matmul: (a, b, dtype) => {
      if (dtype === 'float32' && f32(a, b)) {
        const rank = a.shape.length;
        const out = alloc('float32', sizeOf(a.shape.slice(0, -1)) * b.shape[rank - 1]!);
        wasmMatmul(context(), a, b, out);
        return out;
      }
      return adopt(js.matmul(view(a), view(b), dtype), dtype);
    },
    gather: (x, axis, index) => adopt(js.gather(view(x), axis, view(index)), x.dtype),
    scatterAdd: (x, axis, index, src) =>
      adopt(js.scatterAdd(view(x), axis, view(index), view(src)), x.dtype),
    softmax: (x, axis, log) => {
      if (f32(x)) {
        const out = attempt(sizeOf(x.shape), (o) => wasmSoftmax(context(), x, axis, log, o));
        if (out) return out;
      }
      return adopt(js.softmax!(view(x), axis, log), x.dtype);
    },
    layerNorm: (x, weight, bias, eps) => {
      if (f32(x, weight, bias)) {
        const out = attempt(sizeOf(x.shape), (o) => wasmNorm(context(), x, weight, bias, eps, o));
        if (out) return out;
      }
      return adopt(js.layerNorm!(view(x), opt(weight), opt(bias), eps), x.dtype);
    },
    rmsNorm: (x, weight, eps) => {
      if (f32(x, weight)) {
        const out = attempt(sizeOf(x.shape), (o) =>
          wasmNorm(context(), x, weight, undefined, eps, o),
        );
        if (out) return out;
      }
      return adopt(js.rmsNorm!(view(x), opt(weight), eps), x.dtype);
    },
  };
  return backend;
}

/**
 * Sets how many threads the wasm backend splits large matmuls and row ops
 * into (the calling thread included). Default: the number of logical cores.
 * 1 turns threads off. Workers start on the next large op (or with
 * `startWasmThreads`); until they are ready, work runs on the calling thread.
 * @param count - a positive integer
 * @throws ValueError for anything else
 * @example
 * setWasmThreads(2);
 * getWasmThreads() // 2
 */
export function setWasmThreads(count: number): void {
  wasmContext().threads = count;
}

/**
 * The wasm backend's thread setting.
 * @returns the thread count large ops split into
 */
export function getWasmThreads(): number {
  return wasmContext().threads;
}

/**
 * Starts the wasm backend's worker threads now and waits until they are ready
 * (otherwise they start on the first large op, which runs single-threaded
 * meanwhile).
 * @returns the threads available (1 where threads are impossible)
 */
export function startWasmThreads(): Promise<number> {
  return wasmContext().startThreads();
}

/**
 * What the wasm backend runs with here.
 * @returns whether the matmul kernel uses relaxed-SIMD FMA, whether the memory is shared (threads possible), and the thread setting
 */
export function wasmInfo(): { fma: boolean; shared: boolean; threads: number } {
  const context = wasmContext();
  return { fma: context.runtime.fma, shared: context.runtime.shared, threads: context.threads };
}
