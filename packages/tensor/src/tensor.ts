/**
 * The Tensor: an identity (`id`), a type (`dtype`, `shape`) and a value (a
 * view on a shared `Storage`: `strides` and `offset` in elements). Views
 * (reshape, permute, slice, expand, ...) are new tensors on the same storage;
 * ops return new tensors; in-place ops end with `_` and bump the storage
 * version. Methods are one-line delegations to `ops/`.
 */
import { backward as runBackward } from './autograd/backward.js';
import type { GradNode } from './autograd/node.js';
import type { DType, TypedArray } from './dtype.js';
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
  /** The values as a new contiguous typed array (row-major). */
  toTypedArray(): TypedArray {
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
    const flat = this.toTypedArray();
    const isBool = this.dtype === 'bool';
    const build = (axis: number, start: number): NestedArray => {
      if (axis === this.rank) return isBool ? flat[start] !== 0 : flat[start]!;
      const step = sizeOf(this.shape.slice(axis + 1));
      return Array.from({ length: this.shape[axis]! }, (_, i) => build(axis + 1, start + i * step));
    };
    return build(0, 0);
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
  add(other: TensorLike): Tensor {
    return ew.add(this, other);
  }
  sub(other: TensorLike): Tensor {
    return ew.sub(this, other);
  }
  mul(other: TensorLike): Tensor {
    return ew.mul(this, other);
  }
  div(other: TensorLike): Tensor {
    return ew.div(this, other);
  }
  pow(exponent: TensorLike): Tensor {
    return ew.pow(this, exponent);
  }
  maximum(other: TensorLike): Tensor {
    return ew.maximum(this, other);
  }
  minimum(other: TensorLike): Tensor {
    return ew.minimum(this, other);
  }
  eq(other: TensorLike): Tensor {
    return ew.eq(this, other);
  }
  ne(other: TensorLike): Tensor {
    return ew.ne(this, other);
  }
  lt(other: TensorLike): Tensor {
    return ew.lt(this, other);
  }
  le(other: TensorLike): Tensor {
    return ew.le(this, other);
  }
  gt(other: TensorLike): Tensor {
    return ew.gt(this, other);
  }
  ge(other: TensorLike): Tensor {
    return ew.ge(this, other);
  }
  logicalAnd(other: TensorLike): Tensor {
    return ew.logicalAnd(this, other);
  }
  logicalOr(other: TensorLike): Tensor {
    return ew.logicalOr(this, other);
  }
  logicalNot(): Tensor {
    return ew.logicalNot(this);
  }
  neg(): Tensor {
    return ew.neg(this);
  }
  abs(): Tensor {
    return ew.abs(this);
  }
  sign(): Tensor {
    return ew.sign(this);
  }
  exp(): Tensor {
    return ew.exp(this);
  }
  expm1(): Tensor {
    return ew.expm1(this);
  }
  log(): Tensor {
    return ew.log(this);
  }
  log1p(): Tensor {
    return ew.log1p(this);
  }
  sqrt(): Tensor {
    return ew.sqrt(this);
  }
  rsqrt(): Tensor {
    return ew.rsqrt(this);
  }
  square(): Tensor {
    return ew.square(this);
  }
  reciprocal(): Tensor {
    return ew.reciprocal(this);
  }
  sin(): Tensor {
    return ew.sin(this);
  }
  cos(): Tensor {
    return ew.cos(this);
  }
  tanh(): Tensor {
    return ew.tanh(this);
  }
  sigmoid(): Tensor {
    return ew.sigmoid(this);
  }
  relu(): Tensor {
    return ew.relu(this);
  }
  gelu(options?: ew.GeluOptions): Tensor {
    return ew.gelu(this, options);
  }
  silu(): Tensor {
    return ew.silu(this);
  }
  softplus(): Tensor {
    return ew.softplus(this);
  }
  erf(): Tensor {
    return ew.erf(this);
  }
  floor(): Tensor {
    return ew.floor(this);
  }
  ceil(): Tensor {
    return ew.ceil(this);
  }
  round(): Tensor {
    return ew.round(this);
  }
  clamp(min?: number | null, max?: number | null): Tensor {
    return ew.clamp(this, min, max);
  }
  isnan(): Tensor {
    return ew.isnan(this);
  }
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
  sum(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return red.sum(this, axes, options);
  }
  mean(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return red.mean(this, axes, options);
  }
  prod(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return red.prod(this, axes, options);
  }
  max(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return red.max(this, axes, options);
  }
  min(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return red.min(this, axes, options);
  }
  argmax(axis?: number, options?: ReduceOptions): Tensor {
    return red.argmax(this, axis, options);
  }
  argmin(axis?: number, options?: ReduceOptions): Tensor {
    return red.argmin(this, axis, options);
  }
  logsumexp(axes?: number | readonly number[], options?: ReduceOptions): Tensor {
    return red.logsumexp(this, axes, options);
  }
  var(axes?: number | readonly number[], options?: VarianceOptions): Tensor {
    return red.variance(this, axes, options);
  }
  std(axes?: number | readonly number[], options?: VarianceOptions): Tensor {
    return red.std(this, axes, options);
  }
  cumsum(axis: number): Tensor {
    return cumsum(this, axis);
  }

  // ---- linear algebra, indexing, nn ----
  matmul(other: Tensor): Tensor {
    return matmul(this, other);
  }
  gather(axis: number, index: Tensor): Tensor {
    return gather(this, axis, index);
  }
  indexSelect(axis: number, index: Tensor): Tensor {
    return indexSelect(this, axis, index);
  }
  scatterAdd(axis: number, index: Tensor, src: Tensor): Tensor {
    return scatterAdd(this, axis, index, src);
  }
  split(sizes: number | readonly number[], axis = 0): Tensor[] {
    return split(this, sizes, axis);
  }
  topk(
    k: number,
    options?: { axis?: number; largest?: boolean },
  ): { values: Tensor; indices: Tensor } {
    return topk(this, k, options);
  }
  softmax(axis = -1): Tensor {
    return softmax(this, axis);
  }
  logSoftmax(axis = -1): Tensor {
    return logSoftmax(this, axis);
  }
  layerNorm(weight?: Tensor | null, bias?: Tensor | null, eps?: number): Tensor {
    return layerNorm(this, weight, bias, eps);
  }
  rmsNorm(weight?: Tensor | null, eps?: number): Tensor {
    return rmsNorm(this, weight, eps);
  }
  conv1dCausalDepthwise(weight: Tensor, bias?: Tensor | null): Tensor {
    return conv1dCausalDepthwise(this, weight, bias);
  }

  // ---- in place (trailing underscore; refused while autograd needs the value) ----
  add_(other: TensorLike, alpha?: number): this {
    return add_(this, other, alpha);
  }
  sub_(other: TensorLike, alpha?: number): this {
    return sub_(this, other, alpha);
  }
  mul_(other: TensorLike): this {
    return mul_(this, other);
  }
  div_(other: TensorLike): this {
    return div_(this, other);
  }
  clamp_(min?: number | null, max?: number | null): this {
    return clamp_(this, min, max);
  }
  copy_(source: TensorLike): this {
    return copy_(this, source);
  }
  fill_(value: number): this {
    return fill_(this, value);
  }
  zero_(): this {
    return zero_(this);
  }
}
