/**
 * Constants shared by the WAT templates (`wasm/kernels-source.ts`, generate
 * time) and the drivers (run time), kept apart so the shipped bundle does
 * not carry the templates.
 */

/** The default of the tile product's causal limits: no limit (a large integer keeps the loop bounds int32). */
export const NO_LIMIT = 2 ** 30;
