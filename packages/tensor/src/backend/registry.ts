/**
 * The backend registry: backends register under a name with a priority, and
 * `setBackend` picks the one new tensors are created on. `auto` picks the
 * available backend of highest priority (gpu where a real GPU is present,
 * else wasm, else js).
 *
 * Importing this module registers nothing: the default backends (`js`, and
 * `wasm` where WebAssembly SIMD validates, from `backends/defaults.ts`) are
 * registered on the first lookup (`getBackend`, `setBackend`, `listBackends`,
 * `findBackend`, `initWasmBackend`) unless a backend of the same name was
 * registered before. `registerBackend` is the explicit way to add others
 * (`registerGpuBackend()` from `@x/tensor/gpu` calls it).
 */

import { defaultBackends } from '../backends/defaults.js';
import { createWasmBackend } from '../backends/wasm/index.js';
import { loadWasmRuntime } from '../backends/wasm/loader.js';
import { BackendError } from '../errors.js';
import { BACKEND_INTERFACE_VERSION, type Backend } from './backend.js';

interface Entry {
  readonly backend: Backend;
  readonly priority: number;
}

const registry = new Map<string, Entry>();
let current: Backend | null = null;
/** Whether `current` came from `auto` (so a better backend registered later may replace it). */
let currentIsAuto = false;
let defaultsRegistered = false;

/** Registers the default backends once, keeping any of the same name registered earlier. */
function ensureDefaults(): void {
  if (defaultsRegistered) return;
  defaultsRegistered = true;
  for (const { backend, priority } of defaultBackends()) {
    if (!registry.has(backend.name)) registry.set(backend.name, { backend, priority });
  }
}

/**
 * Registers a backend under its name (replacing one of the same name).
 * @param backend - the backend
 * @param options - `priority` for `auto` selection (js 0, wasm 10, gpu 20)
 * @throws BackendError when it implements another interface version
 */
export function registerBackend(backend: Backend, options: { priority?: number } = {}): void {
  if (backend.interfaceVersion !== BACKEND_INTERFACE_VERSION) {
    throw new BackendError(
      'registerBackend',
      `backend "${backend.name}" implements interface version ${backend.interfaceVersion}, this @x/tensor needs ${BACKEND_INTERFACE_VERSION}`,
      backend.name,
    );
  }
  registry.set(backend.name, { backend, priority: options.priority ?? 0 });
}

/** Names of the registered backends. */
export function listBackends(): string[] {
  ensureDefaults();
  return [...registry.keys()];
}

/**
 * Selects the backend new tensors are created on.
 * @param name - a registered name, or `auto` for the best available
 * @returns the selected backend
 * @throws BackendError for an unknown name
 * @example
 * setBackend('js');
 * getBackend().name // 'js'
 */
export function setBackend(name: string): Backend {
  ensureDefaults();
  if (name === 'auto') {
    const best = [...registry.values()].sort((a, b) => b.priority - a.priority)[0]!;
    current = best.backend;
    currentIsAuto = true;
    return current;
  }
  const entry = registry.get(name);
  if (!entry) {
    throw new BackendError(
      'setBackend',
      `unknown backend "${name}", registered: ${listBackends().join(', ')}`,
      name,
    );
  }
  current = entry.backend;
  currentIsAuto = false;
  return current;
}

/**
 * Compiles the wasm backend's module asynchronously and registers the `wasm`
 * backend if it was not registered. Needed only on a browser page's main
 * thread of an engine that refuses to compile the module (about 14 KB)
 * synchronously (older Chrome, 114 for example, refused anything over 4 KB),
 * where `auto` therefore starts on `js`; elsewhere it resolves at once. When
 * the current backend came from `auto`, `auto` is run again, so new tensors
 * go to `wasm` (existing ones stay where they are).
 * @returns whether the wasm backend is available
 * @example
 * ```ts
 * await initWasmBackend(); // true where WebAssembly SIMD works
 * getBackend().name; // 'wasm' (unless a gpu backend is registered)
 * ```
 */
export async function initWasmBackend(): Promise<boolean> {
  try {
    await loadWasmRuntime();
  } catch {
    return false;
  }
  ensureDefaults();
  if (!registry.has('wasm')) registerBackend(createWasmBackend(), { priority: 10 });
  if (currentIsAuto) setBackend('auto');
  return true;
}

/**
 * The backend new tensors are created on (`auto` on first use).
 * @returns the current backend
 */
export function getBackend(): Backend {
  return current ?? setBackend('auto');
}

/**
 * A registered backend by name.
 * @throws BackendError for an unknown name
 */
export function findBackend(name: string): Backend {
  ensureDefaults();
  const entry = registry.get(name);
  if (!entry)
    throw new BackendError(
      'findBackend',
      `unknown backend "${name}", registered: ${listBackends().join(', ')}`,
      name,
    );
  return entry.backend;
}
