/**
 * The Tensor: an identity (`id`), a type (`dtype`, `shape`) and a value (a
 * view on a shared `Storage`: `strides` and `offset` in elements). Views
 * (reshape, permute, slice, expand, ...) are new tensors on the same storage;
 * ops return new tensors; in-place ops end with `_` and bump the storage
 * version. Methods are one-line delegations to `ops/`.
 */
import { backward as runBackward } from './autograd/backward.js';
import type { GradNode } from './autograd/node.js';
import { type DType, decodeHalf, isHalf, type TypedArray } from './dtype.js';
import { DisposedError, ValueError } from './errors.js';
import { formatTensor } from './format.js';
import { trackTensor } from './memory/scope.js';
import { clone, contiguous, detach, to, toBackend } from './ops/cast.js';
import { conv1dCausalDepthwise } from './ops/conv1d.js';
import type { TensorLike } from './ops/dispatch.js';
import * as ew from './ops/elementwise.js';
import { gather, indexSelect, maskedFill, scatterAdd } from './ops/indexing.js';
import { add_, clamp_, copy_, div_, fill_, mul_, sub_, zero_ } from './ops/inplace.js';
import { split } from './ops/join.js';
import { matmul } from './ops/matmul.js';
import { layerNorm, rmsNorm } from './ops/norm.js';
import type { ReduceOptions, VarianceOptions } from './ops/reduce.js';
import * as red from './ops/reduce.js';
import { cumsum } from './ops/scan.js';
import { logSoftmax, softmax } from './ops/softmax.js';
import { topk } from './ops/topk.js';
import * as views from './ops/views.js';
import type { Shape } from './shape.js';
import { isContiguous, sizeOf } from './shape.js';
import type { Storage } from './storage.js';

let nextTensorId = 1;

/** Builds nested arrays of `shape` from row-major values. */
function nest(flat: TypedArray, shape: Shape, isBool: boolean): NestedArray {
  const build = (axis: number, start: number): NestedArray => {
    if (axis === shape.length) return isBool ? flat[start] !== 0 : flat[start]!;
    const step = sizeOf(shape.slice(axis + 1));
    return Array.from({ length: shape[axis]! }, (_, i) => build(axis + 1, start + i * step));
  };
  return build(0, 0);
}

/** Nested number arrays, as returned by `toArray()`. */
export type NestedArray = number | boolean | NestedArray[];

/** A multi-dimensional array with autograd. Create one with `tensor()`, `zeros()`, `randn()`, ... */
export class Tensor {
  /** Unique identity of this tensor object (views get their own). */
  readonly id: number;
  /** Extents, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** Element strides into the storage (0 on broadcast axes). */
  readonly strides: readonly number[];
  /** Element offset of `[0, ..., 0]` in the storage. */
  readonly offset: number;
  /** The shared storage (the value). */
  readonly storage: Storage;
  /** The tensor this one is a view of (null for a tensor owning its storage). */
  readonly base: Tensor | null;
  /** Whether gradients flow to this tensor. Set it on leaves you want `.grad` for. */
  requiresGrad = false;
  /** The accumulated gradient after `backward()` (leaves, or tensors that called `retainGrad()`). */
  grad: Tensor | null = null;
  /** The tape node that produced this tensor (null for leaves). */
  gradFn: GradNode | null = null;
  /** Whether `backward()` stores this non-leaf tensor's gradient in `.grad`. */
  retainsGrad = false;
  private disposed = false;

  private constructor(
    storage: Storage,
    shape: Shape,
    strides: readonly number[],
    offset: number,
    base: Tensor | null,
  ) {
    this.id = nextTensorId++;
    this.storage = storage;
    this.shape = Object.freeze(shape.slice());
    this.strides = Object.freeze(strides.slice());
    this.offset = offset;
    this.base = base;
    storage.retain();
    trackTensor(this);
  }

  /**
   * Wraps a storage with a layout (internal: users create tensors with `tensor()` and friends).
   * @param base - the tensor this is a view of, if any
   */
  static fromStorage(
    storage: Storage,
    shape: Shape,
    strides: readonly number[],
    offset: number,
    base: Tensor | null = null,
  ): Tensor {
    return new Tensor(storage, shape, strides, offset, base);
  }

  get [Symbol.toStringTag](): string {
    return 'Tensor';
  }

  /** The element type. */
  get dtype(): DType {
    return this.storage.dtype;
  }
  /** Number of axes. */
  get rank(): number {
    return this.shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }
  /** True for tensors not produced by a recorded op (parameters, inputs). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  /** True when the view walks its storage in row-major order without gaps. */
  get isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }
  /** True after `dispose()`. */
  get isDisposed(): boolean {
    return this.disposed;
  }
  /** The backend the storage lives on. */
  get backend(): string {
    return this.storage.backend.name;
  }

  /** Throws DisposedError when this tensor was disposed (internal). */
  assertAlive(op: string): void {
    if (this.disposed || this.storage.freed) throw new DisposedError(op, this.id);
  }

  // ---- reading values ----
  /**
   * The values as a new contiguous typed array (row-major). float16 and
   * bfloat16 tensors read back as a Float32Array of their exact values.
   */
  toTypedArray(): TypedArray {
    const raw = this.toRawArray();
    return isHalf(this.dtype) ? decodeHalf(raw as Uint16Array, this.dtype) : raw;
  }

  /** The stored elements as a new contiguous typed array: like `toTypedArray`, but float16 / bfloat16 as 16-bit codes. */
  toRawArray(): TypedArray {
    this.assertAlive('toTypedArray');
    // A contiguous view occupies storage[offset, offset + size); anything else is copied first.
    const c = contiguous(this);
    const data = c.storage.backend.download(c.storage.data, c.dtype, c.storage.length);
    const copy = data.slice(c.offset, c.offset + this.size) as TypedArray;
    if (c !== this) c.dispose();
    return copy;
  }
  /** The values as nested arrays (numbers, or booleans for bool tensors). */
  toArray(): NestedArray {
    return nest(this.toTypedArray(), this.shape, this.dtype === 'bool');
  }

  /**
   * The values as a new contiguous typed array, read asynchronously: the
   * readback a device whose transfers are asynchronous (WebGPU) needs; on js
   * and wasm it resolves with what `toTypedArray()` returns. float16 and
   * bfloat16 tensors read back as a Float32Array of their exact values. The
   * storage stays alive until the promise settles, even if the tensor is
   * disposed meanwhile.
   * @returns the values, row-major
   * @throws DisposedError when the tensor was disposed before the call
   * @example
   * await tensor([[1, 2], [3, 4]]).data() // Float32Array [1, 2, 3, 4]
   */
  async data(): Promise<TypedArray> {
    this.assertAlive('data');
    const c = contiguous(this);
    const storage = c.storage;
    storage.retain();
    try {
      const { backend } = storage;
      const all = backend.downloadAsync
        ? await backend.downloadAsync(storage.data, c.dtype, storage.length)
        : backend.download(storage.data, c.dtype, storage.length);
      const raw = all.slice(c.offset, c.offset + this.size) as TypedArray;
      return isHalf(this.dtype) ? decodeHalf(raw as Uint16Array, this.dtype) : raw;
    } finally {
      storage.release();
      if (c !== this) c.dispose();
    }
  }

  /**
   * The values as nested arrays, read asynchronously (see `data()`).
   * @returns numbers, or booleans for bool tensors
   * @throws DisposedError when the tensor was disposed before the call
   * @example
   * await tensor([[1, 2], [3, 4]]).array() // [[1, 2], [3, 4]]
   */
  async array(): Promise<NestedArray> {
    const shape = this.shape;
    const isBool = this.dtype === 'bool';
    return nest(await this.data(), shape, isBool);
  }
  /**
   * The value of a one-element tensor.
   * @throws ValueError when the tensor holds more or fewer than one element
   */
  item(): number {
    if (this.size !== 1)
      throw new ValueError(
        'item',
        `only one-element tensors convert to a number, this one has shape [${this.shape.join(', ')}]`,
        this.shape,
      );
    return this.toTypedArray()[0]!;
  }
  /** A readable print: values (summarized when large), dtype and shape. */
  toString(): string {
    return formatTensor(this);
  }

  // ---- autograd ----
  /**
   * Computes gradients of this tensor with respect to every leaf that
   * requires grad, accumulating them into their `.grad`.
   * @param gradient - d(out)/d(this); required unless this is a one-element tensor
   * @param options - `retainGraph` keeps the tape for a second backward pass
   */
  backward(gradient?: Tensor, options: { retainGraph?: boolean } = {}): void {
    runBackward(this, gradient, options);
  }
  /** Keeps this non-leaf tensor's gradient in `.grad` during `backward()`. */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }
  /** Sets `requiresGrad` and returns this tensor (for chaining). */
  requiresGrad_(value = true): this {
    if (!this.isLeaf && !value)
      throw new ValueError(
        'requiresGrad_',
        'cannot turn off requiresGrad on a non-leaf tensor; use detach()',
        value,
      );
    this.requiresGrad = value;
    return this;
  }
  /** A view on the same storage, cut from the tape (no gradient flows through). */
  detach(): Tensor {
    return detach(this);
  }

  // ---- memory ----
  /** Releases this tensor's reference to its storage; device memory is freed when no view is left. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.storage.release();
  }

  // ---- conversion and copies ----
  /** A copy converted to `dtype` (this tensor when already of that dtype). */
  to(dtype: DType): Tensor {
    return to(this, dtype);
  }
  /** This tensor's values on another backend. */
  toBackend(name: string): Tensor {
    return toBackend(this, name);
  }
  /** A contiguous tensor with the same values (this tensor when already contiguous). */
  contiguous(): Tensor {
    return contiguous(this);
  }
  /** A copy with its own storage (differentiable). */
  clone(): Tensor {
    return clone(this);
  }

  // ---- views ----
  /** Same values, new shape (one extent may be -1); a view when the layout allows, else a copy. */
  reshape(...shape: (number | readonly number[])[]): Tensor {
    return views.reshape(this, shape.flat());
  }
  /** Reorders axes (a view). */
  permute(...axes: (number | readonly number[])[]): Tensor {
    return views.permute(this, axes.flat());
  }
  /** Swaps two axes (a view); defaults to the last two. */
  transpose(axis0 = -2, axis1 = -1): Tensor {
    return views.transpose(this, axis0, axis1);
  }
  /** Broadcasts size-1 axes to `shape` (a view with stride 0; -1 keeps an extent). */
  expand(...shape: (number | readonly number[])[]): Tensor {
    return views.expand(this, shape.flat());
  }
  /** Removes size-1 axes (all, or the given ones). */
  squeeze(axes?: number | readonly number[]): Tensor {
    return views.squeeze(this, axes);
  }
  /** Inserts a size-1 axis at `axis`. */
  unsqueeze(axis: number): Tensor {
    return views.unsqueeze(this, axis);
  }
  /** Slices `[start, end)` with `step` along each axis (a view). See `slice`. */
  slice(...ranges: views.SliceRange[]): Tensor {
    return views.slice(this, ranges);
  }
  /** Picks index `index` along `axis`, removing the axis (a view). */
  select(axis: number, index: number): Tensor {
    return views.select(this, axis, index);
  }
  /** `length` elements from `start` along `axis` (a view). */
  narrow(axis: number, start: number, length: number): Tensor {
    return views.narrow(this, axis, start, length);
  }
  /** Merges axes `startAxis..endAxis` into one. */
  flatten(startAxis = 0, endAxis = -1): Tensor {
    return views.flatten(this, startAxis, endAxis);
  }
  /** Reverses the order along axes (a view with negative strides). */
  flip(axes: number | readonly number[]): Tensor {
    return views.flip(this, axes);
  }

  // ---- elementwise ----
  /** Elementwise `this + other` with broadcasting. */
  add(other: TensorLike): Tensor {
    return ew.add(this, other);
  }
  /** Elementwise `this - other` with broadcasting. */
  sub(other: TensorLike): Tensor {
    return ew.sub(this, other);
  }
  /** Elementwise `this * other` with broadcasting. */
  mul(other: TensorLike): Tensor {
    return ew.mul(this, other);
  }
  /** Elementwise true division `this / other` (integers divide to float32). */
  div(other: TensorLike): Tensor {
    return ew.div(this, other);
  }
  /** Elementwise `this ** exponent`. */
  pow(exponent: TensorLike): Tensor {
    return ew.pow(this, exponent);
  }
  /** Elementwise maximum (NaN propagates). */
  maximum(other: TensorLike): Tensor {
    return ew.maximum(this, other);
  }
  /** Elementwise minimum (NaN propagates). */
  minimum(other: TensorLike): Tensor {
    return ew.minimum(this, other);
  }
  /** Elementwise `==` (bool). */
  eq(other: TensorLike): Tensor {
    return ew.eq(this, other);
  }
  /** Elementwise `!=` (bool). */
  ne(other: TensorLike): Tensor {
    return ew.ne(this, other);
  }
  /** Elementwise `<` (bool). */
  lt(other: TensorLike): Tensor {
    return ew.lt(this, other);
  }
  /** Elementwise `<=` (bool). */
  le(other: TensorLike): Tensor {
    return ew.le(this, other);
  }
  /** Elementwise `>` (bool). */
  gt(other: TensorLike): Tensor {
    return ew.gt(this, other);
  }
  /** Elementwise `>=` (bool). */
  ge(other: TensorLike): Tensor {
    return ew.ge(this, other);
  }
  /** Elementwise logical and (bool). */
  logicalAnd(other: TensorLike): Tensor {
    return ew.logicalAnd(this, other);
  }
  /** Elementwise logical or (bool). */
  logicalOr(other: TensorLike): Tensor {
    return ew.logicalOr(this, other);
  }
  /** Elementwise logical not (bool). */
  logicalNot(): Tensor {
    return ew.logicalNot(this);
  }
  /** Elementwise `-this`. */
  neg(): Tensor {
    return ew.neg(this);
  }
  /** Elementwise absolute value. */
  abs(): Tensor {
    return ew.abs(this);
  }
  /** Elementwise sign (-1, 0, 1). */
  sign(): Tensor {
    return ew.sign(this);
  }
  /** Elementwise `e^x`. */
  exp(): Tensor {
    return ew.exp(this);
  }
  expm1(): Tensor {
    return ew.expm1(this);
  }
  /** Elementwise natural log. */
  log(): Tensor {
    return ew.log(this);
  }
  log1p(): Tensor {
    return ew.log1p(this);
  }
  /** Elementwise square root. */
  sqrt(): Tensor {
    return ew.sqrt(this);
  }
  /** Elementwise `1 / sqrt(x)`. */
  rsqrt(): Tensor {
    return ew.rsqrt(this);
  }
  /** Elementwise `x * x`. */
  square(): Tensor {
    return ew.square(this);
  }
  /** Elementwise `1 / x`. */
  reciprocal(): Tensor {
    return ew.reciprocal(this);
  }
  /** Elementwise sine. */
  sin(): Tensor {
    return ew.sin(this);
  }
  /** Elementwise cosine. */
  cos(): Tensor {
    return ew.cos(this);
  }
  /** Elementwise hyperbolic tangent. */
  tanh(): Tensor {
    return ew.tanh(this);
  }
  /** Elementwise logistic sigmoid. */
  sigmoid(): Tensor {
    return ew.sigmoid(this);
  }
  /** Elementwise `max(x, 0)`. */
  relu(): Tensor {
    return ew.relu(this);
  }
  /** GELU (exact erf form, or `{ approximate: 'tanh' }`). */
  gelu(options?: ew.GeluOptions): Tensor {
    return ew.gelu(this, options);
  }
  /** Elementwise `x * sigmoid(x)`. */
  silu(): Tensor {
    return ew.silu(this);
  }
  /** Elementwise ELU: `x` above 0, `alpha (e^x - 1)` below. */
  elu(alpha = 1): Tensor {
    return ew.elu(this, alpha);
  }
  /** Elementwise leaky ReLU: `x` above 0, `slope x` below. */
  leakyRelu(slope = 0.01): Tensor {
    return ew.leakyRelu(this, slope);
  }
  /** True where any element over `axes` is nonzero (bool). */
  any(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return red.any(this, axes, options);
  }
  /** True where every element over `axes` is nonzero (bool). */
  all(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return red.all(this, axes, options);
  }
  /** Elementwise `log(1 + e^x)`. */
  softplus(): Tensor {
    return ew.softplus(this);
  }
  /** Elementwise error function. */
  erf(): Tensor {
    return ew.erf(this);
  }
  /** Elementwise floor. */
  floor(): Tensor {
    return ew.floor(this);
  }
  /** Elementwise ceiling. */
  ceil(): Tensor {
    return ew.ceil(this);
  }
  /** Elementwise rounding, halves to even. */
  round(): Tensor {
    return ew.round(this);
  }
  /** Clamps into `[min, max]` (either may be omitted). */
  clamp(min?: number | null, max?: number | null): Tensor {
    return ew.clamp(this, min, max);
  }
  /** Elementwise NaN test (bool). */
  isnan(): Tensor {
    return ew.isnan(this);
  }
  /** Elementwise finiteness test (bool). */
  isfinite(): Tensor {
    return ew.isfinite(this);
  }
  /** `condition ? this : other`. */
  where(condition: Tensor, other: TensorLike): Tensor {
    return ew.where(condition, this, other);
  }
  /** Replaces values where `mask` is true by `value`. */
  maskedFill(mask: Tensor, value: number): Tensor {
    return maskedFill(this, mask, value);
  }

  // ---- reductions ----
  /** Sum over `axes` (all when omitted). */
  sum(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return red.sum(this, axes, options);
  }
  /** Mean over `axes` (all when omitted). */
  mean(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return red.mean(this, axes, options);
  }
  /** Product over `axes` (all when omitted). */
  prod(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return red.prod(this, axes, options);
  }
  /** Maximum over `axes` (all when omitted). */
  max(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return red.max(this, axes, options);
  }
  /** Minimum over `axes` (all when omitted). */
  min(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return red.min(this, axes, options);
  }
  /** Index of the maximum along `axis` (of the flattened tensor when omitted). */
  argmax(axis?: number, options?: ReduceOptions): Tensor {
    return red.argmax(this, axis, options);
  }
  /** Index of the minimum along `axis` (of the flattened tensor when omitted). */
  argmin(axis?: number, options?: ReduceOptions): Tensor {
    return red.argmin(this, axis, options);
  }
  /** Stable `log(sum(exp(x)))` over `axes`. */
  logsumexp(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return red.logsumexp(this, axes, options);
  }
  /** Variance over `axes` (unbiased by default: `correction` 1). */
  var(axes?: number | readonly number[], options?: VarianceOptions): Tensor {
    return red.variance(this, axes, options);
  }
  /** Standard deviation over `axes`. */
  std(axes?: number | readonly number[], options?: VarianceOptions): Tensor {
    return red.std(this, axes, options);
  }
  /** Inclusive cumulative sum along `axis`. */
  cumsum(axis: number): Tensor {
    return cumsum(this, axis);
  }

  // ---- linear algebra, indexing, nn ----
  /** Matrix product `this @ other` (batched, broadcast). */
  matmul(other: Tensor): Tensor {
    return matmul(this, other);
  }
  /** PyTorch `gather` along `axis`. */
  gather(axis: number, index: Tensor): Tensor {
    return gather(this, axis, index);
  }
  /** Entries along `axis` at a 1-D int32 index. */
  indexSelect(axis: number, index: Tensor): Tensor {
    return indexSelect(this, axis, index);
  }
  /** A copy with `src` added at `index` along `axis`. */
  scatterAdd(axis: number, index: Tensor, src: Tensor): Tensor {
    return scatterAdd(this, axis, index, src);
  }
  /** Views of consecutive pieces along `axis`. */
  split(sizes: number | readonly number[], axis = 0): Tensor[] {
    return split(this, sizes, axis);
  }
  topk(
    k: number,
    options?: { axis?: number; largest?: boolean },
  ): { values: Tensor; indices: Tensor } {
    return topk(this, k, options);
  }
  /** Softmax along `axis`. */
  softmax(axis = -1): Tensor {
    return softmax(this, axis);
  }
  /** Log-softmax along `axis`. */
  logSoftmax(axis = -1): Tensor {
    return logSoftmax(this, axis);
  }
  /** Layer norm over the last axis. */
  layerNorm(weight?: Tensor | null, bias?: Tensor | null, eps?: number): Tensor {
    return layerNorm(this, weight, bias, eps);
  }
  /** RMS norm over the last axis. */
  rmsNorm(weight?: Tensor | null, eps?: number): Tensor {
    return rmsNorm(this, weight, eps);
  }
  conv1dCausalDepthwise(weight: Tensor, bias?: Tensor | null): Tensor {
    return conv1dCausalDepthwise(this, weight, bias);
  }

  // ---- in place (trailing underscore; refused while autograd needs the value) ----
  /** In place: `this += alpha * other`. */
  add_(other: TensorLike, alpha?: number): this {
    return add_(this, other, alpha);
  }
  /** In place: `this -= alpha * other`. */
  sub_(other: TensorLike, alpha?: number): this {
    return sub_(this, other, alpha);
  }
  /** In place: `this *= other`. */
  mul_(other: TensorLike): this {
    return mul_(this, other);
  }
  /** In place: `this /= other`. */
  div_(other: TensorLike): this {
    return div_(this, other);
  }
  /** In place: clamp into `[min, max]`. */
  clamp_(min?: number | null, max?: number | null): this {
    return clamp_(this, min, max);
  }
  /** In place: copy `source` (broadcast) into this tensor. */
  copy_(source: TensorLike): this {
    return copy_(this, source);
  }
  /** In place: fill with `value`. */
  fill_(value: number): this {
    return fill_(this, value);
  }
  /** In place: fill with zeros. */
  zero_(): this {
    return zero_(this);
  }
}
