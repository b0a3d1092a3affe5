/**
 * Elementwise float32 kernels (WAT templates).
 *
 * - `bin_<op>(a, sa, b, sb, out, n)`: out[i] = op(a[i * sa], b[i * sb]) for
 *   i < n, where `sa`, `sb` are 1 (contiguous) or 0 (one broadcast scalar), so
 *   one call covers a contiguous row or a row against a broadcast value; the
 *   JS driver walks the other axes. Four lanes per step, then a one-lane tail
 *   (the same vector code on a splatted value, lane 0 stored).
 * - `un_<op>(x, out, n)`: out[i] = op(x[i]) over contiguous float32.
 * Semantics are those of `scalar/unary.ts` and `scalar/binary.ts` (NaN
 * propagates through maximum / minimum, relu(NaN) is NaN); exp, tanh and the
 * logistic function are the toolkit's vector math (`scripts/wasm/math.ts`).
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
  vsigmoid,
  vtanh,
  type WatOptions,
} from '../../../scripts/wasm/index.js';
import { WASM_BINARY_OPS, WASM_UNARY_OPS } from '../src/backends/wasm/kernels/constants.js';

const BINARY: Record<(typeof WASM_BINARY_OPS)[number], string> = {
  add: 'f32x4.add',
  sub: 'f32x4.sub',
  mul: 'f32x4.mul',
  div: 'f32x4.div',
  maximum: 'f32x4.max',
  minimum: 'f32x4.min',
};

/** Statements computing `y` from the v128 local `x`. */
const unaryOps = (fma: boolean): Record<(typeof WASM_UNARY_OPS)[number], string> => ({
  neg: set('y', `(f32x4.neg ${get('x')})`),
  abs: set('y', `(f32x4.abs ${get('x')})`),
  sqrt: set('y', `(f32x4.sqrt ${get('x')})`),
  square: set('y', `(f32x4.mul ${get('x')} ${get('x')})`),
  reciprocal: set('y', `(f32x4.div ${f32x4(1)} ${get('x')})`),
  // max(x, 0) keeps NaN (wasm max propagates it) and maps -0 to +0, as the reference.
  relu: set('y', `(f32x4.max ${get('x')} ${f32x4(0)})`),
  exp: vexp('y', get('x'), { fma }),
  sigmoid: vsigmoid('y', get('x'), { fma }),
  tanh: vtanh('y', get('x'), { fma }),
  silu: `${vsigmoid('y', get('x'), { fma })}\n    ${set('y', `(f32x4.mul ${get('x')} ${get('y')})`)}`,
  // 0.5 x (1 + tanh(u)) = x sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3): no cancellation for x << 0.
  gelu: `${set('y', `(f32x4.mul (f32x4.mul ${get('x')} ${f32x4(2 * 0.7978845608028654)}) (f32x4.add ${f32x4(1)} (f32x4.mul ${f32x4(0.044715)} (f32x4.mul ${get('x')} ${get('x')}))))`)}
    ${vsigmoid('y', get('y'), { fma })}
    ${set('y', `(f32x4.mul ${get('x')} ${get('y')})`)}`,
});

function binary(op: (typeof WASM_BINARY_OPS)[number]): string {
  const instr = BINARY[op];
  const loop = (left: string, right: string, stepA: number, stepB: number) => `
      (if (i32.lt_u ${get('o')} ${get('vend')}) (then (loop $v
        (v128.store ${get('o')} (${instr} ${left} ${right}))
        ${stepA ? bump('a', 16) : ''} ${stepB ? bump('b', 16) : ''} ${bump('o', 16)}
        (br_if $v (i32.lt_u ${get('o')} ${get('vend')})))))`;
  return `
  (func (export "bin_${op}") (param $a i32) (param $sa i32) (param $b i32) (param $sb i32) (param $o i32) (param $n i32)
    ${locals('i32', 'end', 'vend')}
    ${set('end', `(i32.add ${get('o')} (i32.shl ${get('n')} ${i32(2)}))`)}
    ${set('vend', `(i32.add ${get('o')} (i32.shl (i32.and ${get('n')} ${i32(-4)}) ${i32(2)}))`)}
    (if (i32.and ${get('sa')} ${get('sb')})
      (then ${loop(`(v128.load ${get('a')})`, `(v128.load ${get('b')})`, 1, 1)})
      (else (if ${get('sa')}
        (then ${loop(`(v128.load ${get('a')})`, `(v128.load32_splat ${get('b')})`, 1, 0)})
        (else (if ${get('sb')}
          (then ${loop(`(v128.load32_splat ${get('a')})`, `(v128.load ${get('b')})`, 0, 1)}))))))
    (block $done (loop $tail
      (br_if $done (i32.ge_u ${get('o')} ${get('end')}))
      (f32.store ${get('o')} (f32x4.extract_lane 0 (${instr} (v128.load32_splat ${get('a')}) (v128.load32_splat ${get('b')}))))
      ${set('a', `(i32.add ${get('a')} (i32.shl ${get('sa')} ${i32(2)}))`)}
      ${set('b', `(i32.add ${get('b')} (i32.shl ${get('sb')} ${i32(2)}))`)}
      ${bump('o', 4)}
      (br $tail))))`;
}

function unary(op: (typeof WASM_UNARY_OPS)[number], options: WatOptions): string {
  const code = unaryOps(options.fma)[op];
  return `
  (func (export "un_${op}") (param $a i32) (param $o i32) (param $n i32)
    ${locals('i32', 'end', 'vend')} ${locals('v128', 'x', 'y', ...MATH_LOCALS)}
    ${set('end', `(i32.add ${get('o')} (i32.shl ${get('n')} ${i32(2)}))`)}
    ${set('vend', `(i32.add ${get('o')} (i32.shl (i32.and ${get('n')} ${i32(-4)}) ${i32(2)}))`)}
    (if (i32.lt_u ${get('o')} ${get('vend')}) (then (loop $v
      ${set('x', `(v128.load ${get('a')})`)}
      ${code}
      (v128.store ${get('o')} ${get('y')})
      ${bump('a', 16)} ${bump('o', 16)}
      (br_if $v (i32.lt_u ${get('o')} ${get('vend')})))))
    (block $done (loop $tail
      (br_if $done (i32.ge_u ${get('o')} ${get('end')}))
      ${set('x', `(v128.load32_splat ${get('a')})`)}
      ${code}
      (f32.store ${get('o')} (f32x4.extract_lane 0 ${get('y')}))
      ${bump('a', 4)} ${bump('o', 4)}
      (br $tail))))`;
}

/**
 * The elementwise functions of the module.
 * @param options - whether the vector math uses relaxed-SIMD FMA
 * @returns WAT module fields
 */
export function elementwiseWat(options: WatOptions): string {
  return [...WASM_BINARY_OPS.map(binary), ...WASM_UNARY_OPS.map((op) => unary(op, options))].join(
    '\n',
  );
}
