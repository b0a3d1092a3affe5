/**
 * Small helpers for writing WebAssembly text (WAT) from TypeScript: the
 * kernels in this folder are templates that `scripts/generate-wasm.ts`
 * assembles into one module and compiles with wabt at generate time. Nothing
 * here runs in the shipped package; only the compiled bytes do.
 */

/** `(local.get $name)`. */
export const get = (name: string): string => `(local.get $${name})`;
/** `(local.set $name value)`. */
export const set = (name: string, value: string): string => `(local.set $${name} ${value})`;
/** An i32 constant. */
export const i32 = (value: number): string => `(i32.const ${value})`;
/** An f32x4 constant with four equal lanes. */
export const f32x4 = (value: number): string => {
  const text = Object.is(value, -0)
    ? '-0'
    : Number.isFinite(value)
      ? `${value}`
      : value > 0
        ? 'inf'
        : '-inf';
  return `(v128.const f32x4 ${text} ${text} ${text} ${text})`;
};
/** Local declarations of one type. */
export const locals = (type: string, ...names: string[]): string =>
  names.map((name) => `(local $${name} ${type})`).join(' ');
/** `name += step` for an i32 local. */
export const bump = (name: string, step: number | string): string =>
  set(name, `(i32.add ${get(name)} ${typeof step === 'number' ? i32(step) : step})`);

/**
 * A fused multiply-add `a * b + c` on four float32 lanes: relaxed SIMD's
 * `f32x4.relaxed_madd` (one FMA instruction where the hardware has it) or the
 * plain SIMD `mul` + `add`.
 */
export function madd(fma: boolean, a: string, b: string, c: string): string {
  return fma ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add (f32x4.mul ${a} ${b}) ${c})`;
}

/** Options every kernel template receives. */
export interface WatOptions {
  /** Use relaxed-SIMD fused multiply-add. */
  readonly fma: boolean;
}
