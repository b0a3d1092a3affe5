/**
 * WAT source of the squared-L2 WebAssembly SIMD kernels (`src/simd`), a
 * `core` module: it imports @x/tensor's linear memory (`coreImports`), where
 * the HNSW index keeps its vectors (`src/simd/wasm-rows.ts`), and
 * `modules.ts` hands it to the one generator (`npm run generate`).
 *
 * Addresses are byte addresses in that memory, `d` counts float32
 * components (any d >= 0); `l2x4` writes its four float64 results at `out`.
 * Algorithm: f32x4 differences squared and summed in float32 lanes (8
 * components per step with two accumulators in `l2`, 4 per step and one
 * accumulator per row in `l2x4`), a horizontal add, then a scalar tail for
 * `d % 4`; the result is promoted to float64.
 */

import { coreImports, hsum, type WasmVariant } from '../../../scripts/wasm/index.js';

/** One row of `l2x4`: accumulate `(x - row)^2` into `$a<k>`. */
function step4(k: number): string {
  return `(local.set $t (f32x4.sub (local.get $x) (v128.load (i32.add (local.get $r${k}) (local.get $i)))))
      (local.set $a${k} (f32x4.add (local.get $a${k}) (f32x4.mul (local.get $t) (local.get $t))))`;
}

/** Scalar tail of one row of `l2x4`. */
function tail4(k: number): string {
  return `(local.set $u (f32.sub (local.get $y) (f32.load (i32.add (local.get $r${k}) (local.get $i)))))
      (local.set $s${k} (f32.add (local.get $s${k}) (f32.mul (local.get $u) (local.get $u))))`;
}

/** Store of one `l2x4` result. */
function store4(k: number): string {
  return `(f64.store offset=${8 * k} (local.get $out) (f64.promote_f32 (f32.add (local.get $s${k}) ${hsum(`a${k}`)})))`;
}

/**
 * The module's WAT text.
 * @param variant - shared memory or not (no FMA used)
 * @returns WebAssembly text with the exports `l2(q, r, d) -> f64` and
 *   `l2x4(q, r0, r1, r2, r3, d, out)` (results at out + 0, 8, 16, 24)
 */
export function l2Wat(variant: WasmVariant): string {
  return `(module
  ${coreImports(variant)}
  (func (export "l2") (param $q i32) (param $r i32) (param $d i32) (result f64)
    (local $a0 v128) (local $a1 v128) (local $t v128)
    (local $end8 i32) (local $end4 i32) (local $end i32) (local $s f32) (local $u f32)
    (local.set $end (i32.add (local.get $q) (i32.shl (local.get $d) (i32.const 2))))
    (local.set $end8 (i32.add (local.get $q) (i32.shl (i32.and (local.get $d) (i32.const -8)) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $q) (i32.shl (i32.and (local.get $d) (i32.const -4)) (i32.const 2))))
    (block $done8 (loop $more8
      (br_if $done8 (i32.ge_u (local.get $q) (local.get $end8)))
      (local.set $t (f32x4.sub (v128.load align=4 (local.get $q)) (v128.load align=4 (local.get $r))))
      (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $t) (local.get $t))))
      (local.set $t (f32x4.sub (v128.load offset=16 align=4 (local.get $q)) (v128.load offset=16 align=4 (local.get $r))))
      (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $t) (local.get $t))))
      (local.set $q (i32.add (local.get $q) (i32.const 32)))
      (local.set $r (i32.add (local.get $r) (i32.const 32)))
      (br $more8)))
    (if (i32.lt_u (local.get $q) (local.get $end4)) (then
      (local.set $t (f32x4.sub (v128.load align=4 (local.get $q)) (v128.load align=4 (local.get $r))))
      (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $t) (local.get $t))))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (local.set $r (i32.add (local.get $r) (i32.const 16)))))
    (local.set $a0 (f32x4.add (local.get $a0) (local.get $a1)))
    (local.set $s ${hsum('a0')})
    (block $done (loop $more
      (br_if $done (i32.ge_u (local.get $q) (local.get $end)))
      (local.set $u (f32.sub (f32.load (local.get $q)) (f32.load (local.get $r))))
      (local.set $s (f32.add (local.get $s) (f32.mul (local.get $u) (local.get $u))))
      (local.set $q (i32.add (local.get $q) (i32.const 4)))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (br $more)))
    (f64.promote_f32 (local.get $s)))
  (func (export "l2x4") (param $q i32) (param $r0 i32) (param $r1 i32) (param $r2 i32) (param $r3 i32) (param $d i32) (param $out i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $x v128) (local $t v128)
    (local $i i32) (local $end4 i32) (local $end i32)
    (local $s0 f32) (local $s1 f32) (local $s2 f32) (local $s3 f32) (local $y f32) (local $u f32)
    (local.set $end (i32.shl (local.get $d) (i32.const 2)))
    (local.set $end4 (i32.shl (i32.and (local.get $d) (i32.const -4)) (i32.const 2)))
    (block $done4 (loop $more4
      (br_if $done4 (i32.ge_u (local.get $i) (local.get $end4)))
      (local.set $x (v128.load align=4 (i32.add (local.get $q) (local.get $i))))
      ${step4(0)}
      ${step4(1)}
      ${step4(2)}
      ${step4(3)}
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $more4)))
    (block $done (loop $more
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $y (f32.load (i32.add (local.get $q) (local.get $i))))
      ${tail4(0)}
      ${tail4(1)}
      ${tail4(2)}
      ${tail4(3)}
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $more)))
    ${store4(0)}
    ${store4(1)}
    ${store4(2)}
    ${store4(3)}))
`;
}
