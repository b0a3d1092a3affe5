/**
 * Compiles the WebAssembly SIMD selective scan (`wasm/scan-source.ts`) with wabt into
 * `src/scan/wasm-bytes.generated.ts` (shared steps in the repository's `scripts/embed-wasm.ts`).
 *
 *   npm run generate:wasm -w @x/ssm            # write the file
 *   npm run generate:wasm -w @x/ssm -- --check # exit 1 when it is stale
 *   npm run generate:wasm -w @x/ssm -- --print # print the WAT
 */
import { fileURLToPath } from 'node:url';
import { type EmbeddedWasm, embeddedWasmScript } from '../../../scripts/embed-wasm.js';
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

/** `compileScanKernels()`: the module's bytes; `generatedFile(bytes)`: the committed file's text. */
export const { compileKernels: compileScanKernels, generatedFile } = embeddedWasmScript(
  module,
  import.meta.url,
);
