/**
 * Constants shared by the WAT templates (generate time) and the JS drivers
 * (run time), kept apart so the shipped bundle does not carry the templates.
 */

/** Rows of K per packed block of the matmul kernel. */
export const GEMM_KC = 256;
/** Rows of A per packed block of the matmul kernel. */
export const GEMM_MC = 128;

/** Binary ops with a wasm kernel (`bin_<op>`). */
export const WASM_BINARY_OPS = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'] as const;

/** Unary ops with a wasm kernel (`un_<op>`). */
export const WASM_UNARY_OPS = [
  'neg',
  'abs',
  'sqrt',
  'square',
  'reciprocal',
  'relu',
  'exp',
  'sigmoid',
  'tanh',
  'silu',
  'gelu',
] as const;
