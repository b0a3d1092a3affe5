/**
 * The WebAssembly SIMD attention module: instantiation (once, lazily,
 * synchronously) and the per-call layout of its linear memory.
 *
 * A kernel call lays out its operands (per-head copies of Q, K, V in the
 * layouts of `scripts/wasm-source.ts`, tiles, running statistics) with a
 * bump allocator from byte 0, grows the memory when they do not fit (it
 * never shrinks; growth detaches the old views, so `layout.f32` is taken
 * after `reserve`), and counts those bytes as kernel scratch memory
 * (`scratch.ts`) until it returns. The module is compiled from
 * `scripts/wasm-source.ts` (see there for the algorithms).
 */
import { WASM_KERNELS_BASE64 } from './wasm-bytes.generated.js';

/** The module's exports (see `scripts/wasm-source.ts` for their contracts). */
export interface AttentionWasmExports {
  readonly memory: WebAssembly.Memory;
  gemm(
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    rows: number,
    cols: number,
    depth: number,
    alpha: number,
    accumulate: number,
    colLimit: number,
    depthLimit: number,
  ): void;
  softmax_rows(
    s: number,
    lds: number,
    rows: number,
    cols: number,
    diag: number,
    m: number,
    l: number,
    o: number,
    ldo: number,
    width: number,
  ): void;
  exp_rows(
    s: number,
    lds: number,
    rows: number,
    rowsPad: number,
    width: number,
    lrow: number,
    shift: number,
  ): void;
  ds_rows(p: number, dp: number, ld: number, rows: number, width: number, drow: number): void;
  linear_forward(
    k: number,
    v: number,
    q: number,
    out: number,
    s: number,
    z: number,
    keys: number,
    queries: number,
    off: number,
    group: number,
    d: number,
    d4: number,
    dv8: number,
    eps: number,
  ): void;
}

let module: AttentionWasmExports | null | undefined;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function instantiate(): AttentionWasmExports | null {
  if (typeof WebAssembly !== 'object') return null;
  try {
    const bytes = decodeBase64(WASM_KERNELS_BASE64);
    if (!WebAssembly.validate(bytes)) return null; // no SIMD support
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    return instance.exports as unknown as AttentionWasmExports;
  } catch {
    // synchronous compilation refused (some browsers' main threads)
    return null;
  }
}

/**
 * The instantiated module, or null where WebAssembly SIMD is unavailable.
 * @returns the exports
 */
export function attentionWasm(): AttentionWasmExports | null {
  if (module === undefined) module = instantiate();
  return module;
}

/**
 * True when the WebAssembly SIMD attention kernels can run here (Node.js
 * 16.4+ and every current browser). Instantiates the module on first call.
 * @returns whether `wasmSimdKernels` runs SIMD code (else it runs the js kernels)
 * @example wasmSimdAvailable() // true on Node.js 20
 */
export function wasmSimdAvailable(): boolean {
  return attentionWasm() !== null;
}

/** Rounds up to a multiple of `step`. */
export const roundUp = (n: number, step: number): number => Math.ceil(n / step) * step;

/** A bump allocation of the module's memory for one kernel call. */
export class WasmLayout {
  private bytes = 0;
  /** float32 view of the whole memory, valid after `reserve()`. */
  f32: Float32Array = new Float32Array(0);

  constructor(readonly wasm: AttentionWasmExports) {}

  /**
   * Reserves `floats` float32 (16-byte aligned).
   * @returns the byte offset
   */
  take(floats: number): number {
    const at = this.bytes;
    this.bytes += roundUp(floats * 4, 16);
    return at;
  }

  /** Total bytes taken. */
  get size(): number {
    return this.bytes;
  }

  /** Grows the memory to hold everything taken, zero-fills it and makes the view. */
  reserve(): void {
    const memory = this.wasm.memory;
    const missing = this.bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    this.f32 = new Float32Array(memory.buffer, 0, this.bytes / 4);
    this.f32.fill(0);
  }
}
