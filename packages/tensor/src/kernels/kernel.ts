/**
 * Extension kernels: the one way a package above the core adds a fast op
 * (modelled on tfjs's kernel registry, `registerKernel({ kernelName,
 * backendName, kernelFunc })`, and candle's `CustomOp`s). A package describes
 * the op once with a typed descriptor (inputs, outputs with their shapes and
 * dtypes computed from the inputs and attributes, an optional gradient rule)
 * and gives it per-backend implementations: `js` is required and is the
 * reference, `wasm` and `gpu` are optional. The core validates the inputs,
 * allocates the outputs on the inputs' backend, dispatches to that backend's
 * implementation, records the tape, and falls back to the js reference on
 * the backend's own storage when the backend has no implementation (or its
 * implementation declines the call), so a result is never silently wrong.
 *
 * This file holds the descriptor types and `defineKernel`; `run.ts` runs a
 * kernel, `registry.ts` finds kernels and extra implementations by name,
 * `wasm.ts` is what a wasm implementation works with.
 */
import type { Backend, KernelInput } from '../backend/backend.js';
import type { WasmModuleSource } from '../backends/wasm/modules.js';
import type { DType, TypedArray } from '../dtype.js';
import { KernelError } from '../errors.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './run.js';
import type { WasmKernelContext } from './wasm.js';

/** A tensor's type: what `outputs` receives for each input and returns for each output. */
export interface KernelTensorSpec {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** One input of a kernel. */
export interface KernelInputSpec {
  /** The name messages use. */
  readonly name: string;
  /** The dtypes accepted. @default every dtype */
  readonly dtypes?: readonly DType[];
  /** The caller may pass null. @default false */
  readonly optional?: boolean;
  /**
   * `contiguous`: the implementations see a contiguous row-major tensor (a
   * strided view is copied on its backend first); `strided`: the view as it
   * is (shape, strides in elements, offset). @default 'contiguous'
   */
  readonly layout?: 'contiguous' | 'strided';
}

/** A tensor as a `js` implementation sees it: a typed array aliasing the storage. */
export interface HostTensor {
  /**
   * The values. With the contiguous layout (and for outputs) exactly the
   * tensor's elements, row-major, from index 0; with the strided layout the
   * whole storage, read through `offset` and `strides`. float16 / bfloat16
   * are 16-bit codes.
   */
  readonly data: TypedArray;
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;
}

/** What a `js` implementation receives. */
export interface JsKernelArgs<A> {
  /** One per descriptor input (null where an optional input was not given). */
  readonly inputs: readonly (HostTensor | null)[];
  /** The allocated outputs (zero-filled): write every element. */
  readonly outputs: readonly HostTensor[];
  readonly attributes: A;
  /** The backend whose storage these arrays alias (or copy, on a backend without host memory). */
  readonly backend: Backend;
  /** Keeps a value for the gradient rule (`KernelGradientContext.saved`). */
  save(value: unknown): void;
}

/** The js reference: plain TypeScript over typed arrays. It must not allocate tensors on the backend while it holds the arrays. */
export type JsKernel<A> = (args: JsKernelArgs<A>) => void;

/** A tensor as a `wasm` implementation sees it: where it lies in the core's linear memory. */
export interface WasmTensor {
  /** Byte address of element [0, ..., 0]. */
  readonly address: number;
  readonly shape: Shape;
  /** Element strides (row-major for the contiguous layout and outputs). */
  readonly strides: readonly number[];
  readonly dtype: DType;
  /** Elements of the view. */
  readonly size: number;
}

/** What a `wasm` implementation receives. */
export interface WasmKernelArgs<A> {
  readonly inputs: readonly (WasmTensor | null)[];
  readonly outputs: readonly WasmTensor[];
  readonly attributes: A;
  /** The backend the tensors live on (its `kind` is `wasm`). */
  readonly backend: Backend;
  /** The package's module on the core's memory, scratch memory and the worker pool. */
  readonly wasm: WasmKernelContext;
  /** Keeps a value for the gradient rule. */
  save(value: unknown): void;
}

/**
 * A wasm implementation: the package's compiled module (the generator's
 * output, imported from its `generated/` file) and a driver that calls it.
 */
export interface WasmKernel<A> {
  readonly module: WasmModuleSource;
  /**
   * Runs the kernel on the tensors in place (no copies in or out). Returns
   * false to decline (a dtype or layout it does not handle): the js reference
   * then runs on the same memory.
   */
  run(args: WasmKernelArgs<A>): boolean | undefined;
}

/** What an implementation for another backend (`gpu`, or one registered by name) receives. */
export interface NativeKernelArgs<A> {
  /** The inputs as the backend's own handles and layouts. */
  readonly inputs: readonly (KernelInput | null)[];
  /** The allocated outputs (contiguous storages of the backend, zero-filled). */
  readonly outputs: readonly KernelInput[];
  readonly attributes: A;
  readonly backend: Backend;
  save(value: unknown): void;
}

/** An implementation on a backend's own storage; returns false to decline (the js reference runs). */
export type NativeKernel<A> = (args: NativeKernelArgs<A>) => boolean | undefined;

/** What a gradient rule receives besides the output's gradient. */
export interface KernelGradientContext<A> {
  readonly inputs: readonly (Tensor | null)[];
  readonly outputs: readonly Tensor[];
  readonly attributes: A;
  /** The output whose gradient `grad` is. */
  readonly output: number;
  /** What the implementation that ran passed to `save()` (undefined if nothing). */
  readonly saved: unknown;
}

/**
 * Maps the gradient of one output to the gradients of the inputs (one per
 * descriptor input, null where none flows). Runs with grad mode off; it may
 * compose tensor ops or run a backward kernel.
 */
export type KernelGradient<A> = (
  grad: Tensor,
  context: KernelGradientContext<A>,
) => readonly (Tensor | null)[];

/** Everything the core needs to run a kernel. `A` is the attributes' type. */
export interface KernelDescriptor<A> {
  /** Unique, `package.op` by convention (`attention.flashForward`). */
  readonly name: string;
  readonly inputs: readonly KernelInputSpec[];
  /**
   * The outputs' shapes and dtypes from the inputs' (null for an absent
   * optional input) and the attributes. Also the place to validate them:
   * throw the package's error (naming the offending values) for bad input.
   */
  outputs(inputs: readonly (KernelTensorSpec | null)[], attributes: A): readonly KernelTensorSpec[];
  /** The gradient rule; without one the outputs are not differentiable. */
  readonly gradient?: KernelGradient<A>;
  /** Outputs that carry gradients. @default every float32 / float64 / half output */
  readonly differentiable?: readonly number[];
  /** The reference implementation (required). */
  readonly js: JsKernel<A>;
  readonly wasm?: WasmKernel<A>;
  readonly gpu?: NativeKernel<A>;
}

/** A defined kernel: run it with `kernel.run(inputs, attributes)` or `runKernel`. */
export interface Kernel<A> {
  readonly name: string;
  readonly descriptor: KernelDescriptor<A>;
  /**
   * Runs the kernel (see `runKernel`).
   * @returns the outputs, in descriptor order
   */
  run(inputs: readonly (Tensor | null)[], attributes: A): Tensor[];
  /** Runs so far by implementation (`js`, `wasm`, `gpu`, ...), for tests and benchmarks. */
  readonly calls: Readonly<Record<string, number>>;
}

/** Internal: the mutable counters behind `Kernel.calls`. */
export interface KernelInternals<A> extends Kernel<A> {
  readonly counts: Record<string, number>;
}

/**
 * Defines a kernel from its descriptor. Pure: nothing is registered, so a
 * package can define its kernels at module level and stay side-effect free;
 * the kernel becomes findable by name (`getKernel`) when it first runs or
 * when passed to `registerKernel`.
 * @param descriptor - name, inputs, outputs, gradient and implementations
 * @returns the kernel
 * @throws KernelError for a descriptor without a name, a js reference or an outputs function, or with repeated input names
 * @example
 * ```ts
 * // y = x * scale + shift, elementwise
 * const affine = defineKernel<{ scale: number; shift: number }>({
 *   name: 'example.affine',
 *   inputs: [{ name: 'x', dtypes: ['float32', 'float64'] }],
 *   outputs: ([x]) => [{ shape: x!.shape, dtype: x!.dtype }],
 *   gradient: (grad, { attributes }) => [grad.mul(attributes.scale)],
 *   js: ({ inputs: [x], outputs: [y], attributes: { scale, shift } }) => {
 *     for (let i = 0; i < y!.data.length; i++) y!.data[i] = x!.data[i]! * scale + shift;
 *   },
 * });
 * affine.run([tensor([1, 2])], { scale: 2, shift: 1 })[0]!.toArray() // [3, 5]
 * ```
 */
export function defineKernel<A>(descriptor: KernelDescriptor<A>): Kernel<A> {
  const name = descriptor?.name;
  const fail = (message: string): never => {
    throw new KernelError('defineKernel', message, String(name));
  };
  if (typeof name !== 'string' || name.length === 0) fail('a kernel needs a non-empty name');
  if (typeof descriptor.js !== 'function')
    fail(`kernel ${name} needs a js reference implementation`);
  if (typeof descriptor.outputs !== 'function') fail(`kernel ${name} needs an outputs function`);
  const names = descriptor.inputs.map((input) => input.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) fail(`kernel ${name} names input "${repeated}" twice`);
  if (descriptor.wasm && typeof descriptor.wasm.run !== 'function')
    fail(`kernel ${name}: the wasm implementation needs a run function`);
  const counts: Record<string, number> = {};
  const kernel: KernelInternals<A> = {
    name,
    descriptor,
    counts,
    calls: counts,
    run: (inputs, attributes) => runKernel(kernel, inputs, attributes),
  };
  return kernel;
}
