/**
 * Compiles the WebAssembly SIMD kernels (`scripts/wasm-source.ts`) with wabt into
 * `src/kernels/wasm-bytes.generated.ts` (shared steps in the repository's `scripts/embed-wasm.ts`).
 *
 *   npm run generate:wasm -w @x/precision            # write the file
 *   npm run generate:wasm -w @x/precision -- --check # exit 1 when it is stale
 *   npm run generate:wasm -w @x/precision -- --print # print the WAT
 */
import { fileURLToPath } from 'node:url';
import {
  compileEmbeddedWasm,
  type EmbeddedWasm,
  embeddedWasmFile,
  runEmbedWasm,
} from '../../../scripts/embed-wasm.js';
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

/**
 * Compiles the module's WAT to a binary module.
 * @returns the module bytes
 */
export function compileKernels(): Promise<Uint8Array> {
  return compileEmbeddedWasm(module);
}

/**
 * The TypeScript source of the generated file for the given module bytes.
 * @param bytes - the module
 * @returns the file's text
 */
export function generatedFile(bytes: Uint8Array): string {
  return embeddedWasmFile(module, bytes);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runEmbedWasm(module, process.argv.slice(2));
}
