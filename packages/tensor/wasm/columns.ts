/**
 * Column reductions (WAT templates): out[j] = reduce_i x[i, j] over the
 * leading axes of a contiguous float32 tensor seen as [rows, cols] with a row
 * stride in bytes (so threads can take column ranges). Sums stream the rows
 * once, accumulating each column in a float64 scratch row (`f64x2` lanes), as
 * the js reference accumulates in float64; max / min keep the running
 * extreme in `out` (NaN propagates through `f32x4.max` / `min`).
 */
import { get, i32, locals, set } from '../../../scripts/wasm/index.js';

const HIGH = 'i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7';

/** Statements: p, q run along row r of x and a per-column array of `width` bytes per element. */
const rowLoop = (width: number, vector: string, scalar: string) => `
    ${set('r', i32(0))}
    (loop $rows
      ${set('p', `(i32.add ${get('x')} (i32.mul ${get('r')} ${get('stride')}))`)}
      ${set('q', get('acc'))}
      ${set('end', `(i32.add ${get('p')} (i32.shl ${get('cols')} ${i32(2)}))`)}
      ${set('vend', `(i32.add ${get('p')} (i32.shl (i32.and ${get('cols')} ${i32(-4)}) ${i32(2)}))`)}
      (block $vdone (loop $vec
        (br_if $vdone (i32.ge_u ${get('p')} ${get('vend')}))
        ${set('v', `(v128.load ${get('p')})`)}
        ${vector}
        ${set('p', `(i32.add ${get('p')} ${i32(16)})`)} ${set('q', `(i32.add ${get('q')} ${i32(4 * width)})`)}
        (br $vec)))
      (block $tdone (loop $tail
        (br_if $tdone (i32.ge_u ${get('p')} ${get('end')}))
        ${scalar}
        ${set('p', `(i32.add ${get('p')} ${i32(4)})`)} ${set('q', `(i32.add ${get('q')} ${i32(width)})`)}
        (br $tail)))
      ${set('r', `(i32.add ${get('r')} ${i32(1)})`)}
      (br_if $rows (i32.lt_s ${get('r')} ${get('rows')})))`;

const colSum = `
  (func (export "col_sum") (param $x i32) (param $o i32) (param $rows i32) (param $cols i32) (param $stride i32) (param $acc i32)
    ${locals('i32', 'r', 'p', 'q', 'end', 'vend', 'j')} ${locals('v128', 'v')}
    (memory.fill ${get('acc')} ${i32(0)} (i32.shl ${get('cols')} ${i32(3)}))
    ${rowLoop(
      8,
      `(v128.store ${get('q')} (f64x2.add (v128.load ${get('q')}) (f64x2.promote_low_f32x4 ${get('v')})))
        (v128.store offset=16 ${get('q')} (f64x2.add (v128.load offset=16 ${get('q')}) (f64x2.promote_low_f32x4 (${HIGH} ${get('v')} ${get('v')}))))`,
      `(f64.store ${get('q')} (f64.add (f64.load ${get('q')}) (f64.promote_f32 (f32.load ${get('p')}))))`,
    )}
    (loop $out
      (f32.store (i32.add ${get('o')} (i32.shl ${get('j')} ${i32(2)}))
        (f32.demote_f64 (f64.load (i32.add ${get('acc')} (i32.shl ${get('j')} ${i32(3)})))))
      ${set('j', `(i32.add ${get('j')} ${i32(1)})`)}
      (br_if $out (i32.lt_s ${get('j')} ${get('cols')}))))`;

const colExtreme = (kind: 'max' | 'min') => `
  (func (export "col_${kind}") (param $x i32) (param $o i32) (param $rows i32) (param $cols i32) (param $stride i32)
    ${locals('i32', 'r', 'p', 'q', 'end', 'vend', 'acc')} ${locals('v128', 'v')}
    (memory.copy ${get('o')} ${get('x')} (i32.shl ${get('cols')} ${i32(2)}))
    ${set('acc', get('o'))}
    ${rowLoop(
      4,
      `(v128.store ${get('q')} (f32x4.${kind} (v128.load ${get('q')}) ${get('v')}))`,
      `(f32.store ${get('q')} (f32.${kind} (f32.load ${get('q')}) (f32.load ${get('p')})))`,
    )})`;

/**
 * The column-reduction functions of the module.
 * @returns WAT module fields
 */
export function columnsWat(): string {
  return [colSum, colExtreme('max'), colExtreme('min')].join('\n');
}
