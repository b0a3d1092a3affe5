/**
 * The thread pool of the wasm backend: Node `worker_threads`, or Web Workers
 * in cross-origin isolated pages (where SharedArrayBuffer exists), each
 * instantiating the same module on the shared memory.
 * Started once, lazily, on the first job big enough to split, and reused;
 * workers are `unref()`ed so they never keep a process alive.
 *
 * A job calls one exported kernel on every thread with per-thread arguments
 * (at most 16 numbers: kernels with more take a parameter block's address),
 * of the core's module or of an extension module (`defineKernel` kernels'
 * own modules), which each worker compiles from the shared memory the first
 * time a job needs it (`load`):
 * the main thread wakes each worker through its own control word
 * (`Atomics.notify`), computes its own share, then sleeps in `Atomics.wait`
 * on each worker's finished word after polling it for about 20 us (a
 * browser's main thread, which may not block, polls until done); workers
 * sleep between jobs. Until the workers report
 * ready (start-up takes tens of milliseconds) jobs run on the main thread
 * alone, so no call ever blocks on start-up.
 */
import { BackendError } from '../../errors.js';
import { WASM_BINARY_OPS, WASM_UNARY_OPS } from './kernels/constants.js';
import { nodeBuiltin, type WasmRuntime } from './loader.js';
import { BROWSER_WORKER_SOURCE, NODE_WORKER_SOURCE } from './worker-source.js';

/** Kernels of the core's module a job may call, by index (the worker gets the same list). */
export const POOL_FUNCTIONS: readonly string[] = [
  'gemm',
  'gemm_items',
  'softmax_rows',
  'layernorm_rows',
  'rmsnorm_rows',
  'row_sum',
  'row_max',
  'row_min',
  'col_sum',
  'col_max',
  'col_min',
  ...WASM_BINARY_OPS.map((op) => `bin_${op}`),
  ...WASM_UNARY_OPS.map((op) => `un_${op}`),
];
const SLOT = 16;
/** Arguments a job passes per thread. */
export const MAX_JOB_ARGUMENTS = 16;
/** Polls of a worker's finished word before the calling thread sleeps (about 20 us). */
const SPIN_POLLS = 10_000;
const MAX_THREADS = 64;

interface NodeWorker {
  unref(): void;
  terminate(): unknown;
  on(event: string, listener: (value: unknown) => void): void;
}
type NodeWorkerConstructor = new (
  source: string,
  options: { eval: true; workerData: unknown },
) => NodeWorker;
interface WebWorker {
  postMessage(data: unknown): void;
  terminate(): unknown;
  onerror: ((event: unknown) => void) | null;
}
type WebHost = {
  Worker?: new (url: string) => WebWorker;
  crossOriginIsolated?: boolean;
};

/** Starts one worker with its start-up data; `onError` marks it failed. */
type Spawn = (data: unknown, onError: () => void) => { terminate(): unknown };

/**
 * How to start workers here: Node `worker_threads`, or Web Workers in a
 * cross-origin isolated page; null elsewhere (single-threaded).
 */
function makeSpawner(): Spawn | null {
  const threads = nodeBuiltin<{ Worker: NodeWorkerConstructor }>('node:worker_threads');
  if (threads) {
    return (workerData, onError) => {
      const worker = new threads.Worker(NODE_WORKER_SOURCE, { eval: true, workerData });
      worker.on('error', onError);
      worker.unref();
      return worker;
    };
  }
  const host = globalThis as WebHost;
  if (typeof host.Worker === 'function' && host.crossOriginIsolated === true) {
    const Worker = host.Worker;
    const url = URL.createObjectURL(new Blob([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }));
    return (data, onError) => {
      const worker = new Worker(url);
      worker.onerror = onError;
      worker.postMessage(data);
      return worker;
    };
  }
  return null;
}

let cachedSpawner: Spawn | null | undefined;
const spawner = (): Spawn | null => {
  if (cachedSpawner === undefined) cachedSpawner = makeSpawner();
  return cachedSpawner;
};

/** Whether this thread may block in `Atomics.wait` (not a browser's main thread). */
const canBlock = (() => {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
})();

/** Default thread count: the machine's logical cores (`navigator.hardwareConcurrency` in browsers; 1 where unknown). */
export function defaultThreads(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  return typeof cores === 'number' && cores >= 1 ? Math.floor(cores) : 1;
}

/** Worker threads sharing the runtime's memory. */
export class ThreadPool {
  private readonly control = new SharedArrayBuffer(MAX_THREADS * SLOT * 4);
  private readonly args = new SharedArrayBuffer(MAX_THREADS * SLOT * 8);
  private readonly ctrl = new Int32Array(this.control);
  private readonly values = new Float64Array(this.args);
  private readonly workers: { terminate(): unknown }[] = [];
  private readonly spawn = spawner();
  private readonly sequence = new Int32Array(MAX_THREADS);
  /** The extension-module slots each worker has compiled (index = worker). */
  private readonly loaded: (Set<number> | undefined)[] = [];

  /** @param runtime - the runtime whose module and shared memory the workers use */
  constructor(private readonly runtime: WasmRuntime) {}

  /** Whether this host can run workers on the memory (a shared memory, and Node or an isolated page). */
  static possible(runtime: WasmRuntime): boolean {
    return runtime.shared && spawner() !== null;
  }

  /**
   * Starts workers until `count - 1` exist (the main thread is the last share).
   * @param count - total threads wanted
   */
  ensure(count: number): void {
    const wanted = Math.min(count, MAX_THREADS) - 1;
    while (this.spawn && this.workers.length < wanted) {
      const index = this.workers.length + 1;
      const data = {
        module: this.runtime.module,
        memory: this.runtime.memory,
        control: this.control,
        args: this.args,
        index,
        names: POOL_FUNCTIONS,
      };
      this.workers.push(this.spawn(data, () => Atomics.store(this.ctrl, index * SLOT + 5, 1)));
    }
  }

  /** Workers started and ready (not counting the main thread). */
  ready(): number {
    let n = 0;
    for (let i = 1; i <= this.workers.length; i++) {
      if (Atomics.load(this.ctrl, i * SLOT + 4) === 1 && this.ctrl[i * SLOT + 5] === 0) n++;
      else break;
    }
    return n;
  }

  /**
   * Runs `fn` with `jobs[t]` as arguments on thread t (t = 0 is the main
   * thread, the others are ready workers), and returns when all finished.
   * @param fn - the kernel of the core's module
   * @param jobs - argument lists, at most `ready() + 1`
   * @throws BackendError when a worker's kernel failed
   */
  run(fn: string, jobs: readonly (readonly number[])[]): void {
    this.dispatch(0, POOL_FUNCTIONS.indexOf(fn), fn, jobs, this.runtime.exports[fn]!);
  }

  /**
   * Runs function `index` of the module in `slot` (loaded into the workers
   * with `load`) on thread t with `jobs[t]`; `local` is this thread's copy.
   * @throws BackendError when a worker's kernel failed
   */
  runIn(
    slot: number,
    index: number,
    name: string,
    jobs: readonly (readonly number[])[],
    local: (...args: number[]) => unknown,
  ): void {
    this.dispatch(slot, index, name, jobs, local);
  }

  /** Whether worker `t` (1-based) has the module of `slot`. */
  hasModule(t: number, slot: number): boolean {
    return this.loaded[t]?.has(slot) ?? false;
  }

  /**
   * Compiles the module whose bytes lie at `ptr` (shared memory, `length`
   * bytes) into `slot` on workers 1..count-1 that lack it, and waits.
   * @throws BackendError when a worker cannot compile it
   */
  load(slot: number, ptr: number, length: number, count: number): void {
    const jobs: number[][] = [[]];
    const targets: number[] = [];
    for (let t = 1; t < count; t++) {
      jobs.push([ptr, length]);
      if (!this.hasModule(t, slot)) targets.push(t);
    }
    if (targets.length === 0) return;
    this.dispatch(slot, -1, `load module ${slot}`, jobs, () => undefined, targets);
    for (const t of targets) {
      const slots = this.loaded[t] ?? new Set<number>();
      slots.add(slot);
      this.loaded[t] = slots;
    }
  }

  private dispatch(
    slot: number,
    id: number,
    name: string,
    jobs: readonly (readonly number[])[],
    local: (...args: number[]) => unknown,
    only: readonly number[] | null = null,
  ): void {
    const targets = only ?? Array.from({ length: jobs.length - 1 }, (_, i) => i + 1);
    for (const t of targets) {
      const base = t * SLOT;
      const job = jobs[t]!;
      this.ctrl[base + 1] = id;
      this.ctrl[base + 3] = job.length;
      this.ctrl[base + 6] = slot;
      this.values.set(job, t * SLOT);
      this.sequence[t] = Atomics.add(this.ctrl, base, 1) + 1;
      Atomics.notify(this.ctrl, base, 1);
    }
    local(...jobs[0]!);
    for (const t of targets) {
      const base = t * SLOT + 2;
      let done = Atomics.load(this.ctrl, base);
      // Poll briefly first: a worker finishing within microseconds then costs no wake-up
      // (a futex wake across cores is tens of microseconds on a VM).
      for (let spin = 0; spin < SPIN_POLLS && done !== this.sequence[t]; spin++) {
        done = Atomics.load(this.ctrl, base);
      }
      while (done !== this.sequence[t]) {
        // A browser's main thread cannot block: it polls (the workers still sleep between jobs).
        if (canBlock) Atomics.wait(this.ctrl, base, done, 1000);
        done = Atomics.load(this.ctrl, base);
        if (this.ctrl[t * SLOT + 5] !== 0) break;
      }
      if (this.ctrl[t * SLOT + 5] !== 0) {
        throw new BackendError('wasm', `worker ${t} failed running ${name}`, 'wasm');
      }
    }
  }

  /** Stops every worker (tests; the pool restarts on the next `ensure`). */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    this.loaded.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
    for (let i = 1; i < MAX_THREADS; i++) this.ctrl.fill(0, i * SLOT, i * SLOT + SLOT);
  }
}
