/**
 * Loads the wasm backend's module: picks the variant (relaxed-SIMD FMA where
 * `WebAssembly.validate` accepts it, else plain SIMD; shared memory where
 * SharedArrayBuffer is available), creates the linear memory and instantiates
 * the module synchronously, once, on first use (or asynchronously, through
 * `loadWasmRuntime`, where a browser's main thread refuses synchronous
 * compilation).
 *
 * Node 20 (V8 11.3) accepts relaxed SIMD only behind
 * `--experimental-wasm-relaxed-simd`; the loader sets that flag with
 * `v8.setFlagsFromString` before compiling (reached through
 * `process.getBuiltinModule`, so browser bundles import nothing from Node).
 * Browsers and newer Node validate the FMA variant as it is.
 */
import { BackendError } from '../../errors.js';
import { WASM_MODULES } from './generated/modules.js';

/** The kernels exported by the module (pointers and sizes in bytes / elements, see `kernels/`). */
export interface WasmExports {
  readonly gemm: (...args: number[]) => void;
  readonly pack_b: (...args: number[]) => void;
  readonly [name: string]: (...args: number[]) => void;
}

/** The instantiated module and its memory. */
export interface WasmRuntime {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly exports: WasmExports;
  /** The memory is a SharedArrayBuffer (threads possible). */
  readonly shared: boolean;
  /** The matmul micro-kernel uses relaxed-SIMD fused multiply-add. */
  readonly fma: boolean;
}

const INITIAL_PAGES = 64;
/** The memory maximum the module's import declares (`kernels/module.ts`): 65536 pages, 4 GiB. */
const MAX_PAGES = 65536;

/**
 * Bytes of a base64 string (the generated modules' encoding).
 * @param text - base64
 * @returns the bytes
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

type NodeProcess = { getBuiltinModule?: (name: string) => unknown; versions?: { node?: string } };

/**
 * A Node built-in module, or undefined outside Node.
 * @param name - e.g. `node:os`
 */
export function nodeBuiltin<T>(name: string): T | undefined {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (!proc?.versions?.node || typeof proc.getBuiltinModule !== 'function') return undefined;
  return proc.getBuiltinModule(name) as T | undefined;
}

/** Whether relaxed SIMD validates here, enabling V8's flag in Node when needed. */
function relaxedSimd(bytes: Uint8Array<ArrayBuffer>): boolean {
  if (WebAssembly.validate(bytes)) return true;
  const v8 = nodeBuiltin<{ setFlagsFromString(flags: string): void }>('node:v8');
  if (!v8) return false;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return WebAssembly.validate(bytes);
}

/** A shared memory where SharedArrayBuffer is available (cross-origin isolated pages, Node), else null. */
function sharedMemory(): WebAssembly.Memory | null {
  if (typeof SharedArrayBuffer === 'undefined') return null;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (isolated === false) return null;
  for (const maximum of [MAX_PAGES, 16384, 4096]) {
    try {
      return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum, shared: true });
    } catch {
      // a smaller reservation may still fit (32-bit hosts)
    }
  }
  return null;
}

let runtime: WasmRuntime | null | undefined;

/**
 * Whether this host can run the wasm backend (WebAssembly with 128-bit SIMD).
 * Validates the plain module; on a browser's main thread, which may refuse to
 * compile modules over 4 KB synchronously (older Chrome), it also instantiates the
 * runtime to find out, so `auto` falls back to `js` there rather than failing
 * on the first op (`initWasmBackend()` compiles it asynchronously instead).
 * @returns true where the backend works
 */
export function wasmSupported(): boolean {
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(decodeBase64(WASM_MODULES.plain)))
    return false;
  if (typeof (globalThis as { document?: unknown }).document === 'undefined') return true;
  try {
    wasmRuntime();
    return true;
  } catch {
    return false;
  }
}

/** The module variant, its bytes and the memory for this host. */
function plan(): {
  bytes: Uint8Array<ArrayBuffer>;
  memory: WebAssembly.Memory;
  fma: boolean;
  shared: boolean;
} {
  const fmaBytes = decodeBase64(WASM_MODULES.fmaShared);
  const fma = relaxedSimd(fmaBytes);
  const shared = sharedMemory();
  const name = `${fma ? 'fma' : 'plain'}${shared ? 'Shared' : ''}` as keyof typeof WASM_MODULES;
  const bytes = name === 'fmaShared' ? fmaBytes : decodeBase64(WASM_MODULES[name]);
  // an import that declares a maximum accepts only memories that declare one at most as large
  const memory = shared ?? new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES });
  return { bytes, memory, fma, shared: shared !== null };
}

function instantiationError(error: unknown): BackendError {
  return new BackendError(
    'wasm',
    `cannot instantiate the WebAssembly SIMD module: ${(error as Error).message}`,
    'wasm',
  );
}

/**
 * The runtime, instantiated on first call.
 * @returns the runtime
 * @throws BackendError where WebAssembly SIMD is unavailable or compiling fails
 */
export function wasmRuntime(): WasmRuntime {
  if (runtime) return runtime;
  try {
    const { bytes, memory, fma, shared } = plan();
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module, { env: { memory, log: Math.log } });
    runtime = { module, memory, exports: instance.exports as unknown as WasmExports, shared, fma };
    return runtime;
  } catch (error) {
    throw instantiationError(error);
  }
}

/**
 * The runtime, compiled and instantiated asynchronously (`WebAssembly.compile`),
 * which a browser's main thread allows for modules of any size.
 * @returns the runtime (the same one `wasmRuntime` returns from then on)
 * @throws BackendError where WebAssembly SIMD is unavailable or compiling fails
 */
export async function loadWasmRuntime(): Promise<WasmRuntime> {
  if (runtime) return runtime;
  try {
    const { bytes, memory, fma, shared } = plan();
    const module = await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(module, { env: { memory, log: Math.log } });
    runtime ??= {
      module,
      memory,
      exports: instance.exports as unknown as WasmExports,
      shared,
      fma,
    };
    return runtime;
  } catch (error) {
    throw instantiationError(error);
  }
}
