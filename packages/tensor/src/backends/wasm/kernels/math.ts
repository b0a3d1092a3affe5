/**
 * Vector math on four float32 lanes (WAT templates, inlined into the kernels
 * because V8 does not inline wasm calls): exp, tanh and the logistic
 * function. Each template is a list of statements that reads a v128 local and
 * writes another, using the scratch locals of `MATH_LOCALS`.
 *
 * exp: Cody-Waite range reduction x = n ln2 + r with |r| <= ln2 / 2 (ln2 split
 * in a high part exact in float32 and a low part), a degree-7 Taylor
 * polynomial of e^r (truncation error < 5e-9 relative), and the scale 2^n
 * applied as two exact power-of-two factors so results that overflow become
 * Infinity and tiny ones round through the subnormals to 0 without branches
 * (x is clamped to [-104, 88.8] first). n = round(x log2 e) comes from adding
 * 1.5 * 2^23 (the float addition rounds to nearest; the integer is read from
 * the low mantissa bits). NaN propagates. Cephes `expf` and
 * Muller, "Elementary Functions" (2016), ch. 11.
 * tanh: odd Taylor series through x^9 for |x| < 0.25 (error < 1e-8 relative),
 * else sign(x) (1 - e) / (1 + e) with e = exp(-2|x|).
 */
import { f32x4, get, madd, set } from './wat.js';

/** The scratch locals the templates use (declare them in every function that inlines one). */
export const MATH_LOCALS = ['mx', 'mf', 'mr', 'mp', 'mn', 'ma', 'ms'] as const;

const mul = (a: string, b: string) => `(f32x4.mul ${a} ${b})`;
const add = (a: string, b: string) => `(f32x4.add ${a} ${b})`;
const sub = (a: string, b: string) => `(f32x4.sub ${a} ${b})`;

const MAGIC = 12582912; // 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits

/** Statements: `out = exp(input)` lane-wise (`fma`: relaxed-SIMD multiply-adds in the polynomial). */
export function vexp(out: string, input: string, fma = false): string {
  const coefficients = [1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6, 0.5, 1, 1];
  const horner = [set('mp', f32x4(coefficients[0]!))];
  for (const c of coefficients.slice(1))
    horner.push(set('mp', madd(fma, get('mp'), get('mr'), f32x4(c))));
  const scale = (exponent: string) =>
    `(i32x4.shl (i32x4.add ${exponent} (v128.const i32x4 127 127 127 127)) (i32.const 23))`;
  return [
    // pmax / pmin are single instructions and keep a NaN x (the comparison is false).
    set('mx', `(f32x4.pmin (f32x4.pmax ${input} ${f32x4(-104)}) ${f32x4(88.8)})`),
    set('mf', madd(fma, get('mx'), f32x4(Math.LOG2E), f32x4(MAGIC))),
    set(
      'mn',
      `(i32x4.sub ${get('mf')} (v128.const i32x4 0x4b400000 0x4b400000 0x4b400000 0x4b400000))`,
    ),
    set('mf', sub(get('mf'), f32x4(MAGIC))),
    set('mr', sub(get('mx'), mul(get('mf'), f32x4(0.693359375)))),
    set('mr', sub(get('mr'), mul(get('mf'), f32x4(-2.1219444e-4)))),
    ...horner,
    // 2^n as 2^(n >> 1) * 2^(n - (n >> 1)): both exponents stay in the normal range.
    set('ma', `(i32x4.shr_s ${get('mn')} (i32.const 1))`),
    set('mn', `(i32x4.sub ${get('mn')} ${get('ma')})`),
    set('mp', mul(get('mp'), scale(get('ma')))),
    set(out, mul(get('mp'), scale(get('mn')))),
  ].join('\n    ');
}

/** Statements: `out = 1 / (1 + exp(-input))` lane-wise. */
export function vsigmoid(out: string, input: string, fma = false): string {
  return [
    vexp('ms', `(f32x4.neg ${input})`, fma),
    set(out, `(f32x4.div ${f32x4(1)} ${add(f32x4(1), get('ms'))})`),
  ].join('\n    ');
}

/** Statements: `out = tanh(input)` lane-wise (`input` is read twice: pass a local). */
export function vtanh(out: string, input: string, fma = false): string {
  const series = [62 / 2835, -17 / 315, 2 / 15, -1 / 3];
  const poly = [set('ma', f32x4(series[0]!))];
  for (const c of series.slice(1)) poly.push(set('ma', add(mul(get('ma'), get('ms')), f32x4(c))));
  return [
    vexp('mp', `(f32x4.mul (f32x4.abs ${input}) ${f32x4(-2)})`, fma),
    // sign(x) (1 - e) / (1 + e); the sign bit of x is or-ed in.
    set('mp', `(f32x4.div ${sub(f32x4(1), get('mp'))} ${add(f32x4(1), get('mp'))})`),
    set('mp', `(v128.or ${get('mp')} (v128.and ${input} ${f32x4(-0)}))`),
    set('ms', mul(input, input)),
    ...poly,
    set('ma', add(input, mul(mul(input, get('ms')), get('ma')))),
    set(
      out,
      `(v128.bitselect ${get('ma')} ${get('mp')} (f32x4.lt (f32x4.abs ${input}) ${f32x4(0.25)}))`,
    ),
  ].join('\n    ');
}
