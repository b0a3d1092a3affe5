/**
 * Compiles the squared-L2 WebAssembly SIMD kernels (`scripts/wasm-source.ts`) with wabt into
 * `src/simd/wasm-bytes.generated.ts` (shared steps in the repository's `scripts/embed-wasm.ts`).
 *
 *   npm run generate:wasm -w @x/ann            # write the file
 *   npm run generate:wasm -w @x/ann -- --check # exit 1 when it is stale
 *   npm run generate:wasm -w @x/ann -- --print # print the WAT
 */
import { fileURLToPath } from 'node:url';
import { type EmbeddedWasm, embeddedWasmScript } from '../../../scripts/embed-wasm.js';
import { wasmSource } from './wasm-source.js';

const module: EmbeddedWasm = {
  workspace: '@x/ann',
  generator: 'packages/ann/scripts/generate-wasm.ts',
  sourcePath: 'scripts/wasm-source.ts',
  watName: 'ann-l2-kernels.wat',
  source: wasmSource,
  target: fileURLToPath(new URL('../src/simd/wasm-bytes.generated.ts', import.meta.url)),
  exportName: 'L2_WASM_BASE64',
  description: 'The squared-L2 WebAssembly SIMD module',
};

/** `compileKernels()`: the module's bytes; `generatedFile(bytes)`: the committed file's text. */
export const { compileKernels, generatedFile } = embeddedWasmScript(module, import.meta.url);
