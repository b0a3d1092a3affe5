/**
 * The WebAssembly SIMD kernels of @x/precision, as WebAssembly text (WAT)
 * built from small templates on the toolkit's WAT library
 * (`scripts/wasm/`). A `standalone` module with a memory of its own
 * (@x/precision sits below @x/tensor and runs without it): `modules.ts`
 * hands it to the one generator (`npm run generate`), which writes
 * `src/kernels/generated/precision-wasm.ts` (git-ignored).
 *
 * Memory: two 64 KiB pages. The JS driver (`src/kernels/wasm.ts`) copies a
 * chunk of at most 16384 elements to offset 0, calls one kernel, and copies the
 * results from offset 65536. Every kernel takes `(src, dst, n)` byte offsets
 * and an element count that is a multiple of 16 (the driver pads; the padding
 * lanes compute garbage that is never copied out).
 *
 * Each encoder is the round-to-nearest-even algorithm of `src/encode-bits.ts`
 * on four lanes at once (see `src/kernels/js-encode.ts` for the scalar
 * version), with one difference: subnormal results use the float trick of
 * Giesen's `float_to_half_fast3_rtne` — adding a power of two whose last place
 * is the target's smallest subnormal (`f32x4.add` rounds to nearest even, as
 * the WebAssembly spec requires) leaves the rounded code in the low bits.
 * Selections are `v128.bitselect` on lane masks: no branches.
 */

import { get, set } from '../../../scripts/wasm/index.js';

const i32 = (value: number) => {
  const word = value >>> 0;
  return `(v128.const i32x4 ${word} ${word} ${word} ${word})`;
};
const f32 = (literal: string) => `(v128.const f32x4 ${literal} ${literal} ${literal} ${literal})`;
const shr = (value: string, bits: number) => `(i32x4.shr_u ${value} (i32.const ${bits}))`;
const shl = (value: string, bits: number) => `(i32x4.shl ${value} (i32.const ${bits}))`;
const and = (x: string, y: string) => `(v128.and ${x} ${y})`;
const or = (x: string, y: string) => `(v128.or ${x} ${y})`;
const add = (x: string, y: string) => `(i32x4.add ${x} ${y})`;
const sub = (x: string, y: string) => `(i32x4.sub ${x} ${y})`;
const pick = (whenTrue: string, whenFalse: string, mask: string) =>
  `(v128.bitselect ${whenTrue} ${whenFalse} ${mask})`;

/** One rounding step of the normal path: `(a - rebias + 2^(s-1) - 1 + lastKeptBit) >>> s`. */
const roundNormal = (shift: number, rebiasMinusHalf: number) =>
  shr(add(sub(get('a'), i32(rebiasMinusHalf)), and(shr(get('a'), shift), i32(1))), shift);

/** Statements: float32 lanes in `input` to float16 codes (in i32 lanes) in `out`. */
function float16Lanes(input: string, out: string): string {
  return [
    set('v', input),
    set('a', and(get('v'), i32(0x7fffffff))),
    set('r', roundNormal(13, 0x37fff001)),
    set(
      'r',
      pick(
        sub(`(f32x4.add ${get('a')} ${f32('0.5')})`, i32(0x3f000000)),
        get('r'),
        `(i32x4.lt_u ${get('a')} ${i32(0x38800000)})`,
      ),
    ),
    set('r', pick(i32(0x7c00), get('r'), `(i32x4.ge_u ${get('a')} ${i32(0x477ff000)})`)),
    set(
      'r',
      pick(
        or(and(shr(get('a'), 13), i32(0x3ff)), i32(0x7e00)),
        get('r'),
        `(i32x4.gt_u ${get('a')} ${i32(0x7f800000)})`,
      ),
    ),
    set(out, or(get('r'), and(shr(get('v'), 16), i32(0x8000)))),
  ].join('\n      ');
}

/** Statements: float32 lanes to bfloat16 codes. */
function bfloat16Lanes(input: string, out: string): string {
  return [
    set('v', input),
    set('r', shr(add(add(get('v'), i32(0x7fff)), and(shr(get('v'), 16), i32(1))), 16)),
    set(
      out,
      pick(
        or(shr(get('v'), 16), i32(0x40)),
        get('r'),
        `(i32x4.gt_u ${and(get('v'), i32(0x7fffffff))} ${i32(0x7f800000)})`,
      ),
    ),
  ].join('\n      ');
}

/** Statements: float32 lanes to E4M3 codes; `$overflow` holds 0x7e (saturate) or 0x7f. */
function e4m3Lanes(input: string, out: string): string {
  return [
    set('v', input),
    set('a', and(get('v'), i32(0x7fffffff))),
    set('r', roundNormal(20, 0x3bf80001)),
    set(
      'r',
      pick(
        sub(`(f32x4.add ${get('a')} ${f32('16384.0')})`, i32(0x46800000)),
        get('r'),
        `(i32x4.lt_u ${get('a')} ${i32(0x3c800000)})`,
      ),
    ),
    set('r', pick(get('overflow'), get('r'), `(i32x4.gt_u ${get('a')} ${i32(0x43e80000)})`)),
    set('r', pick(i32(0x7f), get('r'), `(i32x4.gt_u ${get('a')} ${i32(0x7f800000)})`)),
    set(out, or(get('r'), and(shr(get('v'), 24), i32(0x80)))),
  ].join('\n      ');
}

/** Statements: float32 lanes to E5M2 codes; `$overflow` holds 0x7b (saturate) or 0x7c. */
function e5m2Lanes(input: string, out: string): string {
  return [
    set('v', input),
    set('a', and(get('v'), i32(0x7fffffff))),
    set('r', roundNormal(21, 0x37f00001)),
    set(
      'r',
      pick(
        sub(`(f32x4.add ${get('a')} ${f32('128.0')})`, i32(0x43000000)),
        get('r'),
        `(i32x4.lt_u ${get('a')} ${i32(0x38800000)})`,
      ),
    ),
    set('r', pick(get('overflow'), get('r'), `(i32x4.ge_u ${get('a')} ${i32(0x47700000)})`)),
    set(
      'r',
      pick(
        or(and(shr(get('a'), 21), i32(1)), i32(0x7e)),
        get('r'),
        `(i32x4.gt_u ${get('a')} ${i32(0x7f800000)})`,
      ),
    ),
    set(out, or(get('r'), and(shr(get('v'), 24), i32(0x80)))),
  ].join('\n      ');
}

/**
 * Statements: 16-bit codes (zero-extended in i32 lanes of `input`) of a format
 * with `mantissaBits` and `bias` (IEEE-like: top exponent is Inf/NaN) to
 * float32 patterns. Subnormals: `f32(pattern + 2^23) - minNormal`, exact.
 */
function ieeeDecodeLanes(input: string, out: string, mantissaBits: number, bits: number): string {
  const shift = 23 - mantissaBits;
  const signShift = 32 - bits;
  const magnitudeMask = 2 ** (bits - 1) - 1;
  const fieldMask = (2 ** (bits - 1 - mantissaBits) - 1) << 23;
  const rebias = (127 - 15) << 23; // float16 and E5M2 share bias 15
  return [
    set('v', input),
    set('a', shl(and(get('v'), i32(magnitudeMask)), shift)),
    set('e', and(get('a'), i32(fieldMask))),
    set('a', add(get('a'), i32(rebias))),
    set(
      'a',
      pick(add(get('a'), i32(rebias)), get('a'), `(i32x4.eq ${get('e')} ${i32(fieldMask)})`),
    ),
    set(
      'a',
      pick(
        `(f32x4.sub ${add(get('a'), i32(0x800000))} ${f32('0x1p-14')})`,
        get('a'),
        `(i32x4.eq ${get('e')} ${i32(0)})`,
      ),
    ),
    set(out, or(get('a'), shl(and(get('v'), i32(2 ** (bits - 1))), signShift))),
  ].join('\n      ');
}

/** Statements: E4M3 codes in i32 lanes to float32 patterns. */
function e4m3DecodeLanes(input: string, out: string): string {
  return [
    set('v', input),
    set('a', shl(and(get('v'), i32(0x7f)), 20)),
    set('e', and(get('a'), i32(0x07800000))),
    set('a', add(get('a'), i32(0x3c000000))),
    set(
      'a',
      pick(
        `(f32x4.sub ${add(get('a'), i32(0x800000))} ${f32('0x1p-6')})`,
        get('a'),
        `(i32x4.eq ${get('e')} ${i32(0)})`,
      ),
    ),
    set(
      'a',
      pick(i32(0x7fc00000), get('a'), `(i32x4.eq ${and(get('v'), i32(0x7f))} ${i32(0x7f)})`),
    ),
    set(out, or(get('a'), shl(and(get('v'), i32(0x80)), 24))),
  ].join('\n      ');
}

/** A kernel: a loop over `n` elements, `inBytes`/`outBytes` consumed per iteration. */
function kernel(
  name: string,
  params: string,
  prologue: string,
  inBytes: number,
  outBytes: number,
  n: string,
  body: string,
): string {
  return `
  (func (export "${name}") (param $src i32) (param $dst i32) (param $n i32) ${params}
    (local $end i32) (local $v v128) (local $a v128) (local $r v128) (local $e v128)
    (local $overflow v128) (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $in v128)
    ${prologue}
    (local.set $end (i32.add (local.get $src) (i32.mul (local.get $n) (i32.const ${n}))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
      ${body}
        (local.set $src (i32.add (local.get $src) (i32.const ${inBytes})))
        (local.set $dst (i32.add (local.get $dst) (i32.const ${outBytes})))
        (br $next))))`;
}

const load = (offset: number) => `(v128.load offset=${offset} (local.get $src))`;
const store = (offset: number, value: string) =>
  `(v128.store offset=${offset} (local.get $dst) ${value})`;
const narrow16 = (x: string, y: string) => `(i16x8.narrow_i32x4_u ${get(x)} ${get(y)})`;
const narrow8 = (x: string, y: string) => `(i8x16.narrow_i16x8_u ${x} ${y})`;
const overflowSplat = (saturated: number, otherwise: number) =>
  `(local.set $overflow (i32x4.splat (select (i32.const ${saturated}) (i32.const ${otherwise}) (local.get $saturate))))`;

/** Eight float32 in, eight 16-bit codes out, per iteration. */
function encode16(name: string, lanes: (input: string, out: string) => string): string {
  const body = [lanes(load(0), 'x0'), lanes(load(16), 'x1'), store(0, narrow16('x0', 'x1'))];
  return kernel(name, '', '', 32, 16, '4', body.join('\n      '));
}

/** Sixteen float32 in, sixteen 8-bit codes out, per iteration. */
function encode8(
  name: string,
  lanes: (input: string, out: string) => string,
  saturated: number,
  otherwise: number,
): string {
  const body = [
    lanes(load(0), 'x0'),
    lanes(load(16), 'x1'),
    lanes(load(32), 'x2'),
    lanes(load(48), 'x3'),
    store(0, narrow8(narrow16('x0', 'x1'), narrow16('x2', 'x3'))),
  ];
  return kernel(
    name,
    '(param $saturate i32)',
    overflowSplat(saturated, otherwise),
    64,
    16,
    '4',
    body.join('\n      '),
  );
}

/** Eight 16-bit codes in, eight float32 out, per iteration. */
function decode16(name: string, lanes: (input: string, out: string) => string): string {
  const body = [
    set('in', load(0)),
    lanes(`(i32x4.extend_low_i16x8_u ${get('in')})`, 'x0'),
    lanes(`(i32x4.extend_high_i16x8_u ${get('in')})`, 'x1'),
    store(0, get('x0')),
    store(16, get('x1')),
  ];
  return kernel(name, '', '', 16, 32, '2', body.join('\n      '));
}

/** Sixteen 8-bit codes in, sixteen float32 out, per iteration. */
function decode8(name: string, lanes: (input: string, out: string) => string): string {
  const low = `(i16x8.extend_low_i8x16_u ${get('in')})`;
  const high = `(i16x8.extend_high_i8x16_u ${get('in')})`;
  const body = [
    set('in', load(0)),
    lanes(`(i32x4.extend_low_i16x8_u ${low})`, 'x0'),
    lanes(`(i32x4.extend_high_i16x8_u ${low})`, 'x1'),
    lanes(`(i32x4.extend_low_i16x8_u ${high})`, 'x2'),
    lanes(`(i32x4.extend_high_i16x8_u ${high})`, 'x3'),
    store(0, get('x0')),
    store(16, get('x1')),
    store(32, get('x2')),
    store(48, get('x3')),
  ];
  return kernel(name, '', '', 16, 64, '1', body.join('\n      '));
}

/**
 * The whole module as WebAssembly text.
 * @returns the WAT source
 */
export function precisionWat(): string {
  return `(module
  (memory (export "memory") 2 2)
  ${encode16('encode_float16', float16Lanes)}
  ${encode16('encode_bfloat16', bfloat16Lanes)}
  ${encode8('encode_float8e4m3', e4m3Lanes, 0x7e, 0x7f)}
  ${encode8('encode_float8e5m2', e5m2Lanes, 0x7b, 0x7c)}
  ${decode16('decode_float16', (input, out) => ieeeDecodeLanes(input, out, 10, 16))}
  ${decode16('decode_bfloat16', (input, out) => [set('v', input), set(out, shl(get('v'), 16))].join('\n      '))}
  ${decode8('decode_float8e4m3', e4m3DecodeLanes)}
  ${decode8('decode_float8e5m2', (input, out) => ieeeDecodeLanes(input, out, 2, 8))}
)
`;
}
