/**
 * The backend interface: the small set of primitive kernels every backend
 * implements. Higher ops (gelu, softmax, layer norm, losses, ...) are composed
 * from these in `ops/`, so a new backend is small; a backend may also offer the
 * optional fused kernels, which the ops use when present.
 *
 * Every kernel receives its operands as `KernelInput`s: the backend's storage
 * handle plus the view's layout (shape, strides, offset, in elements), so views
 * (transposes, slices, broadcasts with stride 0, flips with negative strides)
 * reach the kernels without copies. Kernels return a new storage holding the
 * result, contiguous in row-major order; only `assign` writes in place.
 *
 * Versioned: `interfaceVersion` changes when a primitive is added or changed.
 */
import type { DType, TypedArray } from '../dtype.js';
import type { Shape } from '../shape.js';

/** The version of this interface that a backend implements. */
export const BACKEND_INTERFACE_VERSION = 1;

/** Elementwise unary primitives. Semantics: the `scalar` functions in `ops/unary-ops.ts`. */
export type UnaryOpName =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'exp'
  | 'expm1'
  | 'log'
  | 'log1p'
  | 'sqrt'
  | 'rsqrt'
  | 'square'
  | 'reciprocal'
  | 'sin'
  | 'cos'
  | 'tanh'
  | 'sigmoid'
  | 'relu'
  | 'gelu'
  | 'geluErf'
  | 'silu'
  | 'softplus'
  | 'elu'
  | 'leakyRelu'
  | 'erf'
  | 'floor'
  | 'ceil'
  | 'round'
  | 'clamp'
  | 'logicalNot'
  | 'isNaN'
  | 'isFinite';

/** Elementwise binary primitives (operands broadcast by the caller). */
export type BinaryOpName =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'logicalAnd'
  | 'logicalOr';

/** Reductions over a set of axes. */
export type ReduceOpName = 'sum' | 'prod' | 'max' | 'min';

/** A storage handle with the layout of the view to read. */
export interface KernelInput<S = unknown> {
  readonly data: S;
  readonly dtype: DType;
  readonly shape: Shape;
  /** Element strides; 0 for broadcast axes, negative for flipped ones. */
  readonly strides: readonly number[];
  /** Element offset of index `[0, ..., 0]`. */
  readonly offset: number;
}

/** Memory held by a backend, for leak checks. */
export interface MemoryInfo {
  /** Live storages (allocated and not freed). */
  readonly storages: number;
  /** Bytes held by live storages. */
  readonly bytes: number;
  /** The largest `bytes` seen since the backend was created or `resetPeakMemory()` was called. */
  readonly peakBytes: number;
}

/** The primitives a backend implements. `S` is its storage handle type. */
export interface Backend<S = unknown> {
  /** Name used by `setBackend`. */
  readonly name: string;
  /**
   * The family whose kernels this backend runs: `js` (typed-array storage),
   * `wasm` (`WasmStorage` blocks of the core's linear memory), `gpu`, or
   * another name. Extension kernels (`defineKernel`) pick their
   * implementation by it, so a renamed instance (`createWasmBackend({ name:
   * 'wasm2' })`) runs the same kernels. Defaults to `name`.
   */
  readonly kind?: string;
  /** The interface version implemented (`BACKEND_INTERFACE_VERSION`). */
  readonly interfaceVersion: number;
  /** Whether this backend stores and computes `dtype`. */
  supportsDType(dtype: DType): boolean;

  // ---- allocator: alloc, free, upload, download ----
  /** A new zero-filled storage of `length` elements. */
  alloc(dtype: DType, length: number): S;
  /** Releases a storage; it is never used again. */
  free(data: S): void;
  /** A new storage holding a copy of `values` (already of `dtype`'s array type). */
  upload(dtype: DType, values: TypedArray): S;
  /** Reads a whole storage back as a typed array of its dtype (a copy or a view that callers do not mutate). Blocks until the values are on the host. */
  download(data: S, dtype: DType, length: number): TypedArray;
  /**
   * Optional: `download` without blocking, for a device whose readback is
   * asynchronous (WebGPU maps buffers asynchronously). `Tensor.data()` uses
   * it where present and `download` elsewhere.
   */
  downloadAsync?(data: S, dtype: DType, length: number): Promise<TypedArray>;
  /**
   * Optional, for backends whose storage is host memory (js: the typed array
   * itself; wasm: a view of the linear memory): the storage's elements as a
   * typed array that aliases it, with no copy, valid until the backend's next
   * allocation (a wasm memory may grow and move). Kernels registered with
   * `defineKernel` run their `js` reference on these views; a backend
   * without it gets download / upload copies instead.
   */
  hostView?(data: S, dtype: DType, length: number): TypedArray;
  /** Live storages and bytes, and the peak since the last `resetPeakMemory()`. */
  memory(): MemoryInfo;
  /** Restarts peak tracking from the current live bytes. */
  resetPeakMemory(): void;

  // ---- layout ----
  /** The view `x` as a new contiguous storage, converted to `dtype`. */
  copy(x: KernelInput<S>, dtype: DType): S;
  /** Writes `src` (broadcast to `dst.shape`, converted to `dst.dtype`) into the view `dst`, in place. */
  assign(dst: KernelInput<S>, src: KernelInput<S>): void;

  // ---- elementwise ----
  /** `op` applied to every element; `params` carries op parameters (clamp bounds, slopes). */
  unary(op: UnaryOpName, x: KernelInput<S>, dtype: DType, params?: readonly number[]): S;
  /** `op(a, b)` over `shape`; `a` and `b` are laid out with `shape` already (stride 0 where broadcast). */
  binary(op: BinaryOpName, a: KernelInput<S>, b: KernelInput<S>, dtype: DType): S;
  /** `condition ? a : b` over the common shape of the three inputs (already broadcast). */
  where(condition: KernelInput<S>, a: KernelInput<S>, b: KernelInput<S>, dtype: DType): S;

  // ---- reductions and scans ----
  /** Reduces `axes` (sorted, distinct); the result has `x.shape` without those axes. */
  reduce(op: ReduceOpName, x: KernelInput<S>, axes: readonly number[], dtype: DType): S;
  /** Index (int32) of the largest (`argmax`) or smallest value along `axis`; NaN wins, first index on ties. */
  argReduce(op: 'argmax' | 'argmin', x: KernelInput<S>, axis: number): S;
  /** Inclusive cumulative sum along `axis`, from the end when `reverse`. */
  cumsum(x: KernelInput<S>, axis: number, reverse: boolean, dtype: DType): S;
  /** Int32 indices of the `k` largest (or smallest) values along the last axis, sorted, ties by lower index, NaN largest. */
  topkIndices(x: KernelInput<S>, k: number, largest: boolean): S;

  // ---- linear algebra ----
  /** Batched `a @ b`: a is `[...batch, M, K]`, b is `[...batch, K, N]` with equal (broadcast) batch shapes; result `[...batch, M, N]`. */
  matmul(a: KernelInput<S>, b: KernelInput<S>, dtype: DType): S;

  // ---- indexing ----
  /** `out[..i..] = x[..index[..i..]..]` along `axis` (PyTorch `gather`); result has `index.shape`. Throws IndexRangeError for out-of-range indices. */
  gather(x: KernelInput<S>, axis: number, index: KernelInput<S>): S;
  /** A copy of `x` with `src` added at `index` along `axis` (PyTorch `scatter_add`). Throws IndexRangeError for out-of-range indices. */
  scatterAdd(x: KernelInput<S>, axis: number, index: KernelInput<S>, src: KernelInput<S>): S;

  // ---- optional fused kernels (the ops compose primitives when absent) ----
  /** Softmax (or log-softmax) along `axis`. */
  softmax?(x: KernelInput<S>, axis: number, log: boolean): S;
  /** Layer norm over the last axis with optional affine weight and bias of the last axis' length. */
  layerNorm?(
    x: KernelInput<S>,
    weight: KernelInput<S> | null,
    bias: KernelInput<S> | null,
    eps: number,
  ): S;
  /** RMS norm over the last axis with an optional weight. */
  rmsNorm?(x: KernelInput<S>, weight: KernelInput<S> | null, eps: number): S;
}
