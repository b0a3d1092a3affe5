/**
 * The toolkit's WebAssembly build tooling: the WAT helpers, the vector math
 * (exp, sigmoid, tanh, softplus), the GEMM micro-kernel step and the module
 * description every package's `wasm/modules.ts` uses; `generate.ts` compiles
 * them all (`npm run generate`). Generate-time only: nothing here ships in a
 * package.
 */
export * from './gemm.js';
export * from './math.js';
export * from './module.js';
export * from './wat.js';
