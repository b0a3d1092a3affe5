/**
 * The dispatcher of extension kernels: validates the inputs against the
 * descriptor, computes and allocates the outputs on the inputs' backend,
 * runs the backend's implementation (falling back to the js reference on
 * the backend's own storage when there is none, or when it declines), and
 * records the gradient rule on the tape.
 *
 * Which implementation runs, by the backend's `kind`:
 * - `wasm`: an implementation registered by name, else the descriptor's
 *   `wasm`, on the tensors' addresses in the core's memory (its module is
 *   instantiated there on first use);
 * - `js`: the js reference on the storages themselves;
 * - any other (`gpu`, ...): one registered by name, else the descriptor's
 *   `gpu`, on the backend's handles;
 * and the js reference wherever that is missing, cannot load, or returns
 * false: on typed-array views of the storage where the backend has
 * `hostView` (js, wasm: no copy), else on downloaded copies whose results
 * are uploaded (gpu).
 */

import { isGradEnabled, noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import type { Backend, KernelInput } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import type { WasmStorage } from '../backends/wasm/context.js';
import { allocArray, DTYPES, isFloat, itemSize, type TypedArray } from '../dtype.js';
import { DTypeError, KernelError } from '../errors.js';
import { contiguous } from '../ops/cast.js';
import { backendOf, input as kernelInput, wrap } from '../ops/dispatch.js';
import { contiguousStrides, formatShape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type {
  HostTensor,
  Kernel,
  KernelInternals,
  KernelTensorSpec,
  NativeKernel,
  WasmKernel,
  WasmTensor,
} from './kernel.js';
import { extraImplementation, getKernel, registerKernel } from './registry.js';
import { kernelContext } from './wasm.js';

/**
 * Runs a kernel on tensors: validates them against the descriptor (count,
 * required inputs, dtypes, one backend), allocates the outputs there, runs
 * the backend's implementation or the js reference, and records the
 * gradient rule when an input requires grad.
 * @param kernel - a kernel from `defineKernel`, or a registered kernel's name
 * @param inputs - one per descriptor input (null for an absent optional one)
 * @param attributes - the kernel's attributes
 * @returns the outputs in descriptor order (contiguous, on the inputs' backend)
 * @throws KernelError for an unknown kernel, a wrong number of inputs, a missing required input or bad outputs from the descriptor; DTypeError for a dtype the descriptor refuses; BackendError for inputs on different backends; whatever the descriptor's `outputs` throws for bad shapes or attributes
 * @example
 * const [y] = runKernel(affine, [tensor([1, 2])], { scale: 2, shift: 1 });
 * y.toArray() // [3, 5]
 */
export function runKernel<A>(
  kernel: Kernel<A> | string,
  inputs: readonly (Tensor | null)[],
  attributes: A,
): Tensor[] {
  const found = typeof kernel === 'string' ? getKernel(kernel) : kernel;
  if (found === undefined) {
    throw new KernelError(
      'runKernel',
      `no kernel is registered as ${kernel as string}`,
      String(kernel),
    );
  }
  const self = registerKernel(found) as KernelInternals<A>;
  const { name, descriptor } = self;
  const specs = descriptor.inputs;
  if (!Array.isArray(inputs) || inputs.length !== specs.length) {
    throw new KernelError(
      name,
      `takes ${specs.length} inputs (${specs.map((s) => s.name).join(', ')}), got ${Array.isArray(inputs) ? inputs.length : typeof inputs}`,
      name,
    );
  }
  const present: Tensor[] = [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!;
    const t = inputs[i];
    if (t === null || t === undefined) {
      if (!spec.optional) throw new KernelError(name, `input ${spec.name} is required`, name);
      continue;
    }
    if (!(t instanceof Tensor))
      throw new KernelError(name, `input ${spec.name} must be a Tensor, got ${typeof t}`, name);
    if (spec.dtypes && !spec.dtypes.includes(t.dtype)) {
      throw new DTypeError(
        name,
        `input ${spec.name} must be ${spec.dtypes.join(' or ')}, got ${t.dtype}`,
        t.dtype,
      );
    }
    present.push(t);
  }
  const backend = present.length > 0 ? backendOf(name, ...present) : getBackend();
  const outSpecs = checkedOutputs(self, inputs, attributes);

  // Contiguous views for inputs that ask for them (copied on their backend, off the tape).
  const temporaries: Tensor[] = [];
  const views = inputs.map((t, i) => {
    if (!t || specs[i]!.layout === 'strided' || t.isContiguous) return t ?? null;
    const c = noGrad(() => contiguous(t));
    temporaries.push(c);
    return c;
  });
  let saved: unknown;
  const save = (value: unknown) => {
    saved = value;
  };
  let outputs: Tensor[];
  try {
    const result = dispatch(self, backend, views, outSpecs, attributes, save);
    outputs = result.storages.map((data, o) =>
      wrap(backend, data, outSpecs[o]!.shape, outSpecs[o]!.dtype),
    );
    self.counts[result.ran] = (self.counts[result.ran] ?? 0) + 1;
  } finally {
    for (const t of temporaries) t.dispose();
  }

  const gradient = descriptor.gradient;
  if (gradient && isGradEnabled() && present.some((t) => t.requiresGrad)) {
    const differentiable =
      descriptor.differentiable ?? outputs.flatMap((o, i) => (isFloat(o.dtype) ? [i] : []));
    for (const o of differentiable) {
      record(
        name,
        outputs[o]!,
        present,
        (grad) => {
          const grads = gradient(grad, { inputs, outputs, attributes, output: o, saved });
          if (grads.length !== inputs.length) {
            throw new KernelError(
              name,
              `the gradient rule returned ${grads.length} gradients for ${inputs.length} inputs`,
              name,
            );
          }
          return grads.filter((_, i) => inputs[i] !== null && inputs[i] !== undefined);
        },
        [...present, ...outputs],
      );
    }
  }
  return outputs;
}

/** The descriptor's outputs, checked. */
function checkedOutputs<A>(
  kernel: Kernel<A>,
  inputs: readonly (Tensor | null)[],
  attributes: A,
): readonly KernelTensorSpec[] {
  const name = kernel.name;
  const specs = kernel.descriptor.outputs(
    inputs.map((t) => (t ? { shape: t.shape, dtype: t.dtype } : null)),
    attributes,
  );
  if (!Array.isArray(specs) || specs.length === 0)
    throw new KernelError(name, 'outputs() must return at least one { shape, dtype }', name);
  for (const spec of specs) {
    const okShape =
      Array.isArray(spec?.shape) &&
      spec.shape.every((e: unknown) => Number.isSafeInteger(e) && (e as number) >= 0);
    if (!okShape || !DTYPES.includes(spec.dtype)) {
      throw new KernelError(
        name,
        `outputs() returned an invalid output ${JSON.stringify(spec)} (shape ${Array.isArray(spec?.shape) ? formatShape(spec.shape) : String(spec?.shape)})`,
        name,
      );
    }
  }
  return specs;
}

interface Dispatched {
  readonly storages: unknown[];
  /** The implementation that ran. */
  readonly ran: string;
}

function dispatch<A>(
  kernel: Kernel<A>,
  backend: Backend,
  inputs: readonly (Tensor | null)[],
  outSpecs: readonly KernelTensorSpec[],
  attributes: A,
  save: (value: unknown) => void,
): Dispatched {
  const { name, descriptor } = kernel;
  const kind = backend.kind ?? backend.name;
  const extra = extraImplementation<A>(name, kind);
  const alloc = () => outSpecs.map((s) => backend.alloc(s.dtype, sizeOf(s.shape)));
  let storages: unknown[] | null = null;
  try {
    if (kind === 'wasm') {
      const impl = (extra as WasmKernel<A> | undefined) ?? descriptor.wasm;
      if (impl) {
        storages = alloc();
        if (runWasm(impl, backend, inputs, storages as WasmStorage[], outSpecs, attributes, save))
          return { storages, ran: 'wasm' };
      }
    } else if (kind !== 'js') {
      const impl =
        (extra as NativeKernel<A> | undefined) ?? (kind === 'gpu' ? descriptor.gpu : undefined);
      if (impl) {
        storages = alloc();
        const outputs = storages.map((data, o) => layoutOf(data, outSpecs[o]!));
        const args = {
          inputs: inputs.map((t) => (t ? kernelInput(t) : null)),
          outputs,
          attributes,
          backend,
          save,
        };
        if (impl(args) !== false) return { storages, ran: kind };
      }
    }
    // the js reference, on the backend's storage
    if (backend.hostView) {
      storages ??= alloc();
      const view = backend.hostView.bind(backend);
      const outputs = storages.map((data, o) => {
        const spec = outSpecs[o]!;
        const size = sizeOf(spec.shape);
        return hostTensor(view(data, spec.dtype, size), spec, size);
      });
      const hostInputs = inputs.map((t, i) => {
        if (!t) return null;
        const full = view(t.storage.data, t.dtype, t.storage.length);
        return kernel.descriptor.inputs[i]!.layout === 'strided'
          ? { data: full, shape: t.shape, strides: t.strides, offset: t.offset, dtype: t.dtype }
          : hostTensor(full.subarray(t.offset, t.offset + t.size) as TypedArray, t, t.size);
      });
      descriptor.js({ inputs: hostInputs, outputs, attributes, backend, save });
      return { storages, ran: 'js' };
    }
    // no host memory: run on copies and upload the results
    if (storages) for (const data of storages) backend.free(data);
    storages = null;
    const hostInputs = inputs.map((t, i): HostTensor | null => {
      if (!t) return null;
      const full = backend.download(t.storage.data, t.dtype, t.storage.length);
      return kernel.descriptor.inputs[i]!.layout === 'strided'
        ? { data: full, shape: t.shape, strides: t.strides, offset: t.offset, dtype: t.dtype }
        : hostTensor(full.slice(t.offset, t.offset + t.size) as TypedArray, t, t.size);
    });
    const outputs = outSpecs.map((spec) => {
      const size = sizeOf(spec.shape);
      return hostTensor(allocArray(spec.dtype, size), spec, size);
    });
    descriptor.js({ inputs: hostInputs, outputs, attributes, backend, save });
    return { storages: outputs.map((o) => backend.upload(o.dtype, o.data)), ran: 'js' };
  } catch (error) {
    if (storages) for (const data of storages) backend.free(data);
    throw error;
  }
}

function hostTensor(data: TypedArray, spec: KernelTensorSpec, size: number): HostTensor {
  return {
    data: data.length === size ? data : (data.subarray(0, size) as TypedArray),
    shape: spec.shape,
    strides: contiguousStrides(spec.shape),
    offset: 0,
    dtype: spec.dtype,
  };
}

function layoutOf(data: unknown, spec: KernelTensorSpec): KernelInput {
  return {
    data,
    dtype: spec.dtype,
    shape: spec.shape,
    strides: contiguousStrides(spec.shape),
    offset: 0,
  };
}

/** Runs a wasm implementation; false when its module cannot load here or it declines. */
function runWasm<A>(
  impl: WasmKernel<A>,
  backend: Backend,
  inputs: readonly (Tensor | null)[],
  storages: readonly WasmStorage[],
  outSpecs: readonly KernelTensorSpec[],
  attributes: A,
  save: (value: unknown) => void,
): boolean {
  let context: ReturnType<typeof kernelContext>;
  try {
    context = kernelContext(impl.module);
  } catch {
    return false; // the module cannot load here: the js reference runs
  }
  try {
    const wasmInputs = inputs.map((t): WasmTensor | null => {
      if (!t) return null;
      const storage = t.storage.data as WasmStorage;
      return {
        address: storage.ptr + t.offset * itemSize(t.dtype),
        shape: t.shape,
        strides: t.strides,
        dtype: t.dtype,
        size: t.size,
      };
    });
    const wasmOutputs = storages.map(
      (storage, o): WasmTensor => ({
        address: storage.ptr,
        shape: outSpecs[o]!.shape,
        strides: contiguousStrides(outSpecs[o]!.shape),
        dtype: outSpecs[o]!.dtype,
        size: storage.length,
      }),
    );
    return (
      impl.run({
        inputs: wasmInputs,
        outputs: wasmOutputs,
        attributes,
        backend,
        wasm: context,
        save,
      }) !== false
    );
  } finally {
    context.release();
  }
}
