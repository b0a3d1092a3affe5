/**
 * Compiles the WebAssembly SIMD selective scan (`wasm/scan-source.ts`) with wabt into
 * `src/scan/wasm-bytes.generated.ts` (shared steps in the repository's `scripts/embed-wasm.ts`).
 *
 *   npm run generate:wasm -w @x/ssm            # write the file
 *   npm run generate:wasm -w @x/ssm -- --check # exit 1 when it is stale
 *   npm run generate:wasm -w @x/ssm -- --print # print the WAT
 */
import { fileURLToPath } from 'node:url';
import {
  compileEmbeddedWasm,
  type EmbeddedWasm,
  embeddedWasmFile,
  runEmbedWasm,
} from '../../../scripts/embed-wasm.js';
import { wasmSource } from './scan-source.js';

const module: EmbeddedWasm = {
  workspace: '@x/ssm',
  generator: 'packages/ssm/wasm/generate-wasm.ts',
  sourcePath: 'wasm/scan-source.ts',
  watName: 'ssm-scan.wat',
  source: wasmSource,
  features: { bulk_memory: true },
  target: fileURLToPath(new URL('../src/scan/wasm-bytes.generated.ts', import.meta.url)),
  exportName: 'SCAN_WASM_BASE64',
  description: 'The WebAssembly SIMD selective scan module',
};

/**
 * Compiles the module's WAT to a binary module.
 * @returns the module bytes
 */
export function compileScanKernels(): Promise<Uint8Array> {
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
