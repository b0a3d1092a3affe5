/**
 * Compiles the WebAssembly SIMD kernels (`scripts/wasm-source.ts`) with wabt into
 * `src/kernels/wasm-bytes.generated.ts` (shared steps in the repository's `scripts/embed-wasm.ts`).
 *
 *   npm run generate:wasm -w @x/precision            # write the file
 *   npm run generate:wasm -w @x/precision -- --check # exit 1 when it is stale
 *   npm run generate:wasm -w @x/precision -- --print # print the WAT
 */
import { fileURLToPath } from 'node:url';
import { type EmbeddedWasm, embeddedWasmScript } from '../../../scripts/embed-wasm.js';
import { wasmSource } from './wasm-source.js';

const module: EmbeddedWasm = {
  workspace: '@x/precision',
  generator: 'packages/precision/scripts/generate-wasm.ts',
  sourcePath: 'scripts/wasm-source.ts',
  watName: 'precision-kernels.wat',
  source: wasmSource,
  target: fileURLToPath(new URL('../src/kernels/wasm-bytes.generated.ts', import.meta.url)),
  exportName: 'WASM_KERNELS_BASE64',
  description: 'The WebAssembly SIMD kernels module',
};

/** `compileKernels()`: the module's bytes; `generatedFile(bytes)`: the committed file's text. */
export const { compileKernels, generatedFile } = embeddedWasmScript(module, import.meta.url);
