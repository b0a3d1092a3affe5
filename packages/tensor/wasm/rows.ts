/**
 * Row kernels over contiguous float32 rows (WAT templates): reductions of each
 * row (sum, max, min), softmax / log-softmax, layer norm and RMS norm over the
 * last axis. Shapes: x and out [rows, cols] contiguous; weight and bias
 * [cols] contiguous or the null pointer 0.
 *
 * Sums (row sums, softmax denominators, norm statistics) accumulate in float64
 * (`f64x2.promote_low_f32x4` of both halves), like the js reference, so long
 * rows lose no accuracy; the per-element work stays in float32 SIMD.
 * Softmax subtracts the row maximum (Goodfellow et al., Deep Learning, 4.1)
 * and an all -Infinity row uses 0 as its maximum (NaN results, as the
 * definition). Log-softmax is (x - max) - log(sum), so large inputs keep
 * their accuracy (x - max is exact near the maximum). Layer norm (Ba et al. 2016) uses the two-pass mean and biased
 * variance; RMS norm (Zhang & Sennrich 2019) the mean square.
 */
import {
  bump,
  f32x4,
  get,
  i32,
  locals,
  MATH_LOCALS,
  set,
  vexp,
  type WatOptions,
} from '../../../scripts/wasm/index.js';

const HIGH = 'i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7';

/**
 * Statements: the float64 sum over the row at `p` (cols floats) into `sum` of
 * `value(x)` (float32 lanes), each promoted half optionally centred on the
 * f64x2 local `c` and squared first (`centred`: the variance pass).
 */
function rowSum(value: (vector: string) => string, centred = false): string {
  const half = (promoted: string) =>
    centred
      ? `${set('h', `(f64x2.sub ${promoted} ${get('c')})`)} ${set('h', `(f64x2.mul ${get('h')} ${get('h')})`)}`
      : set('h', promoted);
  return `
    ${set('s0', '(f64x2.splat (f64.const 0))')} ${set('s1', '(f64x2.splat (f64.const 0))')}
    ${set('q', get('p'))}
    (if (i32.lt_u ${get('q')} ${get('vend')}) (then (loop $sum
      ${set('v', value(`(v128.load ${get('q')})`))}
      ${half(`(f64x2.promote_low_f32x4 ${get('v')})`)}
      ${set('s0', `(f64x2.add ${get('s0')} ${get('h')})`)}
      ${half(`(f64x2.promote_low_f32x4 (${HIGH} ${get('v')} ${get('v')}))`)}
      ${set('s1', `(f64x2.add ${get('s1')} ${get('h')})`)}
      ${bump('q', 16)}
      (br_if $sum (i32.lt_u ${get('q')} ${get('vend')})))))
    ${set('s0', `(f64x2.add ${get('s0')} ${get('s1')})`)}
    (block $done (loop $tail
      (br_if $done (i32.ge_u ${get('q')} ${get('end')}))
      ${set('v', value(`(v128.load32_splat ${get('q')})`))}
      ${half(`(f64x2.promote_low_f32x4 ${get('v')})`)}
      ${set('s0', `(f64x2.add ${get('s0')} (v128.and ${get('h')} (v128.const i64x2 -1 0)))`)}
      ${bump('q', 4)}
      (br $tail)))
    ${set('sum', `(f64.add (f64x2.extract_lane 0 ${get('s0')}) (f64x2.extract_lane 1 ${get('s0')}))`)}`;
}

/**
 * Statements: the max (or min) of the row at `p` into the f32 local `m`, NaN
 * when the row holds one. The running extreme uses `f32x4.pmax` / `pmin` (one
 * instruction, keeping the first of equal values as the reference does) and
 * NaNs are or-ed into a separate mask: the NaN-propagating `f32x4.max` is a
 * long instruction sequence on x64 and made this loop latency-bound.
 */
function rowExtreme(kind: 'max' | 'min'): string {
  const start = kind === 'max' ? -Infinity : Infinity;
  const pick = kind === 'max' ? 'pmax' : 'pmin';
  const better = (x: string) =>
    kind === 'max' ? `(f32.lt ${get('m')} ${x})` : `(f32.lt ${x} ${get('m')})`;
  return `
    ${set('v', f32x4(start))} ${set('h', '(v128.const i32x4 0 0 0 0)')}
    ${set('q', get('p'))}
    (if (i32.lt_u ${get('q')} ${get('vend')}) (then (loop $ext
      ${set('y', `(v128.load ${get('q')})`)}
      ${set('v', `(f32x4.${pick} ${get('v')} ${get('y')})`)}
      ${set('h', `(v128.or ${get('h')} (f32x4.ne ${get('y')} ${get('y')}))`)}
      ${bump('q', 16)}
      (br_if $ext (i32.lt_u ${get('q')} ${get('vend')})))))
    ${set('m', `(f32x4.extract_lane 0 ${get('v')})`)}
    ${[1, 2, 3]
      .map(
        (lane) =>
          `(if ${better(`(f32x4.extract_lane ${lane} ${get('v')})`)} (then ${set('m', `(f32x4.extract_lane ${lane} ${get('v')})`)}))`,
      )
      .join(' ')}
    (block $done (loop $tail
      (br_if $done (i32.ge_u ${get('q')} ${get('end')}))
      ${set('mu', `(f32.load ${get('q')})`)}
      (if ${better(get('mu'))} (then ${set('m', get('mu'))}))
      (if (f32.ne ${get('mu')} ${get('mu')}) (then ${set('h', '(v128.const i32x4 -1 -1 -1 -1)')}))
      ${bump('q', 4)}
      (br $tail)))
    (if (v128.any_true ${get('h')}) (then ${set('m', '(f32.const nan)')}))`;
}

/** Statements: `out[j] = f(x[j])` over the row (x at `p`, out at `d`), vector then one-lane tail. */
function rowMap(body: (x: string, load: string) => string): string {
  return `
    ${set('q', get('p'))} ${set('t', get('d'))} ${set('j', i32(0))}
    (block $done (loop $map
      (br_if $done (i32.ge_u ${get('q')} ${get('vend')}))
      ${set('v', `(v128.load ${get('q')})`)}
      ${body(get('v'), 'v128.load')}
      (v128.store ${get('t')} ${get('y')})
      ${bump('q', 16)} ${bump('t', 16)} ${bump('j', 16)}
      (br $map)))
    (block $done (loop $maptail
      (br_if $done (i32.ge_u ${get('q')} ${get('end')}))
      ${set('v', `(v128.load32_splat ${get('q')})`)}
      ${body(get('v'), 'v128.load32_splat')}
      (f32.store ${get('t')} (f32x4.extract_lane 0 ${get('y')}))
      ${bump('q', 4)} ${bump('t', 4)} ${bump('j', 4)}
      (br $maptail)))`;
}

/** A function over rows: the prologue sets `p` (row start), `d` (out row), `vend`, `end`. */
function overRows(name: string, params: string, body: string): string {
  return `
  (func (export "${name}") (param $x i32) (param $o i32) (param $rows i32) (param $cols i32) ${params}
    ${locals('i32', 'r', 'p', 'd', 'q', 't', 'j', 'vend', 'end')}
    ${locals('v128', 'v', 'y', 's0', 's1', 'h', 'c', ...MATH_LOCALS)} ${locals('f64', 'sum', 'mean', 'scale')}
    ${locals('f32', 'm', 'mu', 'sf')}
    (block $rowsdone (loop $rowloop
      (br_if $rowsdone (i32.ge_s ${get('r')} ${get('rows')}))
      ${set('p', `(i32.add ${get('x')} (i32.shl (i32.mul ${get('r')} ${get('cols')}) ${i32(2)}))`)}
      ${set('d', `(i32.add ${get('o')} (i32.shl (i32.mul ${get('r')} ${get('cols')}) ${i32(2)}))`)}
      ${set('end', `(i32.add ${get('p')} (i32.shl ${get('cols')} ${i32(2)}))`)}
      ${set('vend', `(i32.add ${get('p')} (i32.shl (i32.and ${get('cols')} ${i32(-4)}) ${i32(2)}))`)}
      ${body}
      ${bump('r', 1)}
      (br $rowloop))))`;
}

const store = (value: string) =>
  `(f32.store (i32.add ${get('o')} (i32.shl ${get('r')} ${i32(2)})) ${value})`;

const reductions = `
  ${overRows('row_sum', '', `${rowSum((v) => v)} ${store(`(f32.demote_f64 ${get('sum')})`)}`)}
  ${overRows('row_max', '', `${rowExtreme('max')} ${store(get('m'))}`)}
  ${overRows('row_min', '', `${rowExtreme('min')} ${store(get('m'))}`)}`;

/** Statements: out = exp(x - m) over the row, summed in float64 into `sum`. */
const expPass = (fma: boolean) => `
    ${set('c', `(f32x4.splat ${get('m')})`)}
    ${set('s0', '(f64x2.splat (f64.const 0))')} ${set('s1', '(f64x2.splat (f64.const 0))')}
    ${set('q', get('p'))} ${set('t', get('d'))}
    (block $done (loop $exps
      (br_if $done (i32.ge_u ${get('q')} ${get('vend')}))
      ${vexp('y', `(f32x4.sub (v128.load ${get('q')}) ${get('c')})`, { fma })}
      (v128.store ${get('t')} ${get('y')})
      ${set('s0', `(f64x2.add ${get('s0')} (f64x2.promote_low_f32x4 ${get('y')}))`)}
      ${set('s1', `(f64x2.add ${get('s1')} (f64x2.promote_low_f32x4 (${HIGH} ${get('y')} ${get('y')})))`)}
      ${bump('q', 16)} ${bump('t', 16)}
      (br $exps)))
    ${set('sum', `(f64.add (f64.add (f64x2.extract_lane 0 ${get('s0')}) (f64x2.extract_lane 1 ${get('s0')})) (f64.add (f64x2.extract_lane 0 ${get('s1')}) (f64x2.extract_lane 1 ${get('s1')})))`)}
    (block $done (loop $exptail
      (br_if $done (i32.ge_u ${get('q')} ${get('end')}))
      ${vexp('y', `(f32x4.sub (v128.load32_splat ${get('q')}) ${get('c')})`, { fma })}
      (f32.store ${get('t')} (f32x4.extract_lane 0 ${get('y')}))
      ${set('sum', `(f64.add ${get('sum')} (f64.promote_f32 (f32x4.extract_lane 0 ${get('y')})))`)}
      ${bump('q', 4)} ${bump('t', 4)}
      (br $exptail)))`;

/** Statements: out[j] *= s over the row (out at `d`). */
const scalePass = `
    ${set('t', get('d'))}
    ${set('y', `(f32x4.splat ${get('mu')})`)}
    ${set('j', `(i32.add ${get('d')} (i32.sub ${get('vend')} ${get('p')}))`)}
    (block $done (loop $scale
      (br_if $done (i32.ge_u ${get('t')} ${get('j')}))
      (v128.store ${get('t')} (f32x4.mul (v128.load ${get('t')}) ${get('y')}))
      ${bump('t', 16)}
      (br $scale)))
    ${set('j', `(i32.add ${get('d')} (i32.sub ${get('end')} ${get('p')}))`)}
    (block $done (loop $scaletail
      (br_if $done (i32.ge_u ${get('t')} ${get('j')}))
      (f32.store ${get('t')} (f32.mul (f32.load ${get('t')}) ${get('mu')}))
      ${bump('t', 4)}
      (br $scaletail)))`;

const softmax = (fma: boolean) =>
  overRows(
    'softmax_rows',
    '(param $log i32)',
    `${rowExtreme('max')}
      (if (f32.eq ${get('m')} (f32.const -inf)) (then ${set('m', '(f32.const 0)')}))
      ${expPass(fma)}
      (if ${get('log')}
        (then
          ${set('mu', `(f32.demote_f64 (call $log ${get('sum')}))`)}
          ${rowMap((v) => set('y', `(f32x4.sub (f32x4.sub ${v} ${get('c')}) (f32x4.splat ${get('mu')}))`))})
        (else
          ${set('mu', `(f32.demote_f64 (f64.div (f64.const 1) ${get('sum')}))`)}
          ${scalePass}))`,
  );

/** Statements: y = y * w[j] (+ b[j]) when the pointers are set. */
const affine = (withBias: boolean, load: string) => `
      (if ${get('w')} (then ${set('y', `(f32x4.mul ${get('y')} (${load} (i32.add ${get('w')} ${get('j')})))`)}))
      ${withBias ? `(if ${get('b')} (then ${set('y', `(f32x4.add ${get('y')} (${load} (i32.add ${get('b')} ${get('j')})))`)}))` : ''}`;

const layerNorm = overRows(
  'layernorm_rows',
  '(param $w i32) (param $b i32) (param $eps f64)',
  `${rowSum((v) => v)}
      ${set('mean', `(f64.div ${get('sum')} (f64.convert_i32_s ${get('cols')}))`)}
      ${set('c', `(f64x2.splat ${get('mean')})`)}
      ${rowSum((v) => v, true)}
      ${set('scale', `(f64.div (f64.const 1) (f64.sqrt (f64.add (f64.div ${get('sum')} (f64.convert_i32_s ${get('cols')})) ${get('eps')})))`)}
      ${set('mu', `(f32.demote_f64 ${get('mean')})`)} ${set('sf', `(f32.demote_f64 ${get('scale')})`)}
      ${rowMap((v, load) => `${set('y', `(f32x4.mul (f32x4.sub ${v} (f32x4.splat ${get('mu')})) (f32x4.splat ${get('sf')}))`)} ${affine(true, load)}`)}`,
);

const rmsNorm = overRows(
  'rmsnorm_rows',
  '(param $w i32) (param $eps f64)',
  `${set('c', '(f64x2.splat (f64.const 0))')} ${rowSum((v) => v, true)}
      ${set('sf', `(f32.demote_f64 (f64.div (f64.const 1) (f64.sqrt (f64.add (f64.div ${get('sum')} (f64.convert_i32_s ${get('cols')})) ${get('eps')}))))`)}
      ${rowMap((v, load) => `${set('y', `(f32x4.mul ${v} (f32x4.splat ${get('sf')}))`)} ${affine(false, load)}`)}`,
);

/**
 * The row functions of the module.
 * @param options - whether the vector math uses relaxed-SIMD FMA
 * @returns WAT module fields
 */
export function rowsWat(options: WatOptions): string {
  return [reductions, softmax(options.fma), layerNorm, rmsNorm].join('\n');
}
