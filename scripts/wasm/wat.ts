/**
 * Helpers for writing WebAssembly text (WAT) from TypeScript, shared by the
 * kernel templates of every package (@x/tensor's backend module, the modules
 * of @x/attention, @x/ssm, @x/ann, @x/precision). Templates run only at
 * generate time (`npm run generate`, `generate.ts`); nothing here ships.
 */

/** `(local.get $name)`. */
export const get = (name: string): string => `(local.get $${name})`;
/** `(local.set $name value)`. */
export const set = (name: string, value: string): string => `(local.set $${name} ${value})`;
/** An i32 constant. */
export const i32 = (value: number): string => `(i32.const ${value})`;

/** A float literal as WAT spells it (`inf`, `-inf`, `-0`, or the number; strings pass through). */
function literal(value: number | string): string {
  if (typeof value === 'string') return value;
  if (Object.is(value, -0)) return '-0';
  if (Number.isFinite(value)) return `${value}`;
  return value > 0 ? 'inf' : '-inf';
}

/** An f32x4 constant with four equal lanes (a number, or a literal such as `'1.4426950'`). */
export const f32x4 = (value: number | string): string => {
  const text = literal(value);
  return `(v128.const f32x4 ${text} ${text} ${text} ${text})`;
};

/** Local declarations of one type. */
export const locals = (type: string, ...names: string[]): string =>
  names.map((name) => `(local $${name} ${type})`).join(' ');

/** `name += step` for an i32 local. */
export const bump = (name: string, step: number | string): string =>
  set(name, `(i32.add ${get(name)} ${typeof step === 'number' ? i32(step) : step})`);

/**
 * `for (name = from; name < to; name += step) body` with a signed bound, as a
 * block / loop pair named after the counter.
 */
export function loop(name: string, from: string, to: string, step: number, body: string): string {
  return `${set(name, from)}
    (block $${name}_done
      (loop $${name}_next
        (br_if $${name}_done (i32.ge_s ${get(name)} ${to}))
        ${body}
        ${bump(name, step)}
        (br $${name}_next)))`;
}

/** Horizontal sum of the four lanes of the f32x4 local `name`, as an f32 expression. */
export const hsum = (name: string): string =>
  `(f32.add (f32.add (f32x4.extract_lane 0 ${get(name)}) (f32x4.extract_lane 1 ${get(name)})) (f32.add (f32x4.extract_lane 2 ${get(name)}) (f32x4.extract_lane 3 ${get(name)})))`;

/**
 * A multiply-add `a * b + c` on four float32 lanes: relaxed SIMD's
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
