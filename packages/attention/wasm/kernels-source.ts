/**
 * The WebAssembly SIMD kernels of @x/attention, as WAT templates on the
 * toolkit's WAT library (`scripts/wasm/`: helpers, the GEMM micro-kernel
 * step, the one vectorized exp). A `core` module: it imports @x/tensor's
 * linear memory and runs on the tensors of the `wasm` backend where they lie,
 * on the main thread and in the core's pool workers (`modules.ts` hands it to
 * the one generator, `npm run generate`).
 *
 * float32 only. Every pointer is a byte address in the memory, every stride
 * a count of float32 elements. Vector operands have rows padded to a
 * multiple of 8 floats (zero-filled) where the kernels read them as vectors.
 *
 * Exports:
 * - `gemm`: C (+)= alpha * A B for A [rows, depth] (read one float at a time,
 *   `v128.load32_splat`) and B [depth, cols] (read as f32x4 rows), by the
 *   library's 4 x 8 micro-kernel step. cols % 8 == 0; C has rows rounded up
 *   to 4 (a last partial group reads A's last valid row again and writes the
 *   padding rows of C). Causal limits: rows [r, r + 4) compute columns below
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
 *   heads by the running prefix sum of `src/kernels/linear-scan.ts`.
 * - `pack_kv(params, first, step)`: the operand layouts of the fused forward
 *   for units (kv head, key block) first, first + step, ...: each key block
 *   transposed into Kt [d, Bc8] (zero columns past the keys), and, when
 *   `v8` is set, value rows padded to dv8.
 * - `flash_forward(params, scratch, first, step)`: the whole FlashAttention-2
 *   forward of dense (optionally causal) attention for units (batch x head,
 *   query block) first, first + step, ...: per unit the running max and sum
 *   and the output tile in `scratch`, S = scale Q Kt per key block (tiles
 *   above the causal diagonal skipped, the diagonal limited), the online
 *   softmax, O += P V, and finally out = O / l and lse = m + log l. Threads
 *   take interleaved units (the causal work grows with the query block).
 *
 * The exponential is the library's (`vexp`, flushing to 0 below -87.33 and
 * clamped finite above), with its constants in locals.
 */
import {
  gemmAccumulator as acc,
  coreImports,
  gemmStep,
  gemmStepLocals,
  gemmZero,
  get,
  hsum,
  locals,
  loop,
  MATH_LOCALS,
  type MathOptions,
  mathConstantLocals,
  mathConstants,
  set,
  vexp,
  type WasmVariant,
} from '../../../scripts/wasm/index.js';
import { NO_LIMIT } from '../src/kernels/wasm/constants.js';

const NEG_INF = '-inf';
const EXP: MathOptions = { underflow: 'flush', overflow: 'clamp', constants: 'locals' };
const MATH = `${locals('v128', ...MATH_LOCALS)} ${mathConstantLocals()}`;

const f32x4 = (literal: string) => `(v128.const f32x4 ${literal} ${literal} ${literal} ${literal})`;
const add = (x: string, y: string) => `(i32.add ${x} ${y})`;
const mul = (x: string, y: string) => `(i32.mul ${x} ${y})`;
const vadd = (x: string, y: string) => `(f32x4.add ${x} ${y})`;
const vmul = (x: string, y: string) => `(f32x4.mul ${x} ${y})`;
const load = (address: string, offset = 0) => `(v128.load offset=${offset} ${address})`;
const store = (address: string, value: string, offset = 0) =>
  `(v128.store offset=${offset} ${address} ${value})`;
const at = (base: string, index: string) => add(get(base), mul(get(index), '(i32.const 4)'));
const min = (a: string, b: string) => `(select ${a} ${b} (i32.lt_s ${a} ${b}))`;

/** Horizontal reduction of a v128 local with a scalar f32 op (`f32.max`). */
const reduce = (op: string, v: string) =>
  `(${op} (${op} (f32x4.extract_lane 0 ${get(v)}) (f32x4.extract_lane 1 ${get(v)})) (${op} (f32x4.extract_lane 2 ${get(v)}) (f32x4.extract_lane 3 ${get(v)})))`;

/** Statements loading parameters from the block at $params: i32 names, and f32 names marked with `:f32`. */
const fromParams = (names: readonly string[]) =>
  names
    .map((entry, i) => {
      const [name, type] = entry.split(':') as [string, string | undefined];
      return set(name, `(${type ?? 'i32'}.load offset=${4 * i} ${get('params')})`);
    })
    .join('\n    ');
const paramLocals = (names: readonly string[]) =>
  names
    .map((entry) => {
      const [name, type] = entry.split(':') as [string, string | undefined];
      return `(local $${name} ${type ?? 'i32'})`;
    })
    .join(' ');

function gemm(fma: boolean): string {
  const writeBack = [0, 1, 2, 3]
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
  const step = gemmStep({ a: (r) => get(`pa${r}`), b: get('pb'), fma });
  const depthBody = `${step}
            ${[0, 1, 2, 3].map((r) => set(`pa${r}`, add(get(`pa${r}`), '(i32.const 4)'))).join(' ')}
            ${set('pb', add(get('pb'), get('ldb')))}`;
  // rows past the last valid one read it again (their results land in C's padding rows)
  const rowPointer = (r: number) =>
    set(
      `pa${r}`,
      `(select ${add(get('pa0'), mul(`(i32.const ${r})`, get('lda')))} ${get('pa0')} (i32.lt_s ${add(get('r'), `(i32.const ${r})`)} ${get('rows')}))`,
    );
  const columnBody = `${gemmZero()}
          ${set('pa0', add(get('a'), mul(get('r'), get('lda'))))}
          ${rowPointer(1)} ${rowPointer(2)} ${rowPointer(3)}
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
  (func $gemm (export "gemm")
    (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32)
    (param $rows i32) (param $cols i32) (param $depth i32) (param $alpha f32) (param $acc i32)
    (param $colLimit i32) (param $depthLimit i32)
    (local $r i32) (local $j i32) (local $t i32) (local $colEnd i32) (local $depthEnd i32)
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb i32) (local $pc i32)
    (local $al v128) ${gemmStepLocals()}
    ${set('lda', mul(get('lda'), '(i32.const 4)'))}
    ${set('ldb', mul(get('ldb'), '(i32.const 4)'))}
    ${set('ldc', mul(get('ldc'), '(i32.const 4)'))}
    ${set('al', `(f32x4.splat ${get('alpha')})`)}
    ${loop('r', '(i32.const 0)', get('rows'), 4, rowBody)})`;
}

function softmaxRows(): string {
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
        ${vexp('e', `(f32x4.splat (f32.sub ${get('old')} ${get('max')}))`, EXP)}
        ${set('alpha', `(f32x4.extract_lane 0 ${get('e')})`)}
        (f32.store ${at('m', 'r')} ${get('max')})
        ${set('vmax', `(f32x4.splat ${get('max')})`)}
        ${set('vsum', f32x4('0'))}
        ${loop(
          'c',
          '(i32.const 0)',
          get('cols4'),
          4,
          `${vexp('e', `(f32x4.sub ${load(at('ps', 'c'))} ${get('vmax')})`, EXP)}
        ${store(at('ps', 'c'), get('e'))}
        ${set('vsum', vadd(get('vsum'), get('e')))}`,
        )}
        (f32.store ${at('l', 'r')} (f32.add (f32.mul (f32.load ${at('l', 'r')}) ${get('alpha')}) ${hsum('vsum')}))
        (if (f32.ne ${get('alpha')} (f32.const 1))
          (then
            ${set('po', add(get('o'), mul(get('r'), get('ldo'))))}
            ${set('e', `(f32x4.splat ${get('alpha')})`)}
            ${loop('c', '(i32.const 0)', get('width'), 4, store(at('po', 'c'), vmul(load(at('po', 'c')), get('e'))))}))`;
  return `
  (func $softmax_rows (export "softmax_rows")
    (param $s i32) (param $lds i32) (param $rows i32) (param $cols i32) (param $diag i32)
    (param $m i32) (param $l i32) (param $o i32) (param $ldo i32) (param $width i32)
    (local $r i32) (local $c i32) (local $cols4 i32) (local $valid i32) (local $ps i32) (local $po i32)
    (local $old f32) (local $max f32) (local $alpha f32)
    (local $vmax v128) (local $vsum v128) (local $e v128) ${MATH}
    ${mathConstants(EXP)}
    ${set('lds', mul(get('lds'), '(i32.const 4)'))}
    ${set('ldo', mul(get('ldo'), '(i32.const 4)'))}
    ${set('cols4', `(i32.and ${add(get('cols'), '(i32.const 3)')} (i32.const -4))`)}
    ${loop('r', '(i32.const 0)', get('rows'), 1, `(block $r_continue\n        ${body})`)})`;
}

function expRows(): string {
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
              `${vexp('e', `(f32x4.sub ${load(at('ps', 'r'))} ${load(at('lrow', 'r'))})`, EXP)}
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
    (local $c i32) (local $r i32) (local $ps i32) (local $first v128) (local $e v128) ${MATH}
    ${mathConstants(EXP)}
    ${set('lds', mul(get('lds'), '(i32.const 4)'))}
    ${loop('c', '(i32.const 0)', get('rowsPad'), 1, row)})`;
}

function dsRows(): string {
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
  const query = `${set('qr', add(get('q'), mul(add(mul(get('gi'), get('n')), get('i')), get('d4b'))))}
            ${set('or', add(get('out'), mul(add(mul(get('gi'), get('n')), get('i')), get('dv8b'))))}
            ${set('acc', f32x4('0'))}
            ${loop('x', '(i32.const 0)', get('d4'), 4, set('acc', vadd(get('acc'), vmul(load(at('qr', 'x')), load(at('z', 'x'))))))}
            ${set('den', `(f32.add ${get('eps')} ${hsum('acc')})`)}
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

/** Parameters of `pack_kv`, in block order. */
export const PACK_PARAMS = [
  'k',
  'v',
  'kt',
  'v8',
  'M',
  'd',
  'dv',
  'Bc',
  'Bc8',
  'dv8',
  'KB',
  'units',
];

function packKv(): string {
  const column = `(if (i32.lt_s ${get('c')} ${get('cols')})
            (then (f32.store ${add(get('dst'), mul(get('c'), '(i32.const 4)'))}
              (f32.load ${add(get('src'), mul(mul(get('c'), get('d')), '(i32.const 4)'))})))
            (else (f32.store ${add(get('dst'), mul(get('c'), '(i32.const 4)'))} (f32.const 0))))`;
  const valueRow = `${set('vsrc', add(get('v'), mul(mul(add(get('row0'), get('c')), get('dv')), '(i32.const 4)')))}
          ${set('vdst', add(get('v8'), mul(mul(add(get('row0'), get('c')), get('dv8')), '(i32.const 4)')))}
          (memory.copy ${get('vdst')} ${get('vsrc')} ${mul(get('dv'), '(i32.const 4)')})
          (memory.fill ${add(get('vdst'), mul(get('dv'), '(i32.const 4)'))} (i32.const 0) ${mul(`(i32.sub ${get('dv8')} ${get('dv')})`, '(i32.const 4)')})`;
  const unit = `${set('kvi', `(i32.div_u ${get('unit')} ${get('KB')})`)}
      ${set('kb', `(i32.sub ${get('unit')} ${mul(get('kvi'), get('KB'))})`)}
      ${set('j0', mul(get('kb'), get('Bc')))}
      ${set('cols', `(i32.sub ${min(get('M'), add(get('j0'), get('Bc')))} ${get('j0')})`)}
      ${set('row0', add(mul(get('kvi'), get('M')), get('j0')))}
      ;; Kt block: row x of the block holds key x-components of the block's keys
      ${set('base', add(get('kt'), mul(mul(add(mul(get('kvi'), get('KB')), get('kb')), mul(get('d'), get('Bc8'))), '(i32.const 4)')))}
      ${loop(
        'x',
        '(i32.const 0)',
        get('d'),
        1,
        `${set('dst', add(get('base'), mul(mul(get('x'), get('Bc8')), '(i32.const 4)')))}
          ${set('src', add(get('k'), mul(add(mul(get('row0'), get('d')), get('x')), '(i32.const 4)')))}
          ${loop('c', '(i32.const 0)', get('Bc8'), 1, column)}`,
      )}
      (if ${get('v8')} (then ${loop('c', '(i32.const 0)', get('cols'), 1, valueRow)}))`;
  return `
  (func (export "pack_kv") (param $params i32) (param $first i32) (param $step i32)
    ${paramLocals(PACK_PARAMS)}
    (local $unit i32) (local $kvi i32) (local $kb i32) (local $j0 i32) (local $cols i32) (local $row0 i32)
    (local $base i32) (local $x i32) (local $c i32) (local $dst i32) (local $src i32) (local $vsrc i32) (local $vdst i32)
    ${fromParams(PACK_PARAMS)}
    ${set('unit', get('first'))}
    (block $done (loop $next
      (br_if $done (i32.ge_s ${get('unit')} ${get('units')}))
      ${unit}
      ${set('unit', add(get('unit'), get('step')))}
      (br $next))))`;
}

/** Parameters of `flash_forward`, in block order (`scale` is an f32). */
export const FLASH_PARAMS = [
  'q',
  'out',
  'lse',
  'kt',
  'vrows',
  'vstride',
  'H',
  'Hkv',
  'N',
  'M',
  'd',
  'dv',
  'dv8',
  'Br',
  'Bc',
  'Bc8',
  'KB',
  'QB',
  'units',
  'causal',
  'scale:f32',
];

function flashForward(): string {
  const unit = `${set('bh', `(i32.div_u ${get('unit')} ${get('QB')})`)}
      ${set('qb', `(i32.sub ${get('unit')} ${mul(get('bh'), get('QB'))})`)}
      ${set('b', `(i32.div_u ${get('bh')} ${get('H')})`)}
      ${set('h', `(i32.sub ${get('bh')} ${mul(get('b'), get('H'))})`)}
      ${set('kvi', add(mul(get('b'), get('Hkv')), `(i32.div_u ${get('h')} ${get('group')})`))}
      ${set('i0', mul(get('qb'), get('Br')))}
      ${set('rows', `(i32.sub ${min(get('N'), add(get('i0'), get('Br')))} ${get('i0')})`)}
      ${set('rows4', `(i32.and ${add(get('rows'), '(i32.const 3)')} (i32.const -4))`)}
      ${loop('r', '(i32.const 0)', get('rows'), 1, `(f32.store ${at('pm', 'r')} (f32.const ${NEG_INF}))`)}
      (memory.fill ${get('pl')} (i32.const 0) ${mul(get('rows4'), '(i32.const 4)')})
      (memory.fill ${get('po')} (i32.const 0) ${mul(mul(get('rows4'), get('dv8')), '(i32.const 4)')})
      ${set('keyLimit', `(select ${min(get('M'), add(add(get('i0'), get('rows')), get('off')))} ${get('M')} ${get('causal')})`)}
      ${set('lastBlock', `(select (i32.div_s ${add(get('keyLimit'), `(i32.sub ${get('Bc')} (i32.const 1))`)} ${get('Bc')}) (i32.const 0) (i32.gt_s ${get('keyLimit')} (i32.const 0)))`)}
      ${set('qrow', add(get('q'), mul(mul(add(mul(get('bh'), get('N')), get('i0')), get('d')), '(i32.const 4)')))}
      ${loop(
        'kb',
        '(i32.const 0)',
        get('lastBlock'),
        1,
        `${set('j0', mul(get('kb'), get('Bc')))}
        ${set('cols', `(i32.sub ${min(get('M'), add(get('j0'), get('Bc')))} ${get('j0')})`)}
        ${set(
          'limit',
          `(select ${add(`(i32.sub ${add(get('i0'), get('off'))} ${get('j0')})`, '(i32.const 1)')} (i32.const ${NO_LIMIT}) (i32.and ${get('causal')} (i32.gt_s ${add(get('j0'), `(i32.sub ${get('cols')} (i32.const 1))`)} ${add(get('i0'), get('off'))})))`,
        )}
        (call $gemm ${get('qrow')} ${get('d')}
          ${add(get('kt'), mul(mul(add(mul(get('kvi'), get('KB')), get('kb')), mul(get('d'), get('Bc8'))), '(i32.const 4)'))} ${get('Bc8')}
          ${get('ps')} ${get('Bc8')} ${get('rows')} (i32.and ${add(get('cols'), '(i32.const 7)')} (i32.const -8)) ${get('d')}
          ${get('scale')} (i32.const 0) ${get('limit')} (i32.const ${NO_LIMIT}))
        (call $softmax_rows ${get('ps')} ${get('Bc8')} ${get('rows')} ${get('cols')} ${get('limit')} ${get('pm')} ${get('pl')} ${get('po')} ${get('dv8')} ${get('dv8')})
        (call $gemm ${get('ps')} ${get('Bc8')}
          ${add(get('vrows'), mul(mul(add(mul(get('kvi'), get('M')), get('j0')), get('vstride')), '(i32.const 4)'))} ${get('vstride')}
          ${get('po')} ${get('dv8')} ${get('rows4')} ${get('dv8')} ${get('cols')}
          (f32.const 1) (i32.const 1) (i32.const ${NO_LIMIT}) ${get('limit')})`,
      )}
      ${loop(
        'r',
        '(i32.const 0)',
        get('rows'),
        1,
        `${set('row', add(add(mul(get('bh'), get('N')), get('i0')), get('r')))}
        ${set('lv', `(f32.load ${at('pl', 'r')})`)}
        (if (f32.gt ${get('lv')} (f32.const 0))
          (then
            (f32.store ${at('lse', 'row')} (f32.demote_f64 (f64.add (f64.promote_f32 (f32.load ${at('pm', 'r')})) (call $log (f64.promote_f32 ${get('lv')})))))
            ${set('inv', `(f32.div (f32.const 1) ${get('lv')})`)})
          (else
            (f32.store ${at('lse', 'row')} (f32.const ${NEG_INF}))
            ${set('inv', '(f32.const 0)')}))
        ${set('src', add(get('po'), mul(mul(get('r'), get('dv8')), '(i32.const 4)')))}
        ${set('dst', add(get('out'), mul(mul(get('row'), get('dv')), '(i32.const 4)')))}
        ${loop('x', '(i32.const 0)', get('dv'), 1, `(f32.store ${at('dst', 'x')} (f32.mul (f32.load ${at('src', 'x')}) ${get('inv')}))`)}`,
      )}`;
  return `
  (func (export "flash_forward") (param $params i32) (param $scratch i32) (param $first i32) (param $step i32)
    ${paramLocals(FLASH_PARAMS)}
    (local $ps i32) (local $po i32) (local $pm i32) (local $pl i32) (local $Br4 i32) (local $group i32) (local $off i32)
    (local $unit i32) (local $bh i32) (local $qb i32) (local $b i32) (local $h i32) (local $kvi i32)
    (local $i0 i32) (local $rows i32) (local $rows4 i32) (local $keyLimit i32) (local $lastBlock i32)
    (local $kb i32) (local $j0 i32) (local $cols i32) (local $limit i32) (local $qrow i32)
    (local $r i32) (local $row i32) (local $x i32) (local $src i32) (local $dst i32) (local $lv f32) (local $inv f32)
    ${fromParams(FLASH_PARAMS)}
    ${set('Br4', `(i32.and ${add(get('Br'), '(i32.const 3)')} (i32.const -4))`)}
    ${set('ps', get('scratch'))}
    ${set('po', add(get('ps'), mul(mul(get('Br4'), get('Bc8')), '(i32.const 4)')))}
    ${set('pm', add(get('po'), mul(mul(get('Br4'), get('dv8')), '(i32.const 4)')))}
    ${set('pl', add(get('pm'), mul(get('Br4'), '(i32.const 4)')))}
    ${set('group', `(i32.div_u ${get('H')} ${get('Hkv')})`)}
    ${set('off', `(i32.sub ${get('M')} ${get('N')})`)}
    ${set('unit', get('first'))}
    (block $done (loop $next
      (br_if $done (i32.ge_s ${get('unit')} ${get('units')}))
      ${unit}
      ${set('unit', add(get('unit'), get('step')))}
      (br $next))))`;
}

/**
 * The whole module as WebAssembly text.
 * @param variant - fma (the micro-kernel's multiply-adds) and shared memory
 * @returns the WAT source
 */
export function attentionWat(variant: WasmVariant): string {
  return `(module
  ${coreImports(variant, { log: true })}
  ${gemm(variant.fma)}
  ${softmaxRows()}
  ${expRows()}
  ${dsRows()}
  ${linearForward()}
  ${packKv()}
  ${flashForward()}
)
`;
}
