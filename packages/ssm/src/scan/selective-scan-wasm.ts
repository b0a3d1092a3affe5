/**
 * Where the WebAssembly SIMD selective scan runs, and its typed-array entry
 * points. The scan is an @x/tensor extension kernel (`selective-scan-kernels.ts`)
 * whose `wasm` implementation runs `scan-wasm-driver.ts` on the `wasm`
 * tensors where they lie, in the core's memory, split across its worker
 * pool: no copies in or out. The module (`wasm/scan-source.ts`) is
 * instantiated by the core on first use, or asynchronously through
 * `initWasmScan` where a browser page's main thread refuses synchronous
 * compilation.
 *
 * `wasmScanForward`, `wasmScanBackward` and `wasmElementwise` take plain
 * typed arrays (tests, benchmarks): they place them in scratch blocks of the
 * core's memory for the same driver and copy the results back.
 */
import {
  initWasmBackend,
  loadWasmModule,
  type WasmKernelContext,
  type WasmModuleHandle,
  wasmModule,
} from '@x/tensor';
import { SCAN_WASM } from './generated/scan-wasm.js';
import {
  type ScanAddresses,
  type ScanShape,
  scanBackwardAt,
  scanForwardAt,
} from './scan-wasm-driver.js';
import type { ScanArrays, ScanGrads, ScanSaved } from './selective-scan-kernel.js';

let handle: WasmModuleHandle | null = null;
let enabled = true;

/** The scan module on the core's memory, or null where it cannot run (yet). */
export function scanModule(): WasmModuleHandle | null {
  handle ??= wasmModule(SCAN_WASM);
  return handle;
}

/**
 * Compiles the WebAssembly SIMD selective scan asynchronously (and starts
 * @x/tensor's wasm backend, `initWasmBackend`). Only needed on a browser
 * page's main thread of an engine that refuses synchronous compilation of
 * larger modules (older Chrome, 114 for example, refused anything over
 * 4 KB), where scans otherwise run the JS kernel; elsewhere it resolves at
 * once.
 * @returns whether the wasm scan is available
 * @example
 * ```ts
 * await initWasmScan(); // true where WebAssembly SIMD works
 * ```
 */
export async function initWasmScan(): Promise<boolean> {
  if (scanModule()) return true;
  handle = await loadWasmModule(SCAN_WASM);
  await initWasmBackend();
  return handle !== null;
}

/**
 * Turns the wasm kernel on or off (internal: tests and benchmarks compare
 * it with the JS kernel). @default on
 * @param on - use the wasm kernel where it applies
 */
export function setWasmScan(on: boolean): void {
  enabled = on;
}

/** Whether the wasm kernel is turned on (`setWasmScan`). */
export function wasmScanEnabled(): boolean {
  return enabled;
}

/**
 * True when the WebAssembly SIMD selective scan can run here (instantiates the
 * module on first call; false on a browser page's main thread until
 * `initWasmScan()` has compiled it). Scans of tensors on the `wasm` backend
 * then run it.
 * @returns whether the wasm kernel can run
 */
export function wasmScanAvailable(): boolean {
  return scanModule() !== null;
}

/**
 * Whether a scan of these sizes runs on the wasm kernel: float32 input,
 * n % 4 == 0, the backward's buffers within 2 GiB, wasm SIMD available and
 * not turned off.
 * @param s - the inputs (only sizes and the dtype of u are read)
 * @returns true for the wasm kernel, false for the JS one
 */
export function useWasmScan(s: Pick<ScanArrays, 'b' | 'l' | 'd' | 'n' | 'u' | 'B' | 'C'>): boolean {
  const { b, l, d, n } = s;
  const floats = 10 * b * l * d + 2 * (s.B.length + s.C.length) + (2 * b + 2 * l + 4) * d * n;
  return (
    enabled &&
    s.u instanceof Float32Array &&
    n % 4 === 0 &&
    n > 0 &&
    floats * 4 < 2 ** 31 &&
    wasmScanAvailable()
  );
}

/** Copies arrays into scratch blocks of the memory (padded to 4 floats); 0 for null. */
function placer(wasm: WasmKernelContext): (values: ArrayLike<number> | null) => number {
  return (values) => {
    if (!values) return 0;
    const at = wasm.scratch(((values.length + 3) & ~3) * 4 + 16);
    wasm.f32().set(values, at / 4);
    return at;
  };
}

/** The scan's inputs placed in scratch. */
function placeInputs(put: ReturnType<typeof placer>, s: ScanArrays): ScanAddresses {
  return {
    u: put(s.u),
    delta: put(s.delta),
    A: put(s.A),
    B: put(s.B),
    C: put(s.C),
    D: put(s.D),
    z: put(s.z),
    deltaBias: put(s.deltaBias),
    h0: put(s.h0),
  };
}

const shapeOf = (s: ScanArrays): ScanShape => ({
  b: s.b,
  l: s.l,
  d: s.d,
  n: s.n,
  varying: s.varying,
  softplus: s.softplus,
});

/**
 * An elementwise kernel of the module (`exp`, `softplus`, `sigmoid`) on
 * float32 values (for tests).
 * @param kernel - which function
 * @param x - inputs
 * @returns the results, float32
 */
export function wasmElementwise(
  kernel: 'exp' | 'softplus' | 'sigmoid',
  x: ArrayLike<number>,
): Float32Array {
  return scanModule()!.scope((wasm) => {
    const n = (x.length + 3) & ~3;
    const [src, dst] = [wasm.scratch(n * 4), wasm.scratch(n * 4)];
    wasm.f32().set(x, src / 4);
    wasm.exports[kernel]!(src, dst, n);
    return wasm.f32().slice(dst / 4, dst / 4 + x.length);
  });
}

/**
 * Forward selective scan of typed arrays on the wasm kernel (call when `useWasmScan(s)`).
 * @param s - the inputs
 * @param out - output [b, l, d]
 * @param hLast - optional output [b, d, n], the last state
 * @param save - keep what the backward needs
 * @returns dt and y (decay null), or null when `save` is false
 */
export function wasmScanForward(
  s: ScanArrays,
  out: { [i: number]: number; length: number },
  hLast: { [i: number]: number } | null,
  save: boolean,
): ScanSaved | null {
  return scanModule()!.scope((wasm) => {
    const put = placer(wasm);
    const at = placeInputs(put, s);
    const bld = s.b * s.l * s.d;
    const size = ((bld + 3) & ~3) * 4;
    const buffers = {
      out: wasm.scratch(size),
      hLast: wasm.scratch(s.b * s.d * s.n * 4 + 16),
      dt: wasm.scratch(size),
      yRaw: wasm.scratch(size),
    };
    scanForwardAt(wasm, shapeOf(s), at, buffers);
    const f32 = wasm.f32();
    for (let j = 0; j < bld; j++) out[j] = f32[buffers.out / 4 + j]!;
    if (hLast) for (let i = 0; i < s.b * s.d * s.n; i++) hLast[i] = f32[buffers.hLast / 4 + i]!;
    if (!save) return null;
    return {
      dt: new Float64Array(f32.subarray(buffers.dt / 4, buffers.dt / 4 + bld)),
      y: new Float64Array(f32.subarray(buffers.yRaw / 4, buffers.yRaw / 4 + bld)),
      decay: null,
    };
  });
}

/**
 * Backward selective scan of typed arrays on the wasm kernel, for a forward that ran there.
 * @param s - the inputs of the forward call
 * @param saved - what `wasmScanForward` kept
 * @param gOut - dL/d(out), [b, l, d]
 * @returns the gradients of every input (as `scanBackward`)
 */
export function wasmScanBackward(
  s: ScanArrays,
  saved: ScanSaved,
  gOut: ArrayLike<number>,
): ScanGrads {
  return scanModule()!.scope((wasm) => {
    const put = placer(wasm);
    const blank = (present: unknown, count: number) => (present ? wasm.scratch(count * 4 + 16) : 0);
    const { b, l, d, n } = s;
    const bld = b * l * d;
    const at = placeInputs(put, s);
    const kept = { dt: put(saved.dt), yRaw: put(saved.y) };
    const gradOut = put(gOut);
    const grads = {
      u: blank(true, bld),
      delta: blank(true, bld),
      A: blank(true, d * n),
      B: blank(true, s.B.length),
      C: blank(true, s.C.length),
      D: blank(s.D, d),
      z: blank(s.z, bld),
      deltaBias: blank(s.deltaBias, d),
      h0: blank(s.h0, b * d * n),
    };
    scanBackwardAt(wasm, shapeOf(s), at, kept, gradOut, grads);
    const f32 = wasm.f32();
    const read = (address: number, count: number) =>
      address ? new Float64Array(f32.subarray(address / 4, address / 4 + count)) : null;
    return {
      u: read(grads.u, bld)!,
      delta: read(grads.delta, bld)!,
      A: read(grads.A, d * n)!,
      B: read(grads.B, s.B.length)!,
      C: read(grads.C, s.C.length)!,
      D: read(grads.D, d),
      z: read(grads.z, bld),
      deltaBias: read(grads.deltaBias, d),
      h0: read(grads.h0, b * d * n),
    };
  });
}
