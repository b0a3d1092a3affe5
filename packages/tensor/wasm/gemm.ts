/**
 * The float32 matrix product C = A B (WAT template), after Goto & van de Geijn,
 * "Anatomy of High-Performance Matrix Multiplication" (ACM TOMS 2008) and the
 * BLIS micro-kernel design (Van Zee & van de Geijn 2015).
 *
 * Shapes: A [M, K] and B [K, N] with arbitrary strides (bytes), C [M, N] with
 * row stride `ldc` (bytes). Algorithm:
 * - `pack_b` copies B once into column panels of 8: for each block of
 *   `KC` rows of K, for each panel of 8 columns, the `kc x 8` values row by row
 *   (zero-padded past N). Panel (kb, jp) starts at float `kb * Npad + jp * kc * 8`.
 * - `gemm` computes rows [m0, m1) of C: for each K block, for each block of
 *   `MC` rows it packs A into row panels of 4 (`kc x 4`, zero-padded), then for
 *   each B panel (L1-resident) and each A panel (L2-resident) calls the 4 x 8
 *   micro-kernel: 8 v128 accumulators, per k one `load32_splat` of each of the
 *   4 A values and two loads of B, 8 multiply-adds. Tiles past the edges go
 *   through a 32-float scratch `tmp`. The first K block stores into C, later
 *   ones add, so C needs no zeroing.
 * Threads call `gemm` on disjoint row ranges with their own `apack` and `tmp`,
 * or, for batches of small products, `gemm_items` on disjoint batch items
 * (each thread packing its own B).
 */
import {
  gemmAccumulator as acc,
  bump,
  gemmStep,
  gemmStepLocals,
  get,
  i32,
  locals,
  set,
  type WatOptions,
} from '../../../scripts/wasm/index.js';
import { GEMM_KC, GEMM_MC } from '../src/backends/wasm/kernels/constants.js';

const min = (a: string, b: string) => `(select ${a} ${b} (i32.lt_s ${a} ${b}))`;

function microKernel(options: WatOptions): string {
  // the packed A panel holds the 4 rows' values of step k at ap + 4 r; the B panel 8 floats at bp
  const step = gemmStep({
    a: (r) => `offset=${r * 4} ${get('ap')}`,
    b: get('bp'),
    fma: options.fma,
  });
  const storeFull: string[] = [];
  const storeTmp: string[] = [];
  for (let i = 0; i < 4; i++) {
    const row = `(i32.add ${get('c')} ${i === 0 ? i32(0) : `(i32.mul ${get('ldc')} ${i32(i)})`})`;
    for (let j = 0; j < 2; j++) {
      const offset = j * 16;
      storeFull.push(
        `(v128.store offset=${offset} ${row} (if (result v128) ${get('accumulate')} (then (f32x4.add (v128.load offset=${offset} ${row}) ${get(acc(i, j))})) (else ${get(acc(i, j))})))`,
      );
      storeTmp.push(`(v128.store offset=${i * 32 + offset} ${get('tmp')} ${get(acc(i, j))})`);
    }
  }
  return `
  (func $micro (param $ap i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32)
    (param $rows i32) (param $cols i32) (param $accumulate i32) (param $tmp i32)
    ${gemmStepLocals()} ${locals('i32', 'end', 'r', 'j', 'dst')}
    ${set('end', `(i32.add ${get('ap')} (i32.shl ${get('kc')} ${i32(4)}))`)}
    (loop $k
      ${step}
      ${bump('ap', 16)}
      ${bump('bp', 32)}
      (br_if $k (i32.lt_u ${get('ap')} ${get('end')})))
    (if (i32.and (i32.eq ${get('rows')} ${i32(4)}) (i32.eq ${get('cols')} ${i32(8)}))
      (then ${storeFull.join('\n        ')} (return)))
    ${storeTmp.join('\n    ')}
    ${set('r', i32(0))}
    (loop $rows
      ${set('j', i32(0))}
      (loop $cols
        ${set('dst', `(i32.add (i32.add ${get('c')} (i32.mul ${get('r')} ${get('ldc')})) (i32.shl ${get('j')} ${i32(2)}))`)}
        (f32.store ${get('dst')}
          (f32.add
            (if (result f32) ${get('accumulate')} (then (f32.load ${get('dst')})) (else (f32.const 0)))
            (f32.load (i32.add ${get('tmp')} (i32.shl (i32.add (i32.shl ${get('r')} ${i32(3)}) ${get('j')}) ${i32(2)})))))
        ${bump('j', 1)}
        (br_if $cols (i32.lt_s ${get('j')} ${get('cols')})))
      ${bump('r', 1)}
      (br_if $rows (i32.lt_s ${get('r')} ${get('rows')}))))`;
}

const packA = `
  (func $pack_a (param $a i32) (param $rs i32) (param $cs i32) (param $rows i32) (param $kc i32) (param $dst i32)
    ${locals('i32', 'p', 'k', 'i', 'src', 'row')}
    (loop $panels
      ${set('k', i32(0))}
      (loop $ks
        ${set('src', `(i32.add (i32.add ${get('a')} (i32.mul ${get('p')} ${get('rs')})) (i32.mul ${get('k')} ${get('cs')}))`)}
        (if (i32.le_s (i32.add ${get('p')} ${i32(4)}) ${get('rows')})
          (then
            (f32.store offset=0 ${get('dst')} (f32.load ${get('src')}))
            (f32.store offset=4 ${get('dst')} (f32.load (i32.add ${get('src')} ${get('rs')})))
            (f32.store offset=8 ${get('dst')} (f32.load (i32.add ${get('src')} (i32.shl ${get('rs')} ${i32(1)}))))
            (f32.store offset=12 ${get('dst')} (f32.load (i32.add ${get('src')} (i32.mul ${get('rs')} ${i32(3)})))))
          (else
            ${set('i', i32(0))}
            (loop $lanes
              ${set('row', `(i32.add ${get('p')} ${get('i')})`)}
              (f32.store (i32.add ${get('dst')} (i32.shl ${get('i')} ${i32(2)}))
                (if (result f32) (i32.lt_s ${get('row')} ${get('rows')})
                  (then (f32.load (i32.add ${get('src')} (i32.mul ${get('i')} ${get('rs')}))))
                  (else (f32.const 0))))
              ${bump('i', 1)}
              (br_if $lanes (i32.lt_s ${get('i')} ${i32(4)})))))
        ${bump('dst', 16)}
        ${bump('k', 1)}
        (br_if $ks (i32.lt_s ${get('k')} ${get('kc')})))
      ${bump('p', 4)}
      (br_if $panels (i32.lt_s ${get('p')} ${get('rows')}))))`;

const packB = `
  (func $pack_b (export "pack_b") (param $b i32) (param $rs i32) (param $cs i32) (param $K i32) (param $N i32) (param $dst i32)
    ${locals('i32', 'kb', 'kc', 'col', 'k', 'j', 'src')}
    (block $kdone (loop $kblocks
      (br_if $kdone (i32.ge_s ${get('kb')} ${get('K')}))
      ${set('kc', min(i32(GEMM_KC), `(i32.sub ${get('K')} ${get('kb')})`))}
      ${set('col', i32(0))}
      (loop $panels
        ${set('k', i32(0))}
        (loop $ks
          ${set('src', `(i32.add (i32.add ${get('b')} (i32.mul (i32.add ${get('kb')} ${get('k')}) ${get('rs')})) (i32.mul ${get('col')} ${get('cs')}))`)}
          (if (i32.and (i32.eq ${get('cs')} ${i32(4)}) (i32.le_s (i32.add ${get('col')} ${i32(8)}) ${get('N')}))
            (then
              (v128.store ${get('dst')} (v128.load ${get('src')}))
              (v128.store offset=16 ${get('dst')} (v128.load offset=16 ${get('src')})))
            (else
              ${set('j', i32(0))}
              (loop $lanes
                (f32.store (i32.add ${get('dst')} (i32.shl ${get('j')} ${i32(2)}))
                  (if (result f32) (i32.lt_s (i32.add ${get('col')} ${get('j')}) ${get('N')})
                    (then (f32.load (i32.add ${get('src')} (i32.mul ${get('j')} ${get('cs')}))))
                    (else (f32.const 0))))
                ${bump('j', 1)}
                (br_if $lanes (i32.lt_s ${get('j')} ${i32(8)})))))
          ${bump('dst', 32)}
          ${bump('k', 1)}
          (br_if $ks (i32.lt_s ${get('k')} ${get('kc')})))
        ${bump('col', 8)}
        (br_if $panels (i32.lt_s ${get('col')} ${get('N')})))
      ${bump('kb', GEMM_KC)}
      (br $kblocks))))`;

const gemm = `
  (func $gemm (export "gemm") (param $a i32) (param $rs i32) (param $cs i32) (param $bpk i32) (param $c i32) (param $ldc i32)
    (param $m0 i32) (param $m1 i32) (param $N i32) (param $K i32) (param $apack i32) (param $tmp i32)
    ${locals('i32', 'npad', 'kb', 'kc', 'ib', 'mc', 'col', 'ip', 'bpanel')}
    ${set('npad', `(i32.and (i32.add ${get('N')} ${i32(7)}) ${i32(-8)})`)}
    (block $kdone (loop $kblocks
      (br_if $kdone (i32.ge_s ${get('kb')} ${get('K')}))
      ${set('kc', min(i32(GEMM_KC), `(i32.sub ${get('K')} ${get('kb')})`))}
      ${set('ib', get('m0'))}
      (block $idone (loop $iblocks
        (br_if $idone (i32.ge_s ${get('ib')} ${get('m1')}))
        ${set('mc', min(i32(GEMM_MC), `(i32.sub ${get('m1')} ${get('ib')})`))}
        (call $pack_a (i32.add (i32.add ${get('a')} (i32.mul ${get('ib')} ${get('rs')})) (i32.mul ${get('kb')} ${get('cs')}))
          ${get('rs')} ${get('cs')} ${get('mc')} ${get('kc')} ${get('apack')})
        ${set('col', i32(0))}
        (loop $panels
          ${set('bpanel', `(i32.add ${get('bpk')} (i32.shl (i32.add (i32.mul ${get('kb')} ${get('npad')}) (i32.mul ${get('col')} ${get('kc')})) ${i32(2)}))`)}
          ${set('ip', i32(0))}
          (loop $tiles
            (call $micro
              (i32.add ${get('apack')} (i32.shl (i32.mul ${get('ip')} ${get('kc')}) ${i32(2)}))
              ${get('bpanel')} ${get('kc')}
              (i32.add (i32.add ${get('c')} (i32.mul (i32.add ${get('ib')} ${get('ip')}) ${get('ldc')})) (i32.shl ${get('col')} ${i32(2)}))
              ${get('ldc')}
              ${min(i32(4), `(i32.sub ${get('mc')} ${get('ip')})`)}
              ${min(i32(8), `(i32.sub ${get('N')} ${get('col')})`)}
              (i32.gt_s ${get('kb')} ${i32(0)})
              ${get('tmp')})
            ${bump('ip', 4)}
            (br_if $tiles (i32.lt_s ${get('ip')} ${get('mc')})))
          ${bump('col', 8)}
          (br_if $panels (i32.lt_s ${get('col')} ${get('N')})))
        ${bump('ib', GEMM_MC)}
        (br $iblocks)))
      ${bump('kb', GEMM_KC)}
      (br $kblocks))))`;

/** `gemm_items`: a thread's share of a batch, items listed as (a, b, c) address triples at `table`. */
const gemmItems = `
  (func (export "gemm_items") (param $table i32) (param $count i32) (param $ars i32) (param $acs i32)
    (param $brs i32) (param $bcs i32) (param $M i32) (param $N i32) (param $K i32)
    (param $bpk i32) (param $apack i32) (param $tmp i32)
    ${locals('i32', 'end')}
    ${set('end', `(i32.add ${get('table')} (i32.mul ${get('count')} ${i32(12)}))`)}
    (block $done (loop $items
      (br_if $done (i32.ge_u ${get('table')} ${get('end')}))
      (call $pack_b (i32.load offset=4 ${get('table')}) ${get('brs')} ${get('bcs')} ${get('K')} ${get('N')} ${get('bpk')})
      (call $gemm (i32.load ${get('table')}) ${get('ars')} ${get('acs')} ${get('bpk')} (i32.load offset=8 ${get('table')})
        (i32.shl ${get('N')} ${i32(2)}) ${i32(0)} ${get('M')} ${get('N')} ${get('K')} ${get('apack')} ${get('tmp')})
      ${bump('table', 12)}
      (br $items))))`;

/**
 * The matmul functions of the module: `pack_b` and `gemm` (exported), the
 * A packer and the micro-kernel (internal).
 * @param options - whether to use relaxed-SIMD FMA
 * @returns WAT module fields
 */
export function gemmWat(options: WatOptions): string {
  return [microKernel(options), packA, packB, gemm, gemmItems].join('\n');
}
