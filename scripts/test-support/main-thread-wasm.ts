/**
 * Test support: older Chrome's rule for a web page's main thread (114, for
 * example; current versions allow far larger modules), simulated in Node.
 * There `new WebAssembly.Module(bytes)` throws for modules over 4 KB ("Use
 * WebAssembly.compile, or compile on a worker thread") and `document` exists,
 * so the packages' synchronous loaders must fall back and their `init*()`
 * functions must compile asynchronously.
 */
import { afterEach, vi } from 'vitest';

const SyncModule = WebAssembly.Module;

/** The limit older Chrome applied to synchronous compilation on the main thread. */
export const MAIN_THREAD_SYNC_LIMIT = 4096;

class MainThreadModule extends SyncModule {
  constructor(bytes: BufferSource) {
    if (bytes.byteLength > MAIN_THREAD_SYNC_LIMIT) {
      throw new RangeError(
        'WebAssembly.Module is disallowed on the main thread, if the buffer size is larger than 4KB. Use WebAssembly.compile, or compile on a worker thread.',
      );
    }
    super(bytes);
  }
}

/**
 * Makes this thread look like a page's main thread until `restore` is called.
 * Import the package under test afterwards (after `vi.resetModules()`), so its
 * loaders see the rule.
 * @returns restore: puts the real `WebAssembly.Module` back and removes `document`
 */
export function simulateMainThread(): () => void {
  const globals = globalThis as { document?: unknown };
  const hadDocument = 'document' in globals;
  (WebAssembly as { Module: unknown }).Module = MainThreadModule;
  if (!hadDocument) globals.document = {};
  return () => {
    (WebAssembly as { Module: unknown }).Module = SyncModule;
    if (!hadDocument) delete globals.document;
  };
}

/**
 * For a vitest file: returns `enter()`, which simulates the main thread and
 * resets the module registry (import the package after it); an `afterEach`
 * hook restores the real globals and resets the registry again.
 * @returns enter
 */
export function mainThreadSimulation(): () => void {
  let restore: (() => void) | null = null;
  afterEach(() => {
    restore?.();
    restore = null;
    vi.resetModules();
  });
  return () => {
    restore = simulateMainThread();
    vi.resetModules();
  };
}
