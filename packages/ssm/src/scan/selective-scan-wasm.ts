/**
 * The selective scan on WebAssembly SIMD (float32, n % 4 == 0): the same
 * forward recurrence and reverse scan as `selective-scan-kernel.ts`, four
 * state lanes at a time, with a vectorized exp (see `wasm/scan-source.ts` for
 * the kernels and the exponential). Shapes are the kernel's (channels-last):
 *   u, delta, z, out: [b, l, d]   A: [d, n]   B, C: [b, l, n] or [d, n]   h0: [b, d, n]
 *
 * This file is the driver: it instantiates the module once, lazily and
 * synchronously, copies the inputs into its (growable) memory, runs one
 * kernel over the whole batch, and reads the results back. The elementwise
 * parts outside the recurrence (softplus, D, the silu gate and their
 * derivatives) stay in JS, shared with the JS kernel. The forward keeps only
 * dt and y (`decay: null`); the backward recomputes decays and states per
 * batch row inside the module, as the CUDA kernel does.
 */
import {
  type ScanArrays,
  type ScanGrads,
  type ScanSaved,
  scanSteps,
} from './selective-scan-kernel.js';
import { SCAN_WASM_BASE64 } from './wasm-bytes.generated.js';

type Kernel = (...args: number[]) => void;

interface ScanModule {
  readonly memory: WebAssembly.Memory;
  readonly exp: Kernel;
  readonly forward: Kernel;
  readonly backward: Kernel;
}

let module: ScanModule | null | undefined;
let enabled = true;

function instantiate(): ScanModule | null {
  if (typeof WebAssembly !== 'object') return null;
  try {
    const binary = atob(SCAN_WASM_BASE64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    if (!WebAssembly.validate(bytes)) return null; // no SIMD
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as Record<
      string,
      Kernel
    > & { memory: WebAssembly.Memory };
    return {
      memory: exports.memory,
      exp: exports.exp!,
      forward: exports.scan_forward!,
      backward: exports.scan_backward!,
    };
  } catch {
    // synchronous compilation refused (some browsers' main threads)
    return null;
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
 * True when WebAssembly SIMD is available here (instantiates the module on first call).
 * @returns whether the wasm kernel can run
 */
export function wasmScanAvailable(): boolean {
  return scanModule() !== null;
}

/**
 * Whether a scan runs on the wasm kernel: float32 input, n % 4 == 0, wasm
 * SIMD available and not turned off.
 * @param s - the inputs
 * @returns true for the wasm kernel, false for the JS one
 */
export function useWasmScan(s: ScanArrays): boolean {
  return enabled && s.u instanceof Float32Array && s.n % 4 === 0 && s.n > 0 && wasmScanAvailable();
}

/** Float32 regions of the given lengths (16-byte aligned) in a grown memory. */
function regions(wasm: ScanModule, lengths: number[]): { f32: Float32Array; at: number[] } {
  const at: number[] = [];
  let end = 0;
  for (const length of lengths) {
    at.push(end);
    end += (length + 3) & ~3;
  }
  const bytes = end * 4;
  const have = wasm.memory.buffer.byteLength;
  if (bytes > have) wasm.memory.grow(Math.ceil((bytes - have) / 65536));
  return { f32: new Float32Array(wasm.memory.buffer), at };
}

/**
 * exp of float32 values with the module's vectorized exponential (for tests).
 * @param x - inputs
 * @returns exp(x), float32
 */
export function wasmExp(x: ArrayLike<number>): Float32Array {
  const wasm = scanModule()!;
  const n = (x.length + 3) & ~3;
  const { f32, at } = regions(wasm, [n, n]);
  f32.set(x, at[0]!);
  wasm.exp(at[0]! * 4, at[1]! * 4, n);
  return f32.slice(at[1]!, at[1]! + x.length);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
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
  const dts = scanSteps(s);
  const { f32, at } = regions(wasm, [bld, bld, d * n, s.B.length, s.C.length, b * d * n, bld]);
  const [pu, pdt, pA, pB, pC, ph, py] = at as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  f32.set(u, pu);
  f32.set(dts, pdt);
  f32.set(s.A, pA);
  f32.set(s.B, pB);
  f32.set(s.C, pC);
  if (s.h0) f32.set(s.h0, ph);
  else f32.fill(0, ph, ph + b * d * n);
  wasm.forward(
    b,
    l,
    d,
    n,
    s.varying ? 1 : 0,
    pu * 4,
    pdt * 4,
    pA * 4,
    pB * 4,
    pC * 4,
    ph * 4,
    py * 4,
  );
  const y = new Float64Array(f32.subarray(py, py + bld));
  if (hLast) for (let i = 0; i < b * d * n; i++) hLast[i] = f32[ph + i]!;
  for (let j = 0; j < bld; j++) {
    const c = j % d;
    let v = y[j]! + (D ? D[c]! : 0) * u[j]!;
    if (z) v *= z[j]! * sigmoid(z[j]!);
    out[j] = v;
  }
  return save ? { dt: dts, y, decay: null } : null;
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
  const { f32, at } = regions(wasm, [
    bld, // u
    bld, // dt
    dn, // A
    s.B.length,
    s.C.length,
    b * dn, // h0
    bld, // gy
    (l + 1) * dn, // row of states
    dn, // carry
    bld, // gu
    bld, // gdt
    dn, // gA
    s.B.length, // gB
    s.C.length, // gC
    b * dn, // gh0
  ]);
  const [pu, pdt, pA, pB, pC, ph0, pgy, prow, pcarry, pgu, pgdt, pgA, pgB, pgC, pgh0] =
    at as number[] as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
  f32.set(u, pu);
  f32.set(saved.dt, pdt);
  f32.set(s.A, pA);
  f32.set(s.B, pB);
  f32.set(s.C, pC);
  if (s.h0) f32.set(s.h0, ph0);
  else f32.fill(0, ph0, ph0 + b * dn);
  // dL/dy before D and the gate
  for (let j = 0; j < bld; j++) {
    let gy = gOut[j]!;
    if (z) {
      const c = j % d;
      const zz = z[j]!;
      const sg = sigmoid(zz);
      const pre = saved.y[j]! + (D ? D[c]! : 0) * u[j]!;
      g.z![j] = gy * pre * sg * (1 + zz * (1 - sg));
      gy *= zz * sg;
    }
    f32[pgy + j] = gy;
  }
  f32.fill(0, pgA, pgA + dn);
  f32.fill(0, pgB, pgB + s.B.length);
  f32.fill(0, pgC, pgC + s.C.length);
  wasm.backward(
    b,
    l,
    d,
    n,
    s.varying ? 1 : 0,
    pu * 4,
    pdt * 4,
    pA * 4,
    pB * 4,
    pC * 4,
    ph0 * 4,
    pgy * 4,
    prow * 4,
    pcarry * 4,
    pgu * 4,
    pgdt * 4,
    pgA * 4,
    pgB * 4,
    pgC * 4,
    pgh0 * 4,
  );
  for (let j = 0; j < bld; j++) {
    const c = j % d;
    const gy = f32[pgy + j]!;
    g.u[j] = f32[pgu + j]! + (D ? gy * D[c]! : 0);
    if (g.D) g.D[c]! += gy * u[j]!;
    const gdt = f32[pgdt + j]!;
    const raw = s.delta[j]! + (s.deltaBias ? s.deltaBias[c]! : 0);
    const gRaw = s.softplus ? gdt * sigmoid(raw) : gdt;
    g.delta[j] = gRaw;
    if (g.deltaBias) g.deltaBias[c]! += gRaw;
  }
  g.A.set(f32.subarray(pgA, pgA + dn));
  g.B.set(f32.subarray(pgB, pgB + s.B.length));
  g.C.set(f32.subarray(pgC, pgC + s.C.length));
  if (g.h0) g.h0.set(f32.subarray(pgh0, pgh0 + b * dn));
  return g;
}
