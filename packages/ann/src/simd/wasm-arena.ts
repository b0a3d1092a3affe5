/**
 * A WebAssembly memory holding one index's vectors, with the squared-L2 SIMD
 * kernels instantiated on it (`scripts/wasm-source.ts`).
 *
 * Layout (bytes): `[0, 32)` the four float64 results of `l2x4`; `[64, 64 +
 * 4d)` a query scratch row (external queries are copied there once per
 * search); the `[capacity, d]` float32 rows from `base` (16-aligned).
 * Growing calls `memory.grow`, which detaches the old buffer, so every view
 * is re-created (`floats`, `results`, `query`) and callers re-read `buffer`.
 * Uses only the WebAssembly JS API, so it runs in browsers too; `create`
 * returns null where the engine lacks 128-bit SIMD.
 */
import { L2_WASM_BASE64 } from './wasm-bytes.generated.js';

const PAGE = 65536;
const QUERY = 64;

/** The module's exports (byte addresses, `d` float32 components). */
interface L2Exports {
  l2(q: number, r: number, d: number): number;
  l2x4(q: number, r0: number, r1: number, r2: number, r3: number, d: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The compiled module, or null where WebAssembly SIMD is unavailable
 * (compiled once; tiny, so synchronous compilation is allowed in browsers).
 * @returns the module or null
 */
export function l2WasmModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    if (typeof WebAssembly !== 'object') return null;
    const bytes = decodeBase64(L2_WASM_BASE64);
    if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Vectors of one index in WebAssembly memory, with the L2 kernels bound to it. */
export class WasmArena {
  /** The kernels' exports. */
  readonly exports: L2Exports;
  /** Byte offset of row 0. */
  readonly base: number;
  /** The current buffer (changes on growth). */
  buffer: ArrayBuffer;
  /** Float64 view of the `l2x4` results (4 entries). */
  results: Float64Array;
  /** Query scratch row (`d` floats at byte 64). */
  query: Float32Array;

  private constructor(
    private readonly memory: WebAssembly.Memory,
    instance: WebAssembly.Instance,
    readonly dimension: number,
  ) {
    this.exports = instance.exports as unknown as L2Exports;
    this.base = (QUERY + 4 * dimension + 15) & ~15;
    this.buffer = memory.buffer;
    this.results = new Float64Array(this.buffer, 0, 4);
    this.query = new Float32Array(this.buffer, QUERY, dimension);
  }

  /**
   * An arena for `dimension`-float rows, or null without WebAssembly SIMD.
   * @param dimension - row length
   * @returns the arena or null
   */
  static create(dimension: number): WasmArena | null {
    const module = l2WasmModule();
    if (module === null) return null;
    try {
      const memory = new WebAssembly.Memory({ initial: 1 });
      const instance = new WebAssembly.Instance(module, { env: { memory } });
      return new WasmArena(memory, instance, dimension);
    } catch {
      return null;
    }
  }

  /**
   * A float32 view of `floats` row components, growing the memory as needed
   * (contents kept; earlier views are detached by the growth).
   * @param floats - components to hold from `base`
   * @returns the view at `base`
   */
  floats(floats: number): Float32Array {
    const bytes = this.base + 4 * floats;
    if (bytes > this.buffer.byteLength) {
      this.memory.grow(Math.ceil((bytes - this.buffer.byteLength) / PAGE));
      this.buffer = this.memory.buffer;
      this.results = new Float64Array(this.buffer, 0, 4);
      this.query = new Float32Array(this.buffer, QUERY, this.dimension);
    }
    return new Float32Array(this.buffer, this.base, floats);
  }
}
