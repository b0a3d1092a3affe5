/**
 * The selective scan on WebAssembly SIMD (float32, n % 4 == 0): the same
 * forward recurrence and reverse scan as `selective-scan-kernel.ts`, four
 * state lanes at a time, with a vectorized exp (see `wasm/scan-source.ts` for
 * the kernels and the exponential). Shapes are the kernel's (channels-last):
 *   u, delta, z, out: [b, l, d]   A: [d, n]   B, C: [b, l, n] or [d, n]   h0: [b, d, n]
 *
 * This file is the driver: it instantiates the module once, lazily and
 * synchronously (or asynchronously through `initWasmScan`), copies the
 * inputs into its (growable) memory, runs one kernel over the whole batch,
 * and reads the results back. softplus and the
 * sigmoids (of the gate z and, for softplus' derivative, of delta + bias) run
 * as vectorized module kernels too (Math.log1p and Math.exp cost about 40 and
 * 13 ns per call, more than the whole scan of a channel); D, the gate's
 * product and the per-channel sums stay in JS. The forward keeps only
 * dt and y (`decay: null`); the backward recomputes decays and states per
 * batch row inside the module (into row buffers), as the CUDA kernel does.
 */
import type { ScanArrays, ScanGrads, ScanSaved } from './selective-scan-kernel.js';
import { SCAN_WASM_BASE64 } from './wasm-bytes.generated.js';

type Kernel = (...args: number[]) => void;

interface ScanModule {
  readonly memory: WebAssembly.Memory;
  readonly exp: Kernel;
  readonly softplus: Kernel;
  readonly sigmoid: Kernel;
  readonly forward: Kernel;
  readonly backward: Kernel;
}

let module: ScanModule | null | undefined;
let enabled = true;

function fromExports(exports: WebAssembly.Exports): ScanModule {
  const kernels = exports as Record<string, Kernel> & { memory: WebAssembly.Memory };
  return {
    memory: kernels.memory,
    exp: kernels.exp!,
    softplus: kernels.softplus!,
    sigmoid: kernels.sigmoid!,
    forward: kernels.scan_forward!,
    backward: kernels.scan_backward!,
  };
}

/** The module bytes where this host validates WebAssembly SIMD, else null. */
function simdBytes(): Uint8Array<ArrayBuffer> | null {
  if (typeof WebAssembly !== 'object') return null;
  const binary = atob(SCAN_WASM_BASE64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return WebAssembly.validate(bytes) ? bytes : null; // null: no SIMD
}

function instantiate(): ScanModule | null {
  try {
    const bytes = simdBytes();
    if (!bytes) return null;
    return fromExports(new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports);
  } catch {
    // synchronous compilation refused (a browser page's main thread: see initWasmScan)
    return null;
  }
}

/**
 * Compiles the WebAssembly SIMD selective scan asynchronously. Only needed on
 * a browser page's main thread of an engine that refuses synchronous
 * compilation of modules this size (older Chrome, 114 for example, refused
 * anything over 4 KB; this one is about 4.3 KB), where scans otherwise use the
 * JS kernel; elsewhere it resolves at once.
 * @returns whether the wasm scan is available
 * @example
 * ```ts
 * await initWasmScan(); // true where WebAssembly SIMD works
 * ```
 */
export async function initWasmScan(): Promise<boolean> {
  if (module) return true;
  try {
    const bytes = simdBytes();
    if (!bytes) return false;
    const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), {});
    module ??= fromExports(instance.exports);
    return true;
  } catch {
    return false;
  }
}

function scanModule(): ScanModule | null {
  if (module === undefined) module = instantiate();
  return module;
}

/**
 * Turns the wasm kernel on or off (internal: tests and benchmarks compare
 * it with the JS kernel). @default on
 * @param on - use the wasm kernel where it applies
 */
export function setWasmScan(on: boolean): void {
  enabled = on;
}

/**
 * True when the WebAssembly SIMD selective scan can run here (instantiates the
 * module on first call; false on a browser page's main thread until
 * `initWasmScan()` has compiled it).
 * @returns whether the wasm kernel can run
 */
export function wasmScanAvailable(): boolean {
  return scanModule() !== null;
}

/**
 * Whether a scan runs on the wasm kernel: float32 input, n % 4 == 0, the
 * backward's buffers within 2 GiB of module memory, wasm SIMD available and
 * not turned off.
 * @param s - the inputs
 * @returns true for the wasm kernel, false for the JS one
 */
export function useWasmScan(s: ScanArrays): boolean {
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

/**
 * Float32 regions of the given lengths (16-byte aligned, in the order given)
 * in a memory grown to hold them.
 * @returns a view of the whole memory and each region's float offset
 */
function regions<K extends string>(
  wasm: ScanModule,
  lengths: Record<K, number>,
): { f32: Float32Array; at: Record<K, number>; bytes: number[] } {
  const at = {} as Record<K, number>;
  const bytes: number[] = [];
  let end = 0;
  for (const key of Object.keys(lengths) as K[]) {
    at[key] = end;
    bytes.push(end * 4);
    end += (lengths[key] + 3) & ~3;
  }
  const have = wasm.memory.buffer.byteLength;
  if (end * 4 > have) wasm.memory.grow(Math.ceil((end * 4 - have) / 65536));
  return { f32: new Float32Array(wasm.memory.buffer), at, bytes };
}

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
  const wasm = scanModule()!;
  const n = (x.length + 3) & ~3;
  const { f32, at, bytes } = regions(wasm, { x: n, y: n });
  f32.set(x, at.x);
  wasm[kernel](bytes[0]!, bytes[1]!, n);
  return f32.slice(at.y, at.y + x.length);
}

/** delta + deltaBias into f32 at `at` (softplus is applied by the module). */
function rawSteps(s: ScanArrays, f32: Float32Array, at: number): void {
  const { delta, deltaBias, d } = s;
  const count = s.b * s.l * d;
  if (!deltaBias) {
    f32.set(delta, at);
    return;
  }
  for (let j = 0, c = 0; j < count; j++, c = c + 1 === d ? 0 : c + 1)
    f32[at + j] = delta[j]! + deltaBias[c]!;
}

/**
 * Forward selective scan on the wasm kernel (call when `useWasmScan(s)`).
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
  const wasm = scanModule()!;
  const { b, l, d, n, u, z, D } = s;
  const bld = b * l * d;
  const padded = (bld + 3) & ~3;
  // the first seven in the kernel's parameter order
  const { f32, at, bytes } = regions(wasm, {
    u: bld,
    dt: bld,
    A: d * n,
    B: s.B.length,
    C: s.C.length,
    h: b * d * n,
    y: bld,
    gate: z ? bld : 0,
  });
  f32.set(u, at.u);
  rawSteps(s, f32, at.dt);
  if (s.softplus) wasm.softplus(at.dt * 4, at.dt * 4, padded);
  f32.set(s.A, at.A);
  f32.set(s.B, at.B);
  f32.set(s.C, at.C);
  if (s.h0) f32.set(s.h0, at.h);
  else f32.fill(0, at.h, at.h + b * d * n);
  wasm.forward(b, l, d, n, s.varying ? 1 : 0, ...bytes.slice(0, 7));
  if (z) {
    f32.set(z, at.gate);
    wasm.sigmoid(at.gate * 4, at.gate * 4, padded);
  }
  const y = new Float64Array(f32.subarray(at.y, at.y + bld));
  if (hLast) for (let i = 0; i < b * d * n; i++) hLast[i] = f32[at.h + i]!;
  for (let j = 0, c = 0; j < bld; j++, c = c + 1 === d ? 0 : c + 1) {
    let v = y[j]! + (D ? D[c]! : 0) * u[j]!;
    if (z) v *= z[j]! * f32[at.gate + j]!;
    out[j] = v;
  }
  if (!save) return null;
  return { dt: new Float64Array(f32.subarray(at.dt, at.dt + bld)), y, decay: null };
}

/**
 * Backward selective scan on the wasm kernel, for a forward that ran there.
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
  const wasm = scanModule()!;
  const { b, l, d, n, u, D, z } = s;
  const bld = b * l * d;
  const dn = d * n;
  const g: ScanGrads = {
    u: new Float64Array(bld),
    delta: new Float64Array(bld),
    A: new Float64Array(dn),
    B: new Float64Array(s.B.length),
    C: new Float64Array(s.C.length),
    D: D ? new Float64Array(d) : null,
    z: z ? new Float64Array(bld) : null,
    deltaBias: s.deltaBias ? new Float64Array(d) : null,
    h0: s.h0 ? new Float64Array(b * dn) : null,
  };
  // the first sixteen in the kernel's parameter order
  const { f32, at, bytes } = regions(wasm, {
    u: bld,
    dt: bld,
    A: dn,
    B: s.B.length,
    C: s.C.length,
    h0: b * dn,
    gy: bld,
    states: (l + 1) * dn, // h_0 .. h_l of one batch row
    carry: dn,
    gu: bld,
    gdt: bld,
    gA: dn,
    gB: s.B.length,
    gC: s.C.length,
    gh0: b * dn,
    decay: l * dn, // exp(dt A) of one batch row
    gate: z ? bld : 0, // sigmoid(z)
    slope: s.softplus ? bld : 0, // sigmoid(delta + deltaBias), softplus'
  });
  const padded = (bld + 3) & ~3;
  if (z) {
    f32.set(z, at.gate);
    wasm.sigmoid(at.gate * 4, at.gate * 4, padded);
  }
  if (s.softplus) {
    rawSteps(s, f32, at.slope);
    wasm.sigmoid(at.slope * 4, at.slope * 4, padded);
  }
  f32.set(u, at.u);
  f32.set(saved.dt, at.dt);
  f32.set(s.A, at.A);
  f32.set(s.B, at.B);
  f32.set(s.C, at.C);
  if (s.h0) f32.set(s.h0, at.h0);
  else f32.fill(0, at.h0, at.h0 + b * dn);
  // dL/dy before D and the gate
  for (let j = 0, c = 0; j < bld; j++, c = c + 1 === d ? 0 : c + 1) {
    let gy = gOut[j]!;
    if (z) {
      const zz = z[j]!;
      const sg = f32[at.gate + j]!;
      const pre = saved.y[j]! + (D ? D[c]! : 0) * u[j]!;
      g.z![j] = gy * pre * sg * (1 + zz * (1 - sg));
      gy *= zz * sg;
    }
    f32[at.gy + j] = gy;
  }
  f32.fill(0, at.gA, at.gA + dn);
  f32.fill(0, at.gB, at.gB + s.B.length);
  f32.fill(0, at.gC, at.gC + s.C.length);
  wasm.backward(b, l, d, n, s.varying ? 1 : 0, ...bytes.slice(0, 16));
  for (let j = 0, c = 0; j < bld; j++, c = c + 1 === d ? 0 : c + 1) {
    const gy = f32[at.gy + j]!;
    g.u[j] = f32[at.gu + j]! + (D ? gy * D[c]! : 0);
    if (g.D) g.D[c]! += gy * u[j]!;
    const gdt = f32[at.gdt + j]!;
    const gRaw = s.softplus ? gdt * f32[at.slope + j]! : gdt;
    g.delta[j] = gRaw;
    if (g.deltaBias) g.deltaBias[c]! += gRaw;
  }
  g.A.set(f32.subarray(at.gA, at.gA + dn));
  g.B.set(f32.subarray(at.gB, at.gB + s.B.length));
  g.C.set(f32.subarray(at.gC, at.gC + s.C.length));
  if (g.h0) g.h0.set(f32.subarray(at.gh0, at.gh0 + b * dn));
  return g;
}
