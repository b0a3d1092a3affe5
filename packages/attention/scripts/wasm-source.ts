/**
 * The WebAssembly SIMD kernels of @x/attention, as WebAssembly text (WAT)
 * built from small templates (the unrolled 4 x 8 register block would be
 * error-prone to write by hand). `scripts/generate-wasm.ts` compiles it with
 * wabt (an npm devDependency) into `src/kernels/wasm/wasm-bytes.generated.ts`,
 * and a test recompiles it and checks the committed bytes match;
 * `npm run generate:wasm -w @x/attention -- --print` prints the WAT.
 *
 * float32 only. Every pointer is a byte offset into the module's memory,
 * every stride a count of float32 elements. The JS driver
 * (`src/kernels/wasm/`) lays the operands out so that the vector loops need
 * no scalar tails: vector operands have rows padded to a multiple of 8
 * floats (zero-filled), and tile row counts are rounded up to 4.
 *
 * Exports:
 * - `gemm`: C (+)= alpha * A B for A [rows, depth] (read one float at a
 *   time, `v128.load32_splat`) and B [depth, cols] (read as f32x4 rows).
 *   Register block: 4 rows x 8 columns (8 f32x4 accumulators, 2 B vectors,
 *   1 broadcast A value: 11 of the 16 xmm registers), so each step of the
 *   contraction does 2 vector loads + 4 broadcasts for 16 vector
 *   multiply-adds. rows % 4 == 0, cols % 8 == 0. The causal limits of the
 *   js `gemmNT` carry over: rows [r, r + 4) compute columns below
 *   colLimit + r + 3 only (rounded up to 8) and contract t below
 *   depthLimit + r + 3.
 * - `softmax_rows`: one online-softmax step (FlashAttention-2, Algorithm 1)
 *   on a score tile: per row, the running max m and sum l, the rescale of
 *   the output row by exp(m_old - m_new), and the scores overwritten by
 *   exp(S - m_new); row r keeps columns below diag + r (the causal diagonal).
 * - `exp_rows`: the backward pass's P^T = exp(S^T - L) on a transposed
 *   tile (L varies along the row, one value per query), zero for queries
 *   r < c + shift (above the causal diagonal) and for rows past `rows`.
 * - `ds_rows`: dS^T = P^T * (dP^T - D) in place.
 * - `linear_forward`: causal linear attention of one kv head and its query
 *   heads by the running prefix sum of `src/kernels/linear-scan.ts`: per
 *   key, z += phiK_j and the rank-1 update S += phiK_j v_j^T (f32x4 over
 *   the value axis), then for the query at that position
 *   out = (phiQ_i^T S) / (phiQ_i . z + eps). float32 state.
 *
 * The exponential is Cephes' `expf` on four lanes: n = round(x log2 e),
 * r = x - n ln 2 (ln 2 split in two for exactness), a degree-5 minimax
 * polynomial for exp(r) - 1 - r, scaled by 2^n through the exponent bits.
 * Relative error below 2 ulp on [-87.3, 88.7]; inputs below -87.3
 * (including -Infinity) give exactly 0, inputs above 88.7 are clamped.
 */

const NEG_INF = '-inf';

const f32x4 = (literal: string) => `(v128.const f32x4 ${literal} ${literal} ${literal} ${literal})`;
const get = (name: string) => `(local.get $${name})`;
const set = (name: string, value: string) => `(local.set $${name} ${value})`;
const add = (x: string, y: string) => `(i32.add ${x} ${y})`;
const mul = (x: string, y: string) => `(i32.mul ${x} ${y})`;
const vadd = (x: string, y: string) => `(f32x4.add ${x} ${y})`;
const vmul = (x: string, y: string) => `(f32x4.mul ${x} ${y})`;
const load = (address: string, offset = 0) => `(v128.load offset=${offset} ${address})`;
const store = (address: string, value: string, offset = 0) =>
  `(v128.store offset=${offset} ${address} ${value})`;

/** `for (name = from; name < to; name += step) body` with a signed bound. */
function loop(name: string, from: string, to: string, step: number, body: string): string {
  return `${set(name, from)}
    (block $${name}_done
      (loop $${name}_next
        (br_if $${name}_done (i32.ge_s ${get(name)} ${to}))
        ${body}
        ${set(name, add(get(name), `(i32.const ${step})`))}
        (br $${name}_next)))`;
}

/** Statements: `out` = exp(`input`) on four lanes (uses locals $ex, $en, $er). */
function exp4(input: string, out: string): string {
  const poly = [
    '1.9875691500e-4',
    '1.3981999507e-3',
    '8.3334519073e-3',
    '4.1665795894e-2',
    '1.6666665459e-1',
    '5.0000001201e-1',
  ];
  let p = f32x4(poly[0]!);
  for (const c of poly.slice(1)) p = vadd(vmul(p, get('er')), f32x4(c));
  return [
    set('ex', input),
    // clamp (NaN-free inputs: the ops reject NaN before the kernels run)
    set('er', `(f32x4.pmax (f32x4.pmin ${get('ex')} ${f32x4('88.72')}) ${f32x4('-87.33')})`),
    set('en', `(f32x4.nearest ${vmul(get('er'), f32x4('1.44269504089'))})`),
    set('er', `(f32x4.sub ${get('er')} ${vmul(get('en'), f32x4('0.693359375'))})`),
    set('er', `(f32x4.sub ${get('er')} ${vmul(get('en'), f32x4('-2.12194440e-4'))})`),
    set(out, vadd(vadd(vmul(p, vmul(get('er'), get('er'))), get('er')), f32x4('1.0'))),
    set(
      'en',
      `(i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s ${get('en')}) (v128.const i32x4 127 127 127 127)) (i32.const 23))`,
    ),
    set(out, vmul(get(out), get('en'))),
    // below the clamp (and -Infinity): exactly 0
    set(out, `(v128.and ${get(out)} (f32x4.ge ${get('ex')} ${f32x4('-87.33')}))`),
  ].join('\n        ');
}

const EXP_LOCALS = '(local $ex v128) (local $en v128) (local $er v128)';

/** Horizontal reduction of a v128 local with a scalar f32 op (`f32.max`, `f32.add`). */
const reduce = (op: string, v: string) =>
  `(${op} (${op} (f32x4.extract_lane 0 ${get(v)}) (f32x4.extract_lane 1 ${get(v)})) (${op} (f32x4.extract_lane 2 ${get(v)}) (f32x4.extract_lane 3 ${get(v)})))`;

function gemm(): string {
  const rowsOf = [0, 1, 2, 3];
  const acc = (r: number, half: number) => `c${r}${half}`;
  const accLocals = rowsOf.map((r) => `(local $c${r}0 v128) (local $c${r}1 v128)`).join(' ');
  const zero = rowsOf
    .flatMap((r) => [0, 1].map((h) => set(acc(r, h), f32x4('0'))))
    .join('\n          ');
  const step = rowsOf
    .map((r) => {
      const splat = set('va', `(v128.load32_splat ${get(`pa${r}`)})`);
      const fma = [0, 1]
        .map((h) => set(acc(r, h), vadd(get(acc(r, h)), vmul(get('va'), get(`b${h}`)))))
        .join('\n            ');
      return `${splat}\n            ${fma}\n            ${set(`pa${r}`, add(get(`pa${r}`), '(i32.const 4)'))}`;
    })
    .join('\n            ');
  const writeBack = rowsOf
    .flatMap((r) =>
      [0, 1].map((h) => {
        const address = add(get('pc'), mul(`(i32.const ${r})`, get('ldc')));
        const scaled = vmul(get('al'), get(acc(r, h)));
        return `(if ${get('acc')}
            (then ${store(address, vadd(load(address, h * 16), scaled), h * 16)})
            (else ${store(address, scaled, h * 16)}))`;
      }),
    )
    .join('\n          ');
  const depthBody = `${set('b0', load(get('pb')))}
            ${set('b1', load(get('pb'), 16))}
            ${step}
            ${set('pb', add(get('pb'), get('ldb')))}`;
  const columnBody = `${zero}
          ${set('pa0', add(get('a'), mul(get('r'), get('lda'))))}
          ${set('pa1', add(get('pa0'), get('lda')))}
          ${set('pa2', add(get('pa1'), get('lda')))}
          ${set('pa3', add(get('pa2'), get('lda')))}
          ${set('pb', add(get('b'), mul(get('j'), '(i32.const 4)')))}
          ${loop('t', '(i32.const 0)', get('depthEnd'), 1, depthBody)}
          ${set('pc', add(add(get('c'), mul(get('r'), get('ldc'))), mul(get('j'), '(i32.const 4)')))}
          ${writeBack}`;
  const clamp = (value: string, high: string) =>
    `(select (i32.const 0) (select ${value} ${high} (i32.lt_s ${value} ${high})) (i32.lt_s ${value} (i32.const 0)))`;
  const rowBody = `${set(
    'colEnd',
    clamp(
      `(i32.and ${add(get('colLimit'), add(get('r'), '(i32.const 10)'))} (i32.const -8))`,
      get('cols'),
    ),
  )}
        ${set('depthEnd', clamp(add(get('depthLimit'), add(get('r'), '(i32.const 3)')), get('depth')))}
        ${loop('j', '(i32.const 0)', get('colEnd'), 8, columnBody)}`;
  return `
  (func (export "gemm")
    (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32)
    (param $rows i32) (param $cols i32) (param $depth i32) (param $alpha f32) (param $acc i32)
    (param $colLimit i32) (param $depthLimit i32)
    (local $r i32) (local $j i32) (local $t i32) (local $colEnd i32) (local $depthEnd i32)
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb i32) (local $pc i32)
    (local $va v128) (local $b0 v128) (local $b1 v128) (local $al v128) ${accLocals}
    ${set('lda', mul(get('lda'), '(i32.const 4)'))}
    ${set('ldb', mul(get('ldb'), '(i32.const 4)'))}
    ${set('ldc', mul(get('ldc'), '(i32.const 4)'))}
    ${set('al', `(f32x4.splat ${get('alpha')})`)}
    ${loop('r', '(i32.const 0)', get('rows'), 4, rowBody)})`;
}

function softmaxRows(): string {
  const at = (base: string, index: string) => add(get(base), mul(get(index), '(i32.const 4)'));
  const body = `${set('ps', add(get('s'), mul(get('r'), get('lds'))))}
        ${set('valid', add(get('diag'), get('r')))}
        ${set('valid', `(select ${get('valid')} ${get('cols')} (i32.lt_s ${get('valid')} ${get('cols')}))`)}
        ${set('valid', `(select (i32.const 0) ${get('valid')} (i32.lt_s ${get('valid')} (i32.const 0)))`)}
        ${loop('c', get('valid'), get('cols4'), 1, `(f32.store ${at('ps', 'c')} (f32.const ${NEG_INF}))`)}
        ${set('old', `(f32.load ${at('m', 'r')})`)}
        ${set('vmax', `(f32x4.splat ${get('old')})`)}
        ${loop('c', '(i32.const 0)', get('cols4'), 4, set('vmax', `(f32x4.pmax ${get('vmax')} ${load(at('ps', 'c'))})`))}
        ${set('max', reduce('f32.max', 'vmax'))}
        (if (f32.eq ${get('max')} (f32.const ${NEG_INF}))
          (then
            ${loop('c', '(i32.const 0)', get('cols4'), 4, store(at('ps', 'c'), f32x4('0')))}
            (br $r_continue)))
        ${exp4(`(f32x4.splat (f32.sub ${get('old')} ${get('max')}))`, 'e')}
        ${set('alpha', `(f32x4.extract_lane 0 ${get('e')})`)}
        (f32.store ${at('m', 'r')} ${get('max')})
        ${set('vmax', `(f32x4.splat ${get('max')})`)}
        ${set('vsum', f32x4('0'))}
        ${loop(
          'c',
          '(i32.const 0)',
          get('cols4'),
          4,
          `${exp4(`(f32x4.sub ${load(at('ps', 'c'))} ${get('vmax')})`, 'e')}
        ${store(at('ps', 'c'), get('e'))}
        ${set('vsum', vadd(get('vsum'), get('e')))}`,
        )}
        (f32.store ${at('l', 'r')} (f32.add (f32.mul (f32.load ${at('l', 'r')}) ${get('alpha')}) ${reduce('f32.add', 'vsum')}))
        (if (f32.ne ${get('alpha')} (f32.const 1))
          (then
            ${set('po', add(get('o'), mul(get('r'), get('ldo'))))}
            ${set('e', `(f32x4.splat ${get('alpha')})`)}
            ${loop('c', '(i32.const 0)', get('width'), 4, store(at('po', 'c'), vmul(load(at('po', 'c')), get('e'))))}))`;
  return `
  (func (export "softmax_rows")
    (param $s i32) (param $lds i32) (param $rows i32) (param $cols i32) (param $diag i32)
    (param $m i32) (param $l i32) (param $o i32) (param $ldo i32) (param $width i32)
    (local $r i32) (local $c i32) (local $cols4 i32) (local $valid i32) (local $ps i32) (local $po i32)
    (local $old f32) (local $max f32) (local $alpha f32)
    (local $vmax v128) (local $vsum v128) (local $e v128) ${EXP_LOCALS}
    ${set('lds', mul(get('lds'), '(i32.const 4)'))}
    ${set('ldo', mul(get('ldo'), '(i32.const 4)'))}
    ${set('cols4', `(i32.and ${add(get('cols'), '(i32.const 3)')} (i32.const -4))`)}
    ${loop('r', '(i32.const 0)', get('rows'), 1, `(block $r_continue\n        ${body})`)})`;
}

function expRows(): string {
  const at = (base: string, index: string) => add(get(base), mul(get(index), '(i32.const 4)'));
  const lanes = '(v128.const i32x4 0 1 2 3)';
  const row = `${set('ps', add(get('s'), mul(get('c'), get('lds'))))}
        (if (i32.lt_s ${get('c')} ${get('rows')})
          (then
            ${set('first', `(i32x4.splat ${add(get('c'), get('shift'))})`)}
            ${loop(
              'r',
              '(i32.const 0)',
              get('width'),
              4,
              `${exp4(`(f32x4.sub ${load(at('ps', 'r'))} ${load(at('lrow', 'r'))})`, 'e')}
            ${store(
              at('ps', 'r'),
              `(v128.andnot ${get('e')} (i32x4.lt_s (i32x4.add ${lanes} (i32x4.splat ${get('r')})) ${get('first')}))`,
            )}`,
            )})
          (else
            ${loop('r', '(i32.const 0)', get('width'), 4, store(at('ps', 'r'), f32x4('0')))}))`;
  return `
  (func (export "exp_rows")
    (param $s i32) (param $lds i32) (param $rows i32) (param $rowsPad i32) (param $width i32)
    (param $lrow i32) (param $shift i32)
    (local $c i32) (local $r i32) (local $ps i32) (local $first v128) (local $e v128) ${EXP_LOCALS}
    ${set('lds', mul(get('lds'), '(i32.const 4)'))}
    ${loop('c', '(i32.const 0)', get('rowsPad'), 1, row)})`;
}

function dsRows(): string {
  const at = (base: string, index: string) => add(get(base), mul(get(index), '(i32.const 4)'));
  const row = `${set('pp', add(get('p'), mul(get('c'), get('ld'))))}
        ${set('pd', add(get('dp'), mul(get('c'), get('ld'))))}
        ${loop(
          'r',
          '(i32.const 0)',
          get('width'),
          4,
          store(
            at('pd', 'r'),
            vmul(
              load(at('pp', 'r')),
              `(f32x4.sub ${load(at('pd', 'r'))} ${load(at('drow', 'r'))})`,
            ),
          ),
        )}`;
  return `
  (func (export "ds_rows")
    (param $p i32) (param $dp i32) (param $ld i32) (param $rows i32) (param $width i32) (param $drow i32)
    (local $c i32) (local $r i32) (local $pp i32) (local $pd i32)
    ${set('ld', mul(get('ld'), '(i32.const 4)'))}
    ${loop('c', '(i32.const 0)', get('rows'), 1, row)})`;
}

function linearForward(): string {
  const at = (base: string, index: string) => add(get(base), mul(get(index), '(i32.const 4)'));
  const query = `${set('qr', add(get('q'), mul(add(mul(get('gi'), get('n')), get('i')), get('d4b'))))}
            ${set('or', add(get('out'), mul(add(mul(get('gi'), get('n')), get('i')), get('dv8b'))))}
            ${set('acc', f32x4('0'))}
            ${loop('x', '(i32.const 0)', get('d4'), 4, set('acc', vadd(get('acc'), vmul(load(at('qr', 'x')), load(at('z', 'x'))))))}
            ${set('den', `(f32.add ${get('eps')} ${reduce('f32.add', 'acc')})`)}
            ${loop(
              'x',
              '(i32.const 0)',
              get('d'),
              1,
              `${set('kx', `(v128.load32_splat ${at('qr', 'x')})`)}
            ${set('ps', add(get('s'), mul(get('x'), get('dv8b'))))}
            ${loop('y', '(i32.const 0)', get('dv8'), 4, store(at('or', 'y'), vadd(load(at('or', 'y')), vmul(get('kx'), load(at('ps', 'y'))))))}`,
            )}
            ${set('kx', `(f32x4.splat (f32.div (f32.const 1) ${get('den')}))`)}
            ${loop('y', '(i32.const 0)', get('dv8'), 4, store(at('or', 'y'), vmul(load(at('or', 'y')), get('kx'))))}`;
  const key = `${set('kr', add(get('k'), mul(get('j'), get('d4b'))))}
        ${set('vr', add(get('v'), mul(get('j'), get('dv8b'))))}
        ${loop('x', '(i32.const 0)', get('d4'), 4, store(at('z', 'x'), vadd(load(at('z', 'x')), load(at('kr', 'x')))))}
        ${loop(
          'x',
          '(i32.const 0)',
          get('d'),
          1,
          `${set('kx', `(v128.load32_splat ${at('kr', 'x')})`)}
        ${set('ps', add(get('s'), mul(get('x'), get('dv8b'))))}
        ${loop('y', '(i32.const 0)', get('dv8'), 4, store(at('ps', 'y'), vadd(load(at('ps', 'y')), vmul(get('kx'), load(at('vr', 'y'))))))}`,
        )}
        ${set('i', `(i32.sub ${get('j')} ${get('off')})`)}
        (if (i32.and (i32.ge_s ${get('i')} (i32.const 0)) (i32.lt_s ${get('i')} ${get('n')}))
          (then
            ${loop('gi', '(i32.const 0)', get('group'), 1, query)}))`;
  return `
  (func (export "linear_forward")
    (param $k i32) (param $v i32) (param $q i32) (param $out i32) (param $s i32) (param $z i32)
    (param $m i32) (param $n i32) (param $off i32) (param $group i32)
    (param $d i32) (param $d4 i32) (param $dv8 i32) (param $eps f32)
    (local $j i32) (local $i i32) (local $gi i32) (local $x i32) (local $y i32)
    (local $kr i32) (local $vr i32) (local $qr i32) (local $or i32) (local $ps i32)
    (local $d4b i32) (local $dv8b i32) (local $den f32) (local $kx v128) (local $acc v128)
    ${set('d4b', mul(get('d4'), '(i32.const 4)'))}
    ${set('dv8b', mul(get('dv8'), '(i32.const 4)'))}
    ${loop('j', '(i32.const 0)', get('m'), 1, key)})`;
}

/**
 * The whole module as WebAssembly text.
 * @returns the WAT source
 */
export function wasmSource(): string {
  return `;; Generated from packages/attention/scripts/wasm-source.ts. Do not edit.
(module
  (memory (export "memory") 16)
  ${gemm()}
  ${softmaxRows()}
  ${expRows()}
  ${dsRows()}
  ${linearForward()}
)
`;
}
