/**
 * Vector math on four float32 lanes, as WAT templates that kernels inline
 * (V8 does not inline wasm calls): exp, the logistic function, tanh and
 * softplus. The one vectorized exponential of the toolkit: @x/tensor's
 * elementwise and row kernels, @x/attention's online softmax and @x/ssm's
 * selective scan all inline `vexp`.
 *
 * exp (Cephes `expf`; Muller, "Elementary Functions", 2016, ch. 11): x is
 * clamped to [-104, hi], n = nearest(x log2 e), r = x - n ln2 with ln2 split
 * into a part exact in float32 and a remainder (Cody-Waite), so |r| <= ln2 / 2;
 * e^r = 1 + r + r^2 P(r) with Cephes' degree-5 minimax P; the result is
 * scaled by 2^n built from exponent bits. Relative error about 1e-7 (under
 * 2 ulp) on the normal range. NaN propagates. Options choose what the ends
 * do:
 * - `underflow: 'gradual'` (default) rounds through the subnormals to 0
 *   (e^-104 and -Infinity give 0); `'flush'` gives exactly 0 below -87.33,
 *   where e^x leaves float32's normal range (softmax weights, decays).
 * - `overflow: 'infinity'` (default, hi = 88.8) gives Infinity past float32's
 *   range; `'clamp'` (hi = 88.3, e^88.3 = 2.1e38) keeps every result finite.
 * With both ends handled by the clamp and the flush, 2^n is one factor (n
 * in [-126, 127]); otherwise two, 2^(n >> 1) 2^(n - (n >> 1)), so the result
 * passes exactly through the subnormals and overflows to Infinity instead of
 * wrapping: three more instructions per vector.
 * - `constants: 'locals'` reads the constants from locals set once per call
 *   (`mathConstants()`) instead of `v128.const` in the loop body: V8 does not
 *   hoist v128 constants out of loops, which cost the selective scan ~10%.
 *
 * tanh: odd Taylor series through x^9 for |x| < 0.25, else
 * sign(x) (1 - e) / (1 + e) with e = exp(-2|x|). softplus (PyTorch's
 * definition without the threshold): max(x, 0) + log1p(exp(-|x|)), log1p(t)
 * = log(1 + t) t / ((1 + t) - 1) (Goldberg's trick, exact for tiny t), log
 * on [1, 2] as 2 atanh((m - 1) / (m + 1)) by its series to s^9 after halving
 * m above sqrt 2.
 */
import { f32x4, get, madd, set } from './wat.js';

/** The v128 scratch locals `vexp`, `vsigmoid` and `vtanh` use: declare them in every function that inlines one. */
export const MATH_LOCALS = ['mx', 'mf', 'mr', 'mp', 'mn', 'ma', 'ms'] as const;

/** The extra v128 scratch locals of `vsoftplus` (besides `MATH_LOCALS`). */
export const SOFTPLUS_LOCALS = ['st', 'sq', 'su', 'sd', 'sm', 'sw', 'ss', 'sz', 'sl'] as const;

/** How `vexp` treats the ends of the range and where its constants live (see the file header). */
export interface MathOptions {
  /** Relaxed-SIMD fused multiply-adds in the polynomials. @default false */
  readonly fma?: boolean;
  /** @default 'gradual' */
  readonly underflow?: 'gradual' | 'flush';
  /** @default 'infinity' */
  readonly overflow?: 'infinity' | 'clamp';
  /** @default 'inline' */
  readonly constants?: 'inline' | 'locals';
}

/** Cephes expf coefficients of P, highest degree first (e^r = 1 + r + r^2 P(r)). */
const EXP_POLY = [
  '1.9875691500e-4',
  '1.3981999507e-3',
  '8.3334519073e-3',
  '4.1665795894e-2',
  '1.6666665459e-1',
  '5.0000001201e-1',
];

/** Below this, e^x is under float32's smallest normal number (`underflow: 'flush'` gives 0). */
const FLUSH_BELOW = '-87.33';

/** The constants by name (f32x4 unless noted). */
function constantValues(overflow: 'infinity' | 'clamp'): Record<string, string> {
  return {
    lo: f32x4(-104),
    hi: f32x4(overflow === 'clamp' ? '88.3' : '88.8'),
    log2e: f32x4('1.44269504088896341'),
    ln2hi: f32x4('0.693359375'),
    ln2lo: f32x4('-2.12194440e-4'),
    one: f32x4(1),
    flush: f32x4(FLUSH_BELOW),
    bias: '(v128.const i32x4 127 127 127 127)',
    ...Object.fromEntries(EXP_POLY.map((c, i) => [`p${i}`, f32x4(c)])),
  };
}

/** Declarations of the constant locals (for `constants: 'locals'`). */
export function mathConstantLocals(): string {
  return Object.keys(constantValues('infinity'))
    .map((name) => `(local $mk_${name} v128)`)
    .join(' ');
}

/**
 * Statements that set the constant locals, once per call before the loops
 * (for `constants: 'locals'`; `overflow` must match the `vexp` calls).
 */
export function mathConstants(options: MathOptions = {}): string {
  return Object.entries(constantValues(options.overflow ?? 'infinity'))
    .map(([name, value]) => set(`mk_${name}`, value))
    .join('\n    ');
}

function constant(options: MathOptions): (name: string) => string {
  if (options.constants === 'locals') return (name) => get(`mk_${name}`);
  const values = constantValues(options.overflow ?? 'infinity');
  return (name) => values[name]!;
}

const mul = (a: string, b: string) => `(f32x4.mul ${a} ${b})`;
const add = (a: string, b: string) => `(f32x4.add ${a} ${b})`;
const sub = (a: string, b: string) => `(f32x4.sub ${a} ${b})`;

/**
 * Statements: `out = exp(input)` lane-wise (scratch: `MATH_LOCALS` except
 * `ms`; `out` may be any v128 local, `ms` included).
 * @param out - the local to write
 * @param input - a v128 expression (read once)
 * @param options - fma, the range ends, where the constants live
 */
export function vexp(out: string, input: string, options: MathOptions = {}): string {
  const k = constant(options);
  const fma = options.fma ?? false;
  const horner = [set('mp', k('p0'))];
  for (let i = 1; i < EXP_POLY.length; i++)
    horner.push(set('mp', madd(fma, get('mp'), get('mr'), k(`p${i}`))));
  const scale = (exponent: string) =>
    `(i32x4.shl (i32x4.add ${exponent} ${k('bias')}) (i32.const 23))`;
  const steps = [
    // pmax / pmin are single instructions and keep a NaN x (the comparisons are false)
    set('mx', `(f32x4.pmin (f32x4.pmax ${input} ${k('lo')}) ${k('hi')})`),
    set('mf', `(f32x4.nearest ${mul(get('mx'), k('log2e'))})`),
    set('mr', sub(sub(get('mx'), mul(get('mf'), k('ln2hi'))), mul(get('mf'), k('ln2lo')))),
    ...horner,
    // 1 + r + r^2 P(r)
    set('mp', add(madd(fma, mul(get('mp'), get('mr')), get('mr'), get('mr')), k('one'))),
    set('mn', `(i32x4.trunc_sat_f32x4_s ${get('mf')})`),
  ];
  if (options.underflow === 'flush' && options.overflow === 'clamp') {
    // n in [-126, 127] wherever the result is kept: one factor
    steps.push(set(out, mul(get('mp'), scale(get('mn')))));
  } else {
    // 2^n as 2^(n >> 1) * 2^(n - (n >> 1)): both exponents stay in the normal range
    steps.push(
      set('ma', `(i32x4.shr_s ${get('mn')} (i32.const 1))`),
      set('mn', `(i32x4.sub ${get('mn')} ${get('ma')})`),
      set('mp', mul(get('mp'), scale(get('ma')))),
      set(out, mul(get('mp'), scale(get('mn')))),
    );
  }
  if (options.underflow === 'flush')
    steps.push(set(out, `(v128.andnot ${get(out)} (f32x4.lt ${get('mx')} ${k('flush')}))`));
  return steps.join('\n    ');
}

/** Statements: `out = 1 / (1 + exp(-input))` lane-wise (scratch: `MATH_LOCALS`). */
export function vsigmoid(out: string, input: string, options: MathOptions = {}): string {
  const k = constant(options);
  return [
    vexp('ms', `(f32x4.neg ${input})`, options),
    set(out, `(f32x4.div ${k('one')} ${add(k('one'), get('ms'))})`),
  ].join('\n    ');
}

/** Statements: `out = tanh(input)` lane-wise (`input` is read several times: pass a local). */
export function vtanh(out: string, input: string, options: MathOptions = {}): string {
  const fma = options.fma ?? false;
  const series = [62 / 2835, -17 / 315, 2 / 15, -1 / 3];
  const poly = [set('ma', f32x4(series[0]!))];
  for (const c of series.slice(1)) poly.push(set('ma', add(mul(get('ma'), get('ms')), f32x4(c))));
  return [
    vexp('mp', `(f32x4.mul (f32x4.abs ${input}) ${f32x4(-2)})`, { ...options, fma }),
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

/**
 * Statements: `out = softplus(input)` lane-wise, max(x, 0) + log1p(exp(-|x|))
 * (scratch: `MATH_LOCALS` and `SOFTPLUS_LOCALS`; `input` is read twice: pass a local).
 */
export function vsoftplus(out: string, input: string, options: MathOptions = {}): string {
  const k = constant(options);
  const series = ['0.11111111111', '0.14285714286', '0.2', '0.33333333333'];
  let p = f32x4(series[0]!);
  for (const c of series.slice(1)) p = add(mul(p, get('sz')), f32x4(c));
  return [
    vexp('st', `(f32x4.neg (f32x4.abs ${input}))`, options),
    set('sq', `(f32x4.pmax ${input} ${f32x4(0)})`),
    set('su', add(get('st'), k('one'))),
    set('sd', sub(get('su'), k('one'))),
    // log(su) for su in [1, 2]: halve above sqrt 2, then 2 atanh((m - 1) / (m + 1))
    set('sw', `(f32x4.gt ${get('su')} ${f32x4('1.41421356')})`),
    set('sm', `(v128.bitselect ${mul(get('su'), f32x4(0.5))} ${get('su')} ${get('sw')})`),
    set('ss', `(f32x4.div ${sub(get('sm'), k('one'))} ${add(get('sm'), k('one'))})`),
    set('sz', mul(get('ss'), get('ss'))),
    set('sl', mul(mul(get('ss'), f32x4(2)), add(mul(p, get('sz')), k('one')))),
    set('sl', add(get('sl'), `(v128.and ${get('sw')} ${f32x4('0.693147180560')})`)),
    // log1p(t) = log(1 + t) t / ((1 + t) - 1), and t itself where 1 + t rounds to 1
    set(
      out,
      add(
        get('sq'),
        `(v128.bitselect ${get('st')} (f32x4.div ${mul(get('sl'), get('st'))} ${get('sd')}) (f32x4.eq ${get('sd')} ${f32x4(0)}))`,
      ),
    ),
  ].join('\n    ');
}
