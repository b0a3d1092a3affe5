/**
 * Kernels by name, and implementations added by name: a package that
 * defines a kernel needs neither (it holds the `Kernel`), but another
 * package can look a kernel up (`getKernel('attention.flashForward')`) or
 * add an implementation for a backend the kernel's own package does not know
 * (`registerKernelImplementation(name, 'webgpu', impl)`), as tfjs backends
 * register kernels for ops defined elsewhere. A kernel joins the registry on
 * its first run or through `registerKernel`.
 */
import { KernelError } from '../errors.js';
import type { Kernel, NativeKernel, WasmKernel } from './kernel.js';

/** An implementation added by name: a `wasm` one (module + driver) or one on a backend's own storage. */
export type KernelImplementation<A> = WasmKernel<A> | NativeKernel<A>;

// biome-ignore lint/suspicious/noExplicitAny: kernels of every attribute type share the table
type AnyKernel = Kernel<any>;
const kernels = new Map<string, AnyKernel>();
// biome-ignore lint/suspicious/noExplicitAny: as above
const extra = new Map<string, Map<string, KernelImplementation<any>>>();

/**
 * Makes a kernel findable by name (kernels also join on their first run).
 * @param kernel - a kernel from `defineKernel`
 * @returns the same kernel
 * @throws KernelError when another kernel of that name is registered
 * @example registerKernel(affine); getKernel('example.affine') === affine // true
 */
export function registerKernel<A>(kernel: Kernel<A>): Kernel<A> {
  const present = kernels.get(kernel.name);
  if (present !== undefined && present !== kernel) {
    throw new KernelError(
      'registerKernel',
      `a different kernel is already registered as ${kernel.name}`,
      kernel.name,
    );
  }
  kernels.set(kernel.name, kernel);
  return kernel;
}

/**
 * A registered kernel by name.
 * @param name - e.g. `attention.flashForward`
 * @returns the kernel, or undefined when none of that name has run or been registered
 */
export function getKernel(name: string): AnyKernel | undefined {
  return kernels.get(name);
}

/**
 * Names of the registered kernels.
 * @returns sorted names
 */
export function listKernels(): string[] {
  return [...kernels.keys()].sort();
}

/**
 * Adds (or replaces) an implementation of the kernel `name` for backends of
 * kind `backend` (`Backend.kind`), ahead of the descriptor's own; it may be
 * registered before the kernel is defined.
 * @param name - the kernel's name
 * @param backend - a backend kind: `wasm` (a module and driver), or any other (a function on the backend's storage)
 * @param implementation - the implementation
 * @throws KernelError for a `wasm` implementation without a module and run function, or a non-function elsewhere
 * @example registerKernelImplementation('example.affine', 'gpu', ({ inputs, outputs, backend }) => false)
 */
export function registerKernelImplementation<A>(
  name: string,
  backend: string,
  implementation: KernelImplementation<A>,
): void {
  const valid =
    backend === 'wasm'
      ? typeof (implementation as WasmKernel<A>).run === 'function' &&
        typeof (implementation as WasmKernel<A>).module === 'object'
      : typeof implementation === 'function';
  if (!valid) {
    throw new KernelError(
      'registerKernelImplementation',
      backend === 'wasm'
        ? `a wasm implementation of ${name} needs { module, run }`
        : `an implementation of ${name} for ${backend} must be a function`,
      name,
    );
  }
  let byBackend = extra.get(name);
  if (!byBackend) {
    byBackend = new Map();
    extra.set(name, byBackend);
  }
  byBackend.set(backend, implementation);
}

/** Internal: the implementation registered by name for a backend kind, if any. */
export function extraImplementation<A>(
  name: string,
  backend: string,
): KernelImplementation<A> | undefined {
  return extra.get(name)?.get(backend);
}
