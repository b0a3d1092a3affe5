/**
 * One index's vectors in @x/tensor's linear memory, where the squared-L2
 * SIMD kernels (`wasm/l2-source.ts`, instantiated by the core on that
 * memory) read them in place.
 *
 * Layout: a block of `[capacity, d]` float32 rows from the core's allocator
 * (64-byte aligned), and a small block holding a query scratch row (external
 * queries are copied there once per search) and the four float64 results of
 * `l2x4`. Growing allocates a larger block, copies the rows over and frees
 * the old one. Other allocations in the memory (tensors on the `wasm`
 * backend) may grow it, which moves its buffer (and detaches it where the
 * memory is not shared): every view here is re-derived from the current
 * buffer on access, so callers take `floats()`, `query` and `results` again
 * after anything may have allocated. Uses only the WebAssembly JS API, so
 * it runs in browsers too; `create` returns null where the core's wasm
 * runtime cannot run (no 128-bit SIMD, or a page's main thread before
 * `initWasmBackend()`).
 */
import { type WasmBlock, type WasmModuleHandle, wasmModule } from '@x/tensor';
import { L2_WASM } from './generated/l2-wasm.js';

/** The module's exports (byte addresses, `d` float32 components). */
export interface L2Exports {
  l2(q: number, r: number, d: number): number;
  l2x4(q: number, r0: number, r1: number, r2: number, r3: number, d: number, out: number): void;
}

/** Vectors of one index in the core's memory, with the L2 kernels bound to it. */
export class WasmRows {
  /** The kernels' exports. */
  readonly exports: L2Exports;
  /** Byte address of the `l2x4` results (4 float64). */
  readonly resultsAddress: number;
  private rows: WasmBlock;
  private capacityFloats: number;
  private readonly extra: WasmBlock;
  private view: {
    buffer: ArrayBufferLike | null;
    floats: Float32Array;
    query: Float32Array;
    results: Float64Array;
  };

  private constructor(
    private readonly handle: WasmModuleHandle,
    readonly dimension: number,
    floats: number,
  ) {
    this.exports = handle.exports as unknown as L2Exports;
    this.capacityFloats = floats;
    this.rows = handle.alloc(Math.max(floats, 1) * 4);
    this.extra = handle.alloc(32 + 4 * dimension);
    this.resultsAddress = this.extra.ptr;
    this.view = {
      buffer: null,
      floats: new Float32Array(0),
      query: new Float32Array(0),
      results: new Float64Array(0),
    };
  }

  /**
   * Rows for `dimension`-float vectors, or null without the core's wasm runtime.
   * @param dimension - row length
   * @param floats - initial capacity in floats
   * @returns the rows or null
   */
  static create(dimension: number, floats = 64 * dimension): WasmRows | null {
    const handle = wasmModule(L2_WASM);
    return handle === null ? null : new WasmRows(handle, dimension, floats);
  }

  private current() {
    const buffer = this.handle.memory.buffer;
    if (this.view.buffer !== buffer) {
      this.view = {
        buffer,
        floats: new Float32Array(buffer, this.rows.ptr, this.capacityFloats),
        query: new Float32Array(buffer, this.extra.ptr + 32, this.dimension),
        results: new Float64Array(buffer, this.extra.ptr, 4),
      };
    }
    return this.view;
  }

  /** The memory's current buffer (views on another one are stale). */
  get buffer(): ArrayBufferLike {
    return this.handle.memory.buffer;
  }

  /** Float64 view of the `l2x4` results (4 entries). */
  get results(): Float64Array {
    return this.current().results;
  }

  /** The query scratch row (`d` floats). */
  get query(): Float32Array {
    return this.current().query;
  }

  /**
   * A float32 view of at least `floats` row components from row 0, growing
   * the block as needed (contents kept; earlier views may go stale).
   * @param floats - components to hold (default: the current capacity)
   * @returns the view of the whole capacity
   */
  floats(floats = this.capacityFloats): Float32Array {
    if (floats > this.capacityFloats) {
      const grown = this.handle.alloc(floats * 4);
      const old = this.rows;
      this.handle.u8().copyWithin(grown.ptr, old.ptr, old.ptr + this.capacityFloats * 4);
      old.free();
      this.rows = grown;
      this.capacityFloats = floats;
      this.view.buffer = null;
    }
    return this.current().floats;
  }

  /** Returns the blocks to the core's allocator (also done when the rows are garbage-collected). */
  free(): void {
    this.rows.free();
    this.extra.free();
  }
}
