/**
 * The gpu backend's runtime: one gpu.js `GPU` instance, the cache of compiled
 * kernels and the device storages.
 *
 * Storage: every dtype the backend accepts (float32, int32, bool) lives on the
 * device as float32 texels, one element per texel (gpu.js `precision:
 * 'single'`). Kernels run in pipeline mode with `immutable: true`, so each call
 * returns a new texture that stays on the device and feeds the next kernel;
 * values are read back only by `download`. In gpu.js's `cpu` mode the same
 * kernels run as generated JavaScript and storages are Float32Arrays.
 *
 * Kernels are generated as source text with every shape, stride and offset
 * written in, and cached by a key of (op, output size, layout signature,
 * argument lengths), so a training loop compiles each kernel once. The cache is
 * bounded: the least recently used kernel is evicted, and destroyed once no
 * live storage holds a texture it rendered (gpu.js reads a texture back
 * through the kernel that rendered it).
 */
import type { DType, TypedArray } from '../../dtype.js';
import { allocArray } from '../../dtype.js';

/** A gpu.js texture as this backend uses it (the subset of gpu.js's `Texture`). */
export interface DeviceTexture {
  toArray(): Float32Array | number[];
  delete(): void;
}

/** What a kernel returns: a texture in GPU modes, an array in `cpu` mode. */
export type DeviceValue = DeviceTexture | Float32Array;

/** A compiled kernel in the cache, with the number of live storages it rendered. */
interface CacheEntry {
  readonly kernel: CompiledKernel;
  live: number;
  evicted: boolean;
}

/** A storage handle of the gpu backend; `value` is swapped by in-place writes. */
export interface GpuStorage {
  value: DeviceValue;
  readonly length: number;
  /** The cache entry of the kernel that rendered `value` (internal). */
  producer?: CacheEntry;
}

/** The subset of a compiled gpu.js kernel used here. */
interface CompiledKernel {
  (...args: unknown[]): unknown;
  destroy(removeCanvasReferences?: boolean): void;
}

/** The subset of gpu.js's `GPU` used here. */
export interface GpuInstance {
  readonly mode: string;
  createKernel(source: string, settings: Record<string, unknown>): CompiledKernel;
  destroy(): Promise<void> | void;
}

/** Kernel source plus the output length it produces. */
export interface KernelSpec {
  /** Cache key without the output length (added here). */
  readonly key: string;
  /** A JavaScript function source in the subset gpu.js compiles. */
  readonly source: string;
  /** Elements written (one thread each); must be positive. */
  readonly length: number;
}

/** gpu.js settings of every kernel: resident float32 textures, a new one per call. */
const KERNEL_SETTINGS = {
  pipeline: true,
  immutable: true,
  precision: 'single',
  tactic: 'precision',
  // Every loop bound is a literal; this only caps loops gpu.js cannot bound itself.
  loopMaxIterations: 1 << 24,
} as const;

function isTexture(value: DeviceValue): value is DeviceTexture {
  return !(value instanceof Float32Array);
}

/** The device state shared by the gpu backend's kernel families. */
export class GpuRuntime {
  private readonly kernels = new Map<string, CacheEntry>();
  /** Evicted kernels waiting for their last output to be freed (and the upload kernel). */
  private readonly retired = new Set<CacheEntry>();
  private uploader: CacheEntry | null = null;
  private dummy: GpuStorage | null = null;
  /** Kernels compiled since creation (for tests of the cache). */
  compiled = 0;
  /** Kernel calls that gpu.js ran on its CPU fallback although the mode is a GPU one. */
  fallbacks = 0;
  /** Live storages and bytes (4 per element). */
  storages = 0;
  bytes = 0;
  peakBytes = 0;

  /**
   * @param gpu - the gpu.js instance kernels are compiled on
   * @param maxKernels - compiled kernels kept (least recently used destroyed first)
   */
  constructor(
    readonly gpu: GpuInstance,
    readonly maxKernels = 512,
  ) {}

  /** True when storages are device textures (not `cpu` mode arrays). */
  get onDevice(): boolean {
    return this.gpu.mode !== 'cpu';
  }

  /** Runs (compiling on first use) the kernel `spec` with arguments `args`, returning a new storage. */
  run(spec: KernelSpec, args: readonly GpuStorage[]): GpuStorage {
    if (spec.length === 0) return this.track({ value: new Float32Array(0), length: 0 });
    const values = args.map((a) => (a.length === 0 ? this.placeholder().value : a.value));
    const key = `${spec.key}#${spec.length}#${args.map((a) => a.length).join(',')}`;
    let entry = this.kernels.get(key);
    if (entry) {
      this.kernels.delete(key);
    } else {
      const kernel = this.gpu.createKernel(spec.source, {
        ...KERNEL_SETTINGS,
        output: [spec.length],
      });
      entry = { kernel, live: 0, evicted: false };
      this.compiled++;
      if (this.kernels.size >= this.maxKernels) {
        const [oldestKey, oldest] = this.kernels.entries().next().value!;
        this.kernels.delete(oldestKey);
        oldest.evicted = true;
        this.retired.add(oldest);
        this.release(oldest, 0);
      }
    }
    this.kernels.set(key, entry);
    const out = entry.kernel(...values) as DeviceValue;
    if (this.onDevice && !isTexture(out)) this.fallbacks++;
    entry.live++;
    return this.track({ value: out, length: spec.length, producer: entry });
  }

  /** Drops `count` live outputs of a kernel; destroys it when evicted and none is left. */
  private release(entry: CacheEntry | undefined, count = 1): void {
    if (!entry) return;
    entry.live -= count;
    if (entry.evicted && entry.live === 0) {
      this.retired.delete(entry);
      entry.kernel.destroy();
    }
  }

  /** A new storage holding `values` (converted to float32). */
  upload(values: ArrayLike<number>): GpuStorage {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    if (data.length === 0) return this.track({ value: new Float32Array(0), length: 0 });
    if (!this.onDevice) return this.track({ value: data.slice(), length: data.length });
    // One upload kernel for every length (gpu.js dynamic output), so creating
    // tensors of new sizes compiles nothing.
    if (!this.uploader) {
      const kernel = this.gpu.createKernel('function (a) { return a[this.thread.x]; }', {
        ...KERNEL_SETTINGS,
        output: [1],
        dynamicOutput: true,
        dynamicArguments: true,
      }) as CompiledKernel & { setOutput(output: number[]): void };
      this.compiled++;
      this.uploader = { kernel, live: 0, evicted: false };
      this.retired.add(this.uploader); // destroyed with the runtime, never evicted
    }
    const kernel = this.uploader.kernel as CompiledKernel & { setOutput(output: number[]): void };
    kernel.setOutput([data.length]);
    const out = kernel(data) as DeviceValue;
    this.uploader.live++;
    return this.track({ value: out, length: data.length, producer: this.uploader });
  }

  /** The float32 values of a storage (a new array). */
  read(storage: GpuStorage): Float32Array {
    if (storage.length === 0) return new Float32Array(0);
    const { value } = storage;
    if (!isTexture(value)) return value.slice(0, storage.length);
    const array = value.toArray();
    return array instanceof Float32Array
      ? array.subarray(0, storage.length)
      : Float32Array.from(array).subarray(0, storage.length);
  }

  /** The values of a storage as the typed array of `dtype` (int32 truncates, bool tests non-zero, as `castScalar`). */
  download(storage: GpuStorage, dtype: DType): TypedArray {
    const values = this.read(storage);
    if (dtype === 'float32') return values;
    const out = allocArray(dtype, values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      out[i] = dtype === 'bool' ? (v !== 0 ? 1 : 0) : v;
    }
    return out;
  }

  /** Replaces the value of `storage` (an in-place write), freeing the old texture. */
  replace(storage: GpuStorage, next: GpuStorage): void {
    const old = storage.value;
    const oldProducer = storage.producer;
    storage.value = next.value;
    storage.producer = next.producer;
    this.untrack(next.length);
    if (isTexture(old)) old.delete();
    this.release(oldProducer);
  }

  /** Frees a storage's texture. */
  free(storage: GpuStorage): void {
    if (isTexture(storage.value)) storage.value.delete();
    storage.value = new Float32Array(0);
    this.release(storage.producer);
    storage.producer = undefined;
    this.untrack(storage.length);
  }

  /** Destroys every cached kernel and the gpu.js instance. */
  destroy(): void {
    for (const entry of [...this.kernels.values(), ...this.retired]) entry.kernel.destroy();
    this.kernels.clear();
    this.retired.clear();
    void this.gpu.destroy();
  }

  /** Number of compiled kernels held by the cache. */
  get cachedKernels(): number {
    return this.kernels.size;
  }

  private track(storage: GpuStorage): GpuStorage {
    this.storages++;
    this.bytes += storage.length * 4;
    if (this.bytes > this.peakBytes) this.peakBytes = this.bytes;
    return storage;
  }

  private untrack(length: number): void {
    this.storages--;
    this.bytes -= length * 4;
  }

  /** A one-element storage passed in place of empty arguments (gpu.js rejects empty textures); not counted. */
  private placeholder(): GpuStorage {
    if (!this.dummy) {
      this.dummy = this.upload([0]);
      this.untrack(1);
    }
    return this.dummy;
  }
}
