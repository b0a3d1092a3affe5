/**
 * The `gpu` backend: the backend primitives as gpu.js kernels. Tensors stay on
 * the device between ops (pipeline mode: every kernel returns a texture that
 * the next kernel reads) and are read back only by `download` (`toArray()`,
 * `item()`); `free` deletes the texture. float32, int32 and bool are stored as
 * float32 texels (int32 exact for |x| < 2^24); float64 and the 16-bit floats
 * are not supported (`supportsDType` is false, creating or casting to them
 * throws DTypeError). `topkIndices` and self-overlapping `assign`
 * destinations fall back to download, js kernel, upload.
 *
 * Imported from `@x/tensor/gpu` only, so the main entry never loads gpu.js.
 */

import { GPU } from 'gpu.js';
import {
  BACKEND_INTERFACE_VERSION,
  type Backend,
  type KernelInput,
} from '../../backend/backend.js';
import { registerBackend } from '../../backend/registry.js';
import type { DType } from '../../dtype.js';
import { DTypeError } from '../../errors.js';
import { detectGpu, type GpuDetection, type GpuMode } from './detect.js';
import {
  assignInPlace,
  binaryKernel,
  copyKernel,
  fillKernel,
  unaryKernel,
  whereKernel,
} from './elementwise.js';
import { layerNormKernel, rmsNormKernel, softmaxKernel } from './fused.js';
import { gatherKernel, scatterAddKernel } from './indexing.js';
import { matmulKernel } from './matmul.js';
import { argReduceKernel, reduceKernel, topkIndicesFallback } from './reduce.js';
import { type GpuInstance, GpuRuntime, type GpuStorage } from './runtime.js';
import { cumsumKernel } from './scan.js';

export { detectGpu, type GpuDetection, type GpuMode, headlessGlUnavailable } from './detect.js';
export type { GpuStorage } from './runtime.js';

const SUPPORTED: ReadonlySet<DType> = new Set(['float32', 'int32', 'bool']);

/** Options of `createGpuBackend`. */
export interface GpuBackendOptions {
  /** The gpu.js target. @default the best one `detectGpu()` finds */
  mode?: GpuMode;
  /** Backend name. @default 'gpu' */
  name?: string;
  /** Compiled kernels kept in the cache (least recently used destroyed first). @default 512 */
  maxKernels?: number;
}

/** A gpu backend, with its runtime exposed for tests and benchmarks. */
export interface GpuBackend extends Backend<GpuStorage> {
  /** The gpu.js target kernels run on. */
  readonly mode: GpuMode;
  /** Compiled kernels (cached per op, output size and layout). */
  readonly compiledKernels: () => number;
  /** Kernel calls gpu.js ran on its CPU fallback (a kernel it could not compile for the GPU); 0 expected. */
  readonly fallbackKernels: () => number;
  /** Destroys the cached kernels and the gpu.js instance; the backend is unusable afterwards. */
  readonly destroy: () => void;
}

function checkDType(op: string, dtype: DType, name: string): void {
  if (!SUPPORTED.has(dtype)) {
    throw new DTypeError(
      op,
      `backend "${name}" does not support ${dtype} (it stores float32, int32 and bool; use the js backend for ${dtype})`,
      dtype,
    );
  }
}

/**
 * Creates a gpu backend on gpu.js.
 * @param options - gpu.js mode and backend name
 * @returns the backend (register it with `registerBackend`, or use `registerGpuBackend`)
 * @example
 * const gpu = createGpuBackend({ mode: 'cpu', name: 'gpu-cpu' });
 * registerBackend(gpu);
 * tensor([1, 2], { backend: 'gpu-cpu' }).mul(2).toArray() // [2, 4]
 */
export function createGpuBackend(options: GpuBackendOptions = {}): GpuBackend {
  const mode = options.mode ?? detectGpu().mode;
  const name = options.name ?? 'gpu';
  const runtime = new GpuRuntime(new GPU({ mode }) as unknown as GpuInstance, options.maxKernels);
  type Input = KernelInput<GpuStorage>;
  const backend: GpuBackend = {
    name,
    kind: 'gpu',
    mode,
    interfaceVersion: BACKEND_INTERFACE_VERSION,
    supportsDType: (dtype) => SUPPORTED.has(dtype),
    compiledKernels: () => runtime.compiled,
    fallbackKernels: () => runtime.fallbacks,
    destroy: () => runtime.destroy(),
    alloc: (dtype, length) => {
      checkDType('alloc', dtype, name);
      return fillKernel(runtime, length, 0);
    },
    free: (data) => runtime.free(data),
    upload: (dtype, values) => {
      checkDType('upload', dtype, name);
      return runtime.upload(values);
    },
    download: (data, dtype) => runtime.download(data, dtype),
    memory: () => ({
      storages: runtime.storages,
      bytes: runtime.bytes,
      peakBytes: runtime.peakBytes,
    }),
    resetPeakMemory: () => {
      runtime.peakBytes = runtime.bytes;
    },
    copy: (x: Input, dtype) => {
      checkDType('copy', dtype, name);
      return copyKernel(runtime, x, dtype);
    },
    assign: (dst: Input, src: Input) => assignInPlace(runtime, dst, src),
    unary: (op, x: Input, dtype, params) => unaryKernel(runtime, op, x, dtype, params),
    binary: (op, a: Input, b: Input, dtype) => binaryKernel(runtime, op, a, b, dtype),
    where: (condition: Input, a: Input, b: Input, dtype) =>
      whereKernel(runtime, condition, a, b, dtype),
    reduce: (op, x: Input, axes, dtype) => reduceKernel(runtime, op, x, axes, dtype),
    argReduce: (op, x: Input, axis) => argReduceKernel(runtime, op, x, axis),
    cumsum: (x: Input, axis, reverse, dtype) => cumsumKernel(runtime, x, axis, reverse, dtype),
    topkIndices: (x: Input, k, largest) => topkIndicesFallback(runtime, x, k, largest),
    matmul: (a: Input, b: Input, dtype) => matmulKernel(runtime, a, b, dtype),
    gather: (x: Input, axis, index: Input) => gatherKernel(runtime, x, axis, index),
    scatterAdd: (x: Input, axis, index: Input, src: Input) =>
      scatterAddKernel(runtime, x, axis, index, src),
    softmax: (x: Input, axis, log) => softmaxKernel(runtime, x, axis, log),
    layerNorm: (x: Input, weight, bias, eps) => layerNormKernel(runtime, x, weight, bias, eps),
    rmsNorm: (x: Input, weight, eps) => rmsNormKernel(runtime, x, weight, eps),
  };
  return backend;
}

/** Options of `registerGpuBackend`. */
export interface RegisterGpuOptions extends GpuBackendOptions {
  /**
   * Register even without a hardware GPU (on gpu.js's software or `cpu`
   * path), by name only: `auto` never picks it then. @default false
   */
  force?: boolean;
}

/** What `registerGpuBackend` did. */
export interface GpuRegistration {
  /** Whether a backend was registered. */
  readonly registered: boolean;
  /** The `auto` priority it got: 20 on a hardware GPU, -1 when forced onto a software path. */
  readonly priority: number | null;
  /** The detection it was based on. */
  readonly detection: GpuDetection;
}

/**
 * Registers the gpu backend where gpu.js reports a hardware GPU (WebGL2 /
 * WebGL on a hardware renderer, or headless-gl on a real driver), with priority 20 so that
 * `setBackend('auto')` picks it. Without one it registers nothing, unless
 * `force` is set (then by name only, priority -1).
 * @param options - mode, name, force
 * @returns whether it registered, its priority and the detection
 * @example
 * const { registered, detection } = registerGpuBackend();
 * if (registered) setBackend('auto'); // 'gpu'
 * else console.log(detection.reason);
 */
export function registerGpuBackend(options: RegisterGpuOptions = {}): GpuRegistration {
  const detection = detectGpu();
  if (!detection.hardware && !options.force) {
    return { registered: false, priority: null, detection };
  }
  const priority = detection.hardware && options.mode === undefined ? 20 : -1;
  const backend = createGpuBackend({ mode: options.mode ?? detection.mode, name: options.name });
  registerBackend(backend, { priority });
  return { registered: true, priority, detection };
}
