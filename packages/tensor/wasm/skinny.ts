/**
 * The skinny matrix product Y = X W for a few rows of X against a weight
 * matrix packed once (WAT template): the decode-step product of a language
 * model, bound by the bandwidth of streaming W.
 *
 * Shapes: X [M, K] float32 (row stride `ldx` bytes), W [K, N] packed into
 * P = ceil(N / 16) panels of 16 output columns, each panel K rows of 16
 * values, K contiguous (zero-padded past N), so one pass reads every weight
 * once, in address order; Y [M, N] float32 (row stride `ldy` bytes), plus an
 * optional bias [N]. Formats of W (16 columns of one k):
 * - `f32`: 64 bytes, four f32x4 loads;
 * - `bf16`: 32 bytes, each lane widened to 32 bits and shifted left by 16;
 * - `f16`: 32 bytes, widened and rebuilt as float32 bits: (h & 0x7fff) << 13
 *   times 2^112 (exact for normal and subnormal halves), exponent forced to
 *   all ones for infinities and NaNs, sign reattached;
 * - `i8`: 16 bytes (symmetric int8, sign-extended and converted), with one
 *   float32 scale per (group of `group` k, column), the panel's scales at
 *   `scales + (p * groups + g) * 64`; each group's sum is accumulated in f32
 *   registers and added, times its scales, into the row's running sum.
 *
 * Algorithm: for each panel of [p0, p1), for each block of at most 2 rows
 * (8 f32x4 accumulators, the broadcast x values and the widened weights fit
 * the 16 vector registers; 3 or 4 rows spill), a micro-kernel runs over all
 * K: per k it loads (and widens) the 16 weights once and does 8
 * multiply-adds with `load32_splat` broadcasts of the rows' x values
 * (relaxed-SIMD FMA in the fma variants). With more than 2 rows a 16-bit or
 * int8 panel is first widened once into the thread's scratch (`expand`) and
 * the row blocks run on that copy with the same k order and rounding. The
 * panel (K * 64 bytes at most) stays in L1/L2 across the row blocks.
 * Accumulators go to the thread's `tmp` (2 * 64 bytes), then to Y with the
 * bias (v128 for a full panel, lane by lane at the edge). Threads split the
 * panels.
 */
import { bump, get, i32, locals, madd, set, type WatOptions } from '../../../scripts/wasm/index.js';

/** The packed weight formats the module has a kernel for. */
export const SKINNY_FORMATS = ['f32', 'bf16', 'f16', 'i8'] as const;
type Format = (typeof SKINNY_FORMATS)[number];
/** A micro-kernel's source: a packed format, or `i8w` (an int8 panel widened to unscaled f32 q). */
type Source = Format | 'i8w';

/** Rows per micro-kernel call, by format. */
export const SKINNY_ROWS: Record<Format, number> = { f32: 2, bf16: 2, f16: 2, i8: 2 };
/** Bytes of one k row of a 16-column panel, by format. */
export const SKINNY_ROW_BYTES: Record<Source, number> = {
  f32: 64,
  bf16: 32,
  f16: 32,
  i8: 16,
  i8w: 64,
};

const acc = (r: number, h: number) => `a${r}${h}`;
const ZERO = '(v128.const i32x4 0 0 0 0)';

/** Statements loading the 16 weights of one k at `$w` into q0..q3 as f32x4. */
function loadWeights(format: Format): string {
  const w = get('w');
  switch (format) {
    case 'f32':
      return [0, 1, 2, 3].map((h) => set(`q${h}`, `(v128.load offset=${h * 16} ${w})`)).join('\n');
    case 'bf16': {
      const out: string[] = [
        set('raw0', `(v128.load ${w})`),
        set('raw1', `(v128.load offset=16 ${w})`),
      ];
      for (let h = 0; h < 4; h++) {
        const raw = get(`raw${h >> 1}`);
        const half = h % 2 === 0 ? 'low' : 'high';
        out.push(set(`q${h}`, `(i32x4.shl (i32x4.extend_${half}_i16x8_u ${raw}) (i32.const 16))`));
      }
      return out.join('\n');
    }
    case 'f16': {
      const out: string[] = [
        set('raw0', `(v128.load ${w})`),
        set('raw1', `(v128.load offset=16 ${w})`),
      ];
      for (let h = 0; h < 4; h++) {
        const raw = get(`raw${h >> 1}`);
        const half = h % 2 === 0 ? 'low' : 'high';
        out.push(set('hv', `(i32x4.extend_${half}_i16x8_u ${raw})`));
        out.push(
          set(
            'em',
            `(i32x4.shl (v128.and ${get('hv')} (v128.const i32x4 0x7fff 0x7fff 0x7fff 0x7fff)) (i32.const 13))`,
          ),
        );
        // infinities and NaNs (exponent 31): all-ones float32 exponent, mantissa kept
        const special = `(i32x4.eq (v128.and ${get('hv')} (v128.const i32x4 0x7c00 0x7c00 0x7c00 0x7c00)) (v128.const i32x4 0x7c00 0x7c00 0x7c00 0x7c00))`;
        const scaled = `(f32x4.mul ${get('em')} (v128.const i32x4 0x77800000 0x77800000 0x77800000 0x77800000))`;
        const magnitude = `(v128.bitselect (v128.or ${get('em')} (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) ${scaled} ${special})`;
        const sign = `(i32x4.shl (v128.and ${get('hv')} (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))`;
        out.push(set(`q${h}`, `(v128.or ${magnitude} ${sign})`));
      }
      return out.join('\n');
    }
    case 'i8': {
      const out: string[] = [
        set('raw0', `(v128.load ${w})`),
        set('raw1', `(i16x8.extend_high_i8x16_s ${get('raw0')})`),
        set('raw0', `(i16x8.extend_low_i8x16_s ${get('raw0')})`),
      ];
      for (let h = 0; h < 4; h++) {
        const raw = get(`raw${h >> 1}`);
        const half = h % 2 === 0 ? 'low' : 'high';
        out.push(set(`q${h}`, `(f32x4.convert_i32x4_s (i32x4.extend_${half}_i16x8_s ${raw}))`));
      }
      return out.join('\n');
    }
  }
}

/** One k step: weights once, then 4R multiply-adds; advances `$w` and the row pointers. */
function step(format: Source, R: number, fma: boolean): string {
  const body: string[] = [];
  for (let r = 0; r < R; r++) body.push(set(`xs${r}`, `(v128.load32_splat ${get(`x${r}`)})`));
  if (format === 'f32' || format === 'i8w') {
    // one weight vector at a time: R broadcasts + 1 weight + 4R accumulators live
    for (let h = 0; h < 4; h++) {
      body.push(set('q0', `(v128.load offset=${h * 16} ${get('w')})`));
      for (let r = 0; r < R; r++)
        body.push(set(acc(r, h), madd(fma, get(`xs${r}`), get('q0'), get(acc(r, h)))));
    }
  } else {
    body.push(loadWeights(format));
    for (let h = 0; h < 4; h++)
      for (let r = 0; r < R; r++)
        body.push(set(acc(r, h), madd(fma, get(`xs${r}`), get(`q${h}`), get(acc(r, h)))));
  }
  for (let r = 0; r < R; r++) body.push(bump(`x${r}`, 4));
  body.push(bump('w', SKINNY_ROW_BYTES[format]));
  return body.join('\n      ');
}

/**
 * `$micro_<format>_<R>`: R rows of X from `$x` (stride `$ldx`) times one panel
 * at `$w` over K, into `$tmp` (R rows of 16 floats). For i8 the panel's scales
 * are at `$scales` and groups are `$group` k long.
 */
function micro(format: Source, R: number, fma: boolean): string {
  const rowBytes = SKINNY_ROW_BYTES[format];
  const grouped = format === 'i8' || format === 'i8w';
  const accs = Array.from({ length: R }, (_, r) => [0, 1, 2, 3].map((h) => acc(r, h))).flat();
  const rowPointers = Array.from({ length: R }, (_, r) => `x${r}`);
  const init = rowPointers
    .map((p, r) => set(p, r === 0 ? get('x') : `(i32.add ${get(`x${r - 1}`)} ${get('ldx')})`))
    .join('\n    ');
  const zero = accs.map((a) => set(a, ZERO)).join(' ');
  const declarations = `${locals('v128', ...Array.from({ length: R }, (_, r) => `xs${r}`), 'q0', 'q1', 'q2', 'q3', 'raw0', 'raw1', 'hv', 'em', ...accs)} ${locals('i32', 'end', 'gend', ...rowPointers)}`;
  const params = `(param $x i32) (param $ldx i32) (param $w i32) (param $K i32) (param $tmp i32) (param $scales i32) (param $group i32)`;
  if (!grouped) {
    const store = accs
      .map((a, i) => `(v128.store offset=${i * 16} ${get('tmp')} ${get(a)})`)
      .join('\n    ');
    return `
  (func $micro_${format}_${R} ${params}
    ${declarations}
    ${init}
    ${zero}
    ${set('end', `(i32.add ${get('w')} (i32.mul ${get('K')} ${i32(rowBytes)}))`)}
    (block $done (loop $k
      (br_if $done (i32.ge_u ${get('w')} ${get('end')}))
      ${step(format, R, fma)}
      (br $k)))
    ${store})`;
  }
  // i8 / i8w: the running sums live in tmp; each group's sum is scaled in at the group's end.
  const clear = accs.map((_, i) => `(v128.store offset=${i * 16} ${get('tmp')} ${ZERO})`).join(' ');
  const fold = accs
    .map((a, i) => {
      const h = i % 4;
      const at = `offset=${i * 16} ${get('tmp')}`;
      return `(v128.store ${at} ${madd(fma, get(a), `(v128.load offset=${h * 16} ${get('scales')})`, `(v128.load ${at})`)})`;
    })
    .join('\n      ');
  return `
  (func $micro_${format}_${R} ${params}
    ${declarations}
    ${init}
    ${clear}
    ${set('end', `(i32.add ${get('w')} (i32.mul ${get('K')} ${i32(rowBytes)}))`)}
    (block $done (loop $groups
      (br_if $done (i32.ge_u ${get('w')} ${get('end')}))
      ${zero}
      ${set('gend', `(i32.add ${get('w')} (i32.mul ${get('group')} ${i32(rowBytes)}))`)}
      (if (i32.gt_u ${get('gend')} ${get('end')}) (then ${set('gend', get('end'))}))
      (loop $k
        ${step(format, R, fma)}
        (br_if $k (i32.lt_u ${get('w')} ${get('gend')})))
      ${fold}
      ${bump('scales', 64)}
      (br $groups)))
  )`;
}

/**
 * `$expand_<format>`: one panel widened to float32 at `$dst` (K * 64 bytes;
 * int8 as its unscaled q), so blocks of more than 2 rows skip widening the
 * panel once per row block: they run the f32 micro-kernel (bf16, f16) or
 * the i8w one (the same group sums and scaling as i8), with the same k order
 * and rounding as the direct kernels, so results do not depend on M.
 */
function expand(format: Format): string {
  const stores = [0, 1, 2, 3]
    .map((h) => `(v128.store offset=${h * 16} ${get('dst')} ${get(`q${h}`)})`)
    .join('\n        ');
  return `
  (func $expand_${format} (param $w i32) (param $K i32) (param $scales i32) (param $group i32) (param $dst i32)
    ${locals('v128', 'q0', 'q1', 'q2', 'q3', 'raw0', 'raw1', 'hv', 'em')} ${locals('i32', 'k', 'g')}
    (loop $k
      ${loadWeights(format)}
      ${stores}
      ${bump('w', SKINNY_ROW_BYTES[format])}
      ${bump('dst', 64)}
      ${bump('k', 1)}
      ${bump('g', 1)}
      (if (i32.eq ${get('g')} ${get('group')}) (then ${set('g', i32(0))} ${bump('scales', 64)}))
      (br_if $k (i32.lt_s ${get('k')} ${get('K')}))))`;
}

/** `$store_rows`: `rows` rows of 16 floats at `$tmp` to Y (+ bias), the first `cols` columns. */
const storeRows = `
  (func $store_rows (param $tmp i32) (param $rows i32) (param $y i32) (param $ldy i32) (param $cols i32) (param $bias i32)
    ${locals('i32', 'r', 'j', 'src', 'dst')} ${locals('v128', 'b0', 'b1', 'b2', 'b3')}
    (if (i32.eq ${get('cols')} ${i32(16)})
      (then
        (if (i32.ne ${get('bias')} ${i32(0)})
          (then
            ${[0, 1, 2, 3].map((h) => set(`b${h}`, `(v128.load offset=${h * 16} ${get('bias')})`)).join(' ')}))
        (loop $full
          ${[0, 1, 2, 3]
            .map(
              (h) =>
                `(v128.store offset=${h * 16} ${get('y')} (f32x4.add (v128.load offset=${h * 16} ${get('tmp')}) ${get(`b${h}`)}))`,
            )
            .join('\n          ')}
          ${bump('tmp', 64)}
          ${set('y', `(i32.add ${get('y')} ${get('ldy')})`)}
          ${bump('r', 1)}
          (br_if $full (i32.lt_s ${get('r')} ${get('rows')})))
        (return)))
    (loop $rows
      ${set('j', i32(0))}
      (loop $cols
        ${set('src', `(i32.add ${get('tmp')} (i32.shl ${get('j')} ${i32(2)}))`)}
        ${set('dst', `(i32.add ${get('y')} (i32.shl ${get('j')} ${i32(2)}))`)}
        (f32.store ${get('dst')}
          (f32.add (f32.load ${get('src')})
            (if (result f32) (i32.ne ${get('bias')} ${i32(0)})
              (then (f32.load (i32.add ${get('bias')} (i32.shl ${get('j')} ${i32(2)}))))
              (else (f32.const 0)))))
        ${bump('j', 1)}
        (br_if $cols (i32.lt_s ${get('j')} ${get('cols')})))
      ${bump('tmp', 64)}
      ${set('y', `(i32.add ${get('y')} ${get('ldy')})`)}
      ${bump('r', 1)}
      (br_if $rows (i32.lt_s ${get('r')} ${get('rows')}))))`;

/**
 * `skinny_<format>` (exported): panels [p0, p1) of Y = X W (+ bias).
 * Arguments: x, ldx, M, K, w, p0, p1, y, ldy, N, bias (0: none), tmp, scales, group.
 */
function driver(format: Format): string {
  const R = SKINNY_ROWS[format];
  const rowBytes = SKINNY_ROW_BYTES[format];
  const calls: string[] = [];
  const widened = format !== 'f32';
  for (let rows = R; rows >= 1; rows--) {
    const call = (kind: Source, panel: string) =>
      `(call $micro_${kind}_${rows} (i32.add ${get('x')} (i32.mul ${get('r0')} ${get('ldx')})) ${get('ldx')} ${panel} ${get('K')} ${get('tmp')} ${get('pscales')} ${get('group')})`;
    // more than R rows of a 16-bit or int8 panel: the widened f32 copy (at tmp + 256)
    const body = widened
      ? `(if ${get('wide')} (then ${call(format === 'i8' ? 'i8w' : 'f32', `(i32.add ${get('tmp')} ${i32(256)})`)}) (else ${call(format, get('panel'))}))`
      : call(format, get('panel'));
    calls.push(`(if (i32.eq ${get('rows')} ${i32(rows)}) (then ${body}))`);
  }
  return `
  (func (export "skinny_${format}") (param $x i32) (param $ldx i32) (param $M i32) (param $K i32) (param $w i32)
    (param $p0 i32) (param $p1 i32) (param $y i32) (param $ldy i32) (param $N i32) (param $bias i32)
    (param $tmp i32) (param $scales i32) (param $group i32)
    ${locals('i32', 'p', 'panel', 'pscales', 'r0', 'rows', 'cols', 'groups', 'wide')}
    ${set('groups', `(i32.div_u (i32.sub (i32.add ${get('K')} ${get('group')}) ${i32(1)}) ${get('group')})`)}
    ${set('p', get('p0'))}
    (block $done (loop $panels
      (br_if $done (i32.ge_s ${get('p')} ${get('p1')}))
      ${set('panel', `(i32.add ${get('w')} (i32.mul (i32.mul ${get('p')} ${get('K')}) ${i32(rowBytes)}))`)}
      ${set('cols', `(i32.sub ${get('N')} (i32.shl ${get('p')} ${i32(4)}))`)}
      (if (i32.gt_s ${get('cols')} ${i32(16)}) (then ${set('cols', i32(16))}))
      ${set('r0', i32(0))}
      ${
        widened
          ? `${set('wide', `(i32.gt_s ${get('M')} ${i32(R)})`)}
      (if ${get('wide')} (then (call $expand_${format} ${get('panel')} ${get('K')}
        (i32.add ${get('scales')} (i32.shl (i32.mul ${get('p')} ${get('groups')}) ${i32(6)})) ${get('group')}
        (i32.add ${get('tmp')} ${i32(256)}))))`
          : ''
      }
      (block $rdone (loop $rblocks
        (br_if $rdone (i32.ge_s ${get('r0')} ${get('M')}))
        ${set('rows', `(i32.sub ${get('M')} ${get('r0')})`)}
        (if (i32.gt_s ${get('rows')} ${i32(R)}) (then ${set('rows', i32(R))}))
        ${set('pscales', `(i32.add ${get('scales')} (i32.shl (i32.mul ${get('p')} ${get('groups')}) ${i32(6)}))`)}
        ${calls.join('\n        ')}
        (call $store_rows ${get('tmp')} ${get('rows')}
          (i32.add (i32.add ${get('y')} (i32.mul ${get('r0')} ${get('ldy')})) (i32.shl ${get('p')} ${i32(6)}))
          ${get('ldy')} ${get('cols')}
          (if (result i32) (i32.ne ${get('bias')} ${i32(0)}) (then (i32.add ${get('bias')} (i32.shl ${get('p')} ${i32(6)}))) (else ${i32(0)})))
        ${set('r0', `(i32.add ${get('r0')} ${get('rows')})`)}
        (br $rblocks)))
      ${bump('p', 1)}
      (br $panels))))`;
}

/**
 * The skinny-product functions of the module: one exported driver per format
 * and its micro-kernels.
 * @param options - whether to use relaxed-SIMD FMA
 * @returns WAT module fields
 */
export function skinnyWat(options: WatOptions): string {
  const parts = [storeRows];
  for (const format of SKINNY_FORMATS) {
    for (let R = 1; R <= SKINNY_ROWS[format]; R++) parts.push(micro(format, R, options.fma));
    if (format !== 'f32') parts.push(expand(format));
    if (format === 'i8')
      for (let R = 1; R <= SKINNY_ROWS.i8; R++) parts.push(micro('i8w', R, options.fma));
    parts.push(driver(format));
  }
  return parts.join('\n');
}
