/**
 * What a package's wasm kernel works with: its module instantiated on the
 * core's linear memory (the memory tensors of the `wasm` backend live in),
 * typed-array views of that memory, blocks and scratch from the core's
 * allocator, and the core's worker pool. No copies in or out: a kernel reads
 * and writes tensors where they are.
 *
 * Threads: `parallel(fn, { units, work }, args)` splits `units` (rows,
 * heads, columns: whatever the kernel's unit of independent work is) into
 * one contiguous range per thread and calls the module's export `fn` on
 * every thread with `args(part)`: the calling thread takes part 0, the pool's
 * workers the others, each running the same module on the same memory. Below
 * `threshold` work (or where threads are impossible: no SharedArrayBuffer,
 * `setWasmThreads(1)`) it is one call on this thread.
 */
import { type WasmContext, wasmContext } from '../backends/wasm/context.js';
import { loadWasmRuntime } from '../backends/wasm/loader.js';
import type { LoadedWasmModule, WasmFunction, WasmModuleSource } from '../backends/wasm/modules.js';
import { MAX_JOB_ARGUMENTS } from '../backends/wasm/pool.js';
import { BackendError } from '../errors.js';

/** A block of the core's memory owned by its holder. */
export interface WasmBlock {
  /** Byte address (64-byte aligned). */
  readonly ptr: number;
  /** Usable bytes (at least those asked for). */
  readonly bytes: number;
  /** Returns the block to the allocator (also done when the block object is garbage-collected). */
  free(): void;
}

/** How `parallel` may split a job. */
export interface WasmParallelPlan {
  /** Independent units of work (the most parts the job splits into). */
  readonly units: number;
  /** Size of the whole job in operations (multiply-adds, elements). @default units */
  readonly work?: number;
  /** Work below which the job runs on one thread (waking a worker costs ~20-50 us). @default 2^20 */
  readonly threshold?: number;
}

/** One thread's share of a `parallel` job: units [start, end). */
export interface WasmWorkPart {
  readonly start: number;
  readonly end: number;
  /** 0 is the calling thread. */
  readonly thread: number;
  readonly threads: number;
}

/** A package module on the core's memory. */
export interface WasmModuleHandle {
  readonly name: string;
  /** This thread's instance of the module's function exports. */
  readonly exports: Readonly<Record<string, WasmFunction>>;
  /** The core's memory. */
  readonly memory: WebAssembly.Memory;
  /** Whether the memory is shared (threads possible). */
  readonly shared: boolean;
  /** Whether the module runs its relaxed-SIMD FMA variant. */
  readonly fma: boolean;
  /** A Float32Array over the whole memory (re-take it after anything allocates: growth moves the buffer). */
  f32(): Float32Array;
  /** A Float64Array over the whole memory. */
  f64(): Float64Array;
  /** An Int32Array over the whole memory. */
  i32(): Int32Array;
  /** A Uint8Array over the whole memory. */
  u8(): Uint8Array;
  /**
   * The byte address of a typed array that lies in the core's memory (a
   * wasm backend storage's host view, a block's view), or -1.
   */
  addressOf(view: ArrayBufferView): number;
  /** A block that lives until `free()` (or until the block object is collected). */
  alloc(bytes: number): WasmBlock;
  /**
   * Runs export `fn` over `plan.units` split across threads (see the file
   * header); `args(part)` gives a part's arguments (at most 16 numbers:
   * pass a parameter block's address for more).
   * @throws BackendError when a worker fails
   */
  parallel(
    fn: string,
    plan: WasmParallelPlan,
    args: (part: WasmWorkPart) => readonly number[],
  ): void;
  /** Runs `body` with a context whose `scratch` blocks are freed when it returns. */
  scope<T>(body: (context: WasmKernelContext) => T): T;
}

/** The handle plus scratch memory that lives until the kernel returns. */
export interface WasmKernelContext extends WasmModuleHandle {
  /**
   * A scratch block of at least `bytes` bytes (64-byte aligned, contents
   * undefined), freed when the kernel (or `scope`) returns.
   * @returns its byte address
   */
  scratch(bytes: number): number;
}

const DEFAULT_THRESHOLD = 1 << 20;

const blocks = new FinalizationRegistry<{ context: WasmContext; ptr: number; size: number }>(
  ({ context, ptr, size }) => context.allocator.free(ptr, size),
);

class Handle implements WasmKernelContext {
  readonly name: string;
  readonly exports: Readonly<Record<string, WasmFunction>>;
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  readonly fma: boolean;
  private readonly scratchBlocks: { ptr: number; size: number }[] | null;
  private views: {
    buffer: ArrayBufferLike | null;
    f32: Float32Array;
    f64: Float64Array;
    i32: Int32Array;
    u8: Uint8Array;
  };

  constructor(
    private readonly context: WasmContext,
    private readonly loaded: LoadedWasmModule,
    scoped: boolean,
  ) {
    this.name = loaded.name;
    this.exports = loaded.exports;
    this.memory = context.runtime.memory;
    this.shared = context.runtime.shared;
    this.fma = context.runtime.fma;
    this.scratchBlocks = scoped ? [] : null;
    this.views = {
      buffer: null,
      f32: new Float32Array(0),
      f64: new Float64Array(0),
      i32: new Int32Array(0),
      u8: new Uint8Array(0),
    };
  }

  private current() {
    const buffer = this.memory.buffer;
    if (this.views.buffer !== buffer) {
      this.views = {
        buffer,
        f32: new Float32Array(buffer),
        f64: new Float64Array(buffer),
        i32: new Int32Array(buffer),
        u8: new Uint8Array(buffer),
      };
    }
    return this.views;
  }

  f32(): Float32Array {
    return this.current().f32;
  }
  f64(): Float64Array {
    return this.current().f64;
  }
  i32(): Int32Array {
    return this.current().i32;
  }
  u8(): Uint8Array {
    return this.current().u8;
  }

  addressOf(view: ArrayBufferView): number {
    return view.buffer === this.memory.buffer ? view.byteOffset : -1;
  }

  alloc(bytes: number): WasmBlock {
    const { ptr, size } = this.context.allocator.alloc(Math.max(1, bytes));
    const context = this.context;
    const token = {};
    let freed = false;
    const block: WasmBlock = {
      ptr,
      bytes: size,
      free: () => {
        if (freed) return;
        freed = true;
        blocks.unregister(token);
        context.allocator.free(ptr, size);
      },
    };
    blocks.register(block, { context, ptr, size }, token);
    return block;
  }

  scratch(bytes: number): number {
    if (this.scratchBlocks === null)
      throw new BackendError(
        'wasm',
        'scratch memory exists only inside a kernel or scope()',
        'wasm',
      );
    const block = this.context.allocator.alloc(Math.max(1, bytes));
    this.scratchBlocks.push(block);
    return block.ptr;
  }

  /** Frees the scratch blocks (the dispatcher calls it when the kernel returns). */
  release(): void {
    if (this.scratchBlocks === null) return;
    for (const block of this.scratchBlocks.splice(0))
      this.context.allocator.free(block.ptr, block.size);
  }

  parallel(
    fn: string,
    plan: WasmParallelPlan,
    args: (part: WasmWorkPart) => readonly number[],
  ): void {
    const units = Math.max(0, Math.floor(plan.units));
    if (units === 0) return;
    const threads = this.context.threadsFor(
      plan.work ?? units,
      plan.threshold ?? DEFAULT_THRESHOLD,
      units,
    );
    const jobs: (readonly number[])[] = [];
    for (let t = 0; t < threads; t++) {
      const start = Math.floor((t * units) / threads);
      const end = Math.floor(((t + 1) * units) / threads);
      const job = args({ start, end, thread: t, threads });
      if (job.length > MAX_JOB_ARGUMENTS) {
        throw new BackendError(
          'wasm',
          `${this.name}.${fn}: a job passes at most ${MAX_JOB_ARGUMENTS} arguments, got ${job.length} (pass a parameter block's address)`,
          'wasm',
        );
      }
      jobs.push(job);
    }
    this.context.runModule(this.loaded, fn, jobs);
  }

  scope<T>(body: (context: WasmKernelContext) => T): T {
    const scoped = new Handle(this.context, this.loaded, true);
    try {
      return body(scoped);
    } finally {
      scoped.release();
    }
  }
}

/**
 * Internal: a scoped context for one kernel run (the dispatcher releases it).
 * @throws BackendError where the module cannot load here
 */
export function kernelContext(source: WasmModuleSource): WasmKernelContext & { release(): void } {
  const context = wasmContext();
  return new Handle(context, context.modules.load(source), true);
}

/**
 * A package's module instantiated on the core's memory (synchronously, once
 * per module), for kernels that are not tensor ops (distance kernels over
 * vectors kept in `alloc`ed blocks) and for typed-array entry points.
 * @param source - the generated module (`generated/*.ts`)
 * @returns the handle, or null where the core's wasm runtime or this module cannot run here (no WebAssembly SIMD, or a page's main thread that refuses synchronous compilation: see `loadWasmModule`)
 * @example
 * const l2 = wasmModule(ANN_WASM);
 * if (l2) l2.exports.l2!(a, b, 128);
 */
export function wasmModule(source: WasmModuleSource): WasmModuleHandle | null {
  try {
    const context = wasmContext();
    return new Handle(context, context.modules.load(source), false);
  } catch {
    return null;
  }
}

/**
 * `wasmModule`, compiled asynchronously: needed only on a browser page's
 * main thread that refuses to compile modules over 4 KB synchronously (older
 * Chrome); it also starts the core's runtime there (`initWasmBackend`).
 * Kernels whose module loaded this way run their wasm implementation from
 * then on.
 * @param source - the generated module
 * @returns the handle, or null where WebAssembly SIMD or the module cannot run
 * @example
 * ```ts
 * await loadWasmModule(SCAN_WASM); // then the scan's wasm kernel runs on this page
 * ```
 */
export async function loadWasmModule(source: WasmModuleSource): Promise<WasmModuleHandle | null> {
  try {
    await loadWasmRuntime();
    const context = wasmContext();
    return new Handle(context, await context.modules.loadAsync(source), false);
  } catch {
    return null;
  }
}
