/**
 * The WebAssembly SIMD kernels: instantiation (once, lazily, synchronously;
 * `initWasmKernels` compiles asynchronously for a browser page's main thread)
 * and the chunked driver that copies data through the module's memory.
 *
 * Layout: input chunk at byte 0, output chunk at byte 65536, at most
 * {@link WASM_CHUNK} elements per call. The kernels process multiples of 16
 * elements; the driver rounds each call up to that and copies only the real
 * elements back, so no scalar tail is needed. The module is compiled from
 * `wasm/kernels-source.ts` (see there for the algorithms) by the toolkit's one
 * generator. @x/precision sits below @x/tensor in the dependency graph and
 * runs without it, so this module keeps a memory of its own and this small
 * loader; every other package's modules run on @x/tensor's memory and loader.
 */
import type { FormatName } from '../formats.js';
import { PRECISION_WASM } from './generated/precision-wasm.js';

/** Elements per kernel call: 16384 float32 fill the 64 KiB input area. */
export const WASM_CHUNK = 16384;
const OUTPUT = 65536;

type Kernel = (src: number, dst: number, n: number, saturate?: number) => void;

interface WasmKernels {
  readonly encode: { readonly [name in FormatName]: Kernel };
  readonly decode: { readonly [name in FormatName]: Kernel };
  readonly input32: Uint32Array;
  readonly input16: Uint16Array;
  readonly input8: Uint8Array;
  readonly output32: Uint32Array;
  readonly output16: Uint16Array;
  readonly output8: Uint8Array;
}

let kernels: WasmKernels | null | undefined;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function fromInstance(instance: WebAssembly.Instance): WasmKernels {
  const exports = instance.exports as Record<string, Kernel> & { memory: WebAssembly.Memory };
  const buffer = exports.memory.buffer;
  return {
    encode: {
      float16: exports.encode_float16!,
      bfloat16: exports.encode_bfloat16!,
      float8e4m3: exports.encode_float8e4m3!,
      float8e5m2: exports.encode_float8e5m2!,
    },
    decode: {
      float16: exports.decode_float16!,
      bfloat16: exports.decode_bfloat16!,
      float8e4m3: exports.decode_float8e4m3!,
      float8e5m2: exports.decode_float8e5m2!,
    },
    input32: new Uint32Array(buffer, 0, WASM_CHUNK),
    input16: new Uint16Array(buffer, 0, WASM_CHUNK),
    input8: new Uint8Array(buffer, 0, WASM_CHUNK),
    output32: new Uint32Array(buffer, OUTPUT, WASM_CHUNK),
    output16: new Uint16Array(buffer, OUTPUT, WASM_CHUNK),
    output8: new Uint8Array(buffer, OUTPUT, WASM_CHUNK),
  };
}

/** The module bytes where this host validates WebAssembly SIMD, else null. */
function simdBytes(): Uint8Array<ArrayBuffer> | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = decodeBase64(PRECISION_WASM.variants.plain);
  return WebAssembly.validate(bytes) ? bytes : null;
}

function instantiate(): WasmKernels | null {
  try {
    const bytes = simdBytes();
    if (!bytes) return null;
    return fromInstance(new WebAssembly.Instance(new WebAssembly.Module(bytes), {}));
  } catch {
    // Synchronous compilation refused (a browser page's main thread: see initWasmKernels).
    return null;
  }
}

/**
 * Compiles the WebAssembly SIMD kernels asynchronously. Only needed on a
 * browser page's main thread in engines that refuse synchronous compilation
 * of larger modules (older Chrome, 114 for example, refused anything over
 * 4 KB; this one is about 6.5 KB), where conversions otherwise use the JS
 * kernels; current Chrome, Node and workers compile it synchronously, and
 * then it resolves at once.
 * @returns whether the wasm kernels are available
 * @example
 * ```ts
 * await initWasmKernels(); // true where WebAssembly SIMD works
 * wasmSimdAvailable(); // true
 * ```
 */
export async function initWasmKernels(): Promise<boolean> {
  if (kernels) return true;
  try {
    const bytes = simdBytes();
    if (!bytes) return false;
    const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), {});
    kernels ??= fromInstance(instance);
    return true;
  } catch {
    return false;
  }
}

/**
 * The instantiated kernels, or null where WebAssembly SIMD is unavailable.
 * @returns the kernels
 */
export function wasmKernels(): WasmKernels | null {
  if (kernels === undefined) kernels = instantiate();
  return kernels;
}

/**
 * True when the WebAssembly SIMD kernels can run here (Node.js 16.4+ and every
 * current browser). Instantiates the module on first call.
 * @returns whether `kernel: 'wasm'` is available
 * @example wasmSimdAvailable() // true
 */
export function wasmSimdAvailable(): boolean {
  return wasmKernels() !== null;
}

/**
 * Encodes float32 patterns with a WebAssembly kernel (round-to-nearest-even).
 * @param wasm - the kernels
 * @param format - target format
 * @param src - float32 bit patterns
 * @param dst - codes (Uint16Array for 16-bit formats, Uint8Array for fp8)
 * @param saturate - clamp fp8 overflow (ignored by the 16-bit kernels)
 */
export function wasmEncode(
  wasm: WasmKernels,
  format: FormatName,
  src: Uint32Array,
  dst: Uint16Array | Uint8Array,
  saturate: boolean,
): void {
  const run = wasm.encode[format];
  const output = dst instanceof Uint16Array ? wasm.output16 : wasm.output8;
  const flag = saturate ? 1 : 0;
  const n = src.length;
  for (let start = 0; start < n; start += WASM_CHUNK) {
    const length = Math.min(WASM_CHUNK, n - start);
    wasm.input32.set(src.subarray(start, start + length));
    run(0, OUTPUT, (length + 15) & ~15, flag);
    dst.set(output.subarray(0, length), start);
  }
}

/**
 * Decodes codes to float32 patterns with a WebAssembly kernel.
 * @param wasm - the kernels
 * @param format - source format
 * @param src - codes
 * @param dst - float32 bit patterns
 */
export function wasmDecode(
  wasm: WasmKernels,
  format: FormatName,
  src: Uint16Array | Uint8Array,
  dst: Uint32Array,
): void {
  const run = wasm.decode[format];
  const input = src instanceof Uint16Array ? wasm.input16 : wasm.input8;
  const n = src.length;
  for (let start = 0; start < n; start += WASM_CHUNK) {
    const length = Math.min(WASM_CHUNK, n - start);
    input.set(src.subarray(start, start + length));
    run(0, OUTPUT, (length + 15) & ~15);
    dst.set(wasm.output32.subarray(0, length), start);
  }
}
