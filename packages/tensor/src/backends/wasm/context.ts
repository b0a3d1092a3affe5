/**
 * The wasm backend's process-wide state: the runtime (module + memory), the
 * allocator, scratch buffers (packed matrices), the thread setting and the
 * pool. Created on first use; one per JS realm, shared by every wasm backend
 * instance, since they share one linear memory.
 */
import { allocArray, type DType, itemSize, type TypedArray } from '../../dtype.js';
import { BackendError, ValueError } from '../../errors.js';
import { WasmAllocator } from './allocator.js';
import { type WasmRuntime, wasmRuntime } from './loader.js';
import { type LoadedWasmModule, WasmModules } from './modules.js';
import { defaultThreads, ThreadPool } from './pool.js';

/** A tensor buffer in the linear memory. */
export interface WasmStorage {
  /** Byte address (0 for empty storages). */
  readonly ptr: number;
  /** Block size from the allocator (0 for empty storages). */
  readonly size: number;
  readonly dtype: DType;
  /** Elements. */
  readonly length: number;
}

type ArrayConstructor = new (
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
) => TypedArray;

/** The shared state of the wasm backend. */
export class WasmContext {
  readonly runtime: WasmRuntime;
  readonly allocator: WasmAllocator;
  /** The extension modules instantiated on this memory. */
  readonly modules: WasmModules;
  private pool: ThreadPool | null = null;
  private threadTarget = defaultThreads();
  private readonly scratchBlocks = new Map<string, { ptr: number; size: number }>();
  private readonly constructors = new Map<DType, ArrayConstructor>();

  constructor() {
    this.runtime = wasmRuntime();
    this.allocator = new WasmAllocator(this.runtime.memory);
    this.modules = new WasmModules(this.runtime);
  }

  /** A storage of `length` elements (contents undefined). */
  allocStorage(dtype: DType, length: number): WasmStorage {
    if (length === 0) return { ptr: 0, size: 0, dtype, length };
    const { ptr, size } = this.allocator.alloc(length * itemSize(dtype));
    return { ptr, size, dtype, length };
  }

  /** Returns a storage's block to the allocator. */
  freeStorage(storage: WasmStorage): void {
    if (storage.size > 0) this.allocator.free(storage.ptr, storage.size);
  }

  /** A typed-array view of a storage (valid until the next allocation). */
  view(storage: WasmStorage): TypedArray {
    let make = this.constructors.get(storage.dtype);
    if (!make) {
      make = allocArray(storage.dtype, 0).constructor as ArrayConstructor;
      this.constructors.set(storage.dtype, make);
    }
    return new make(this.runtime.memory.buffer, storage.ptr, storage.length);
  }

  /** Float32 view of the whole memory (valid until the next allocation). */
  heapF32(): Float32Array {
    return new Float32Array(this.runtime.memory.buffer);
  }

  /** A scratch block of at least `bytes` bytes kept under `name` and reused. */
  scratch(name: string, bytes: number): number {
    const block = this.scratchBlocks.get(name);
    if (block && block.size >= bytes) return block.ptr;
    if (block) this.allocator.free(block.ptr, block.size);
    const fresh = this.allocator.alloc(Math.max(bytes, 64));
    this.scratchBlocks.set(name, fresh);
    return fresh.ptr;
  }

  /** The thread count jobs split into (default: the core count). */
  get threads(): number {
    return this.threadTarget;
  }

  set threads(count: number) {
    if (!Number.isInteger(count) || count < 1) {
      throw new ValueError(
        'setWasmThreads',
        `thread count must be a positive integer, got ${count}`,
        count,
      );
    }
    this.threadTarget = count;
  }

  /**
   * How many threads a job of `work` units may use right now: 1 for small
   * jobs or where threads are impossible; starts the pool on first need.
   * @param work - a size measure of the job
   * @param threshold - the work below which one thread is used
   * @param maxParts - the most parts the job splits into
   */
  threadsFor(work: number, threshold: number, maxParts: number): number {
    const wanted = Math.min(this.threadTarget, maxParts);
    if (wanted <= 1 || work < threshold || !ThreadPool.possible(this.runtime)) return 1;
    this.pool ??= new ThreadPool(this.runtime);
    this.pool.ensure(wanted);
    return Math.min(wanted, this.pool.ready() + 1);
  }

  /** Runs a kernel on threads 0..jobs.length-1 (0 = this thread). */
  run(fn: string, jobs: readonly (readonly number[])[]): void {
    if (jobs.length === 0) return;
    if (jobs.length === 1) this.runtime.exports[fn]!(...jobs[0]!);
    else this.pool!.run(fn, jobs);
  }

  /**
   * Runs function `fn` of an extension module on threads 0..jobs.length-1
   * (0 = this thread), first compiling the module in the workers that lack
   * it (from its bytes, copied into a block of the shared memory).
   * @param loaded - the module
   * @param fn - a function export
   * @param jobs - argument lists (at most 16 numbers each), at most the threads `threadsFor` granted
   * @throws BackendError for an unknown function, or when a worker fails
   */
  runModule(loaded: LoadedWasmModule, fn: string, jobs: readonly (readonly number[])[]): void {
    const local = loaded.exports[fn];
    const index = loaded.functions.indexOf(fn);
    if (!local || index < 0) {
      throw new BackendError('wasm', `module ${loaded.name} has no function ${fn}`, 'wasm');
    }
    if (jobs.length === 0) return;
    if (jobs.length === 1) {
      local(...jobs[0]!);
      return;
    }
    const pool = this.pool!;
    let missing = false;
    for (let t = 1; t < jobs.length; t++) missing ||= !pool.hasModule(t, loaded.slot);
    if (missing) {
      const block = this.allocator.alloc(loaded.bytes.length);
      try {
        new Uint8Array(this.runtime.memory.buffer, block.ptr, loaded.bytes.length).set(
          loaded.bytes,
        );
        pool.load(loaded.slot, block.ptr, loaded.bytes.length, jobs.length);
      } finally {
        this.allocator.free(block.ptr, block.size);
      }
    }
    pool.runIn(loaded.slot, index, fn, jobs, local);
  }

  /**
   * Starts the pool for the current thread setting and resolves when every
   * worker is ready.
   * @returns the threads available (workers + this one)
   */
  async startThreads(): Promise<number> {
    if (this.threadTarget <= 1 || !ThreadPool.possible(this.runtime)) return 1;
    this.pool ??= new ThreadPool(this.runtime);
    this.pool.ensure(this.threadTarget);
    const deadline = Date.now() + 10_000;
    while (this.pool.ready() + 1 < this.threadTarget && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.pool.ready() + 1;
  }
}

let context: WasmContext | null = null;

/** The wasm backend's state, created on first call. */
export function wasmContext(): WasmContext {
  context ??= new WasmContext();
  return context;
}
