/**
 * The WebAssembly SIMD selective scan of @x/ssm, as WAT templates on the
 * toolkit's WAT library (`scripts/wasm/`: the helpers and the one vectorized
 * exp, sigmoid and softplus). A `core` module: it imports @x/tensor's linear
 * memory, so it runs on the tensors of the `wasm` backend where they are,
 * on the main thread and in the core's pool workers. `modules.ts` hands it
 * to the one generator (`npm run generate`).
 *
 * Shapes and layout are those of `src/scan/selective-scan-kernel.ts`
 * (channels-last, float32): u, dt, y, gy: [b, l, d]; A: [d, n];
 * B, C: [b, l, n] (`varying`) or [d, n]; h: [b, d, n]. Every pointer is a
 * byte address in the memory, 16-byte aligned, and n % 4 == 0: the state
 * dimension is processed four lanes at a time (f32x4), with no tail.
 *
 * Threads split the channels: every kernel takes a range [c0, c1) and
 * touches only those channels' state, outputs and row-buffer slices, so
 * threads run side by side on one call's buffers. The one exception is the
 * gradient of an input-dependent B or C ([b, l, n], a sum over channels):
 * each thread adds into its own gB / gC (the driver sums them).
 *
 * `scan_forward(params, c0, c1)`: h = exp(dt A) h + dt u B, y = <h, C> per
 * (batch, step, channel); h holds the initial state on entry and the last
 * state on exit. `params` points to 12 i32: b, l, d, n, varying, u, dt, A,
 * B, C, h, y.
 * `scan_backward(params, c0, c1, gB, gC)`: per batch row, recomputes the
 * states h_0 .. h_l into a row buffer ((l + 1) d n floats, slot 0 = the
 * initial state) and the decays a_t = exp(dt_t A) into another (l d n
 * floats), then walks t from the end with G = gy C + carry (Gu & Dao 2023,
 * the reverse scan of the CUDA kernel): gC += gy h_t, gA += G h_{t-1} a dt,
 * gB += G dt u, gdt = sum(G h_{t-1} a A) + u sum(G B), gu = dt sum(G B),
 * carry = G a, and the carry after t = 0 is dL/dh0. `params` points to 19
 * i32: b, l, d, n, varying, u, dt, A, B, C, h0, gy, row, carry, gu, gdt,
 * gA, gh0, decay. One exponential per element in the backward; nothing of
 * size b l d n survives between forward and backward.
 *
 * `exp`, `softplus` and `sigmoid(src, dst, n)` map flat arrays (n % 4 == 0)
 * for the driver. The exponential flushes below float32's normal range and
 * clamps above it (finite, NaN propagates); its constants live in locals
 * set once per call.
 */
import {
  i32 as c32,
  coreImports,
  get,
  hsum,
  locals,
  MATH_LOCALS,
  type MathOptions,
  mathConstantLocals,
  mathConstants,
  SOFTPLUS_LOCALS,
  set,
  vexp,
  vsigmoid,
  vsoftplus,
  type WasmVariant,
} from '../../../scripts/wasm/index.js';

const EXP: MathOptions = { underflow: 'flush', overflow: 'clamp', constants: 'locals' };

const mul = (x: string, y: string) => `(f32x4.mul ${x} ${y})`;
const add = (x: string, y: string) => `(f32x4.add ${x} ${y})`;
const load = (ptr: string) => `(v128.load (local.get $${ptr}))`;
const store = (ptr: string, value: string) => `(v128.store (local.get $${ptr}) ${value})`;
const i32 = (op: string, x: string, y: string) => `(i32.${op} ${x} ${y})`;
const bump = (names: string[]) => names.map((p) => set(p, i32('add', get(p), c32(16)))).join('\n');
const f32 = (literal: string) => `(v128.const f32x4 ${literal} ${literal} ${literal} ${literal})`;

/** Locals of the vector math and its constants, declared in every function that inlines it. */
const MATH = `${locals('v128', ...MATH_LOCALS)} ${mathConstantLocals()}`;
const MATH_INIT = mathConstants(EXP);

/** Statements loading i32 parameters from the block at $params into locals. */
const fromParams = (names: readonly string[]) =>
  names.map((name, i) => set(name, `(i32.load offset=${4 * i} ${get('params')})`)).join('\n  ');

/** A kernel mapping n floats (n % 4 == 0) from src to dst, four at a time: `body` maps $v to $y. */
function mapKernel(name: string, body: string, extra = ''): string {
  return `(func (export "${name}") (param $src i32) (param $dst i32) (param $n i32)
  (local $end i32) (local $v v128) (local $y v128) ${MATH} ${extra}
  ${MATH_INIT}
  ${set('end', i32('add', get('src'), i32('shl', get('n'), c32(2))))}
  (block $done (loop $next
    (br_if $done (i32.ge_u ${get('src')} ${get('end')}))
    ${set('v', load('src'))}
    ${body}
    ${store('dst', get('y'))}
    ${bump(['src', 'dst'])}
    (br $next)))
)`;
}

/** Offset of the B/C row of (bi, t, c): (bi l + t) n * 4 when varying, else c n * 4. */
const bcOffset = `(select ${get('bt')} ${i32('mul', get('c'), get('nb'))} ${get('varying')})`;

/** Step t of batch row bi: `row` (first [b, l, d] index of the step) and `bt` (byte offset of B[t], C[t]). */
const stepStart = [
  set('row', i32('mul', i32('add', i32('mul', get('bi'), get('l')), get('t')), get('d'))),
  set('bt', i32('mul', i32('add', i32('mul', get('bi'), get('l')), get('t')), get('nb'))),
].join('\n');

/** Channel c of a step: `j` (byte offset), dt, dt and dt * u as vectors, and the channel's A row [pa, end). */
const channelStart = [
  set('j', i32('shl', i32('add', get('row'), get('c')), c32(2))),
  set('dt', `(f32.load ${i32('add', get('pdt'), get('j'))})`),
  set('dtv', `(f32x4.splat ${get('dt')})`),
  set('duv', `(f32x4.splat (f32.mul ${get('dt')} (f32.load ${i32('add', get('pu'), get('j'))})))`),
  set('pa', i32('add', get('pA'), i32('mul', get('c'), get('nb')))),
  set('end', i32('add', get('pa'), get('nb'))),
].join('\n');

/** `for c in [c0, c1)`. */
const channels = (body: string) => `${set('c', get('c0'))}
      (block $cdone (loop $cnext
        (br_if $cdone (i32.ge_u ${get('c')} ${get('c1')}))
        ${body}
        ${set('c', i32('add', get('c'), c32(1)))}
        (br $cnext)))`;

const FORWARD_PARAMS = ['b', 'l', 'd', 'n', 'varying', 'pu', 'pdt', 'pA', 'pB', 'pC', 'ph', 'py'];

function forwardKernel(): string {
  return `(func (export "scan_forward") (param $params i32) (param $c0 i32) (param $c1 i32)
  ${locals('i32', ...FORWARD_PARAMS)}
  (local $bi i32) (local $t i32) (local $c i32) (local $nb i32) (local $hrow i32)
  (local $row i32) (local $bt i32) (local $j i32) (local $end i32)
  (local $pa i32) (local $phk i32) (local $pbk i32) (local $pck i32)
  (local $dt f32) (local $dtv v128) (local $duv v128) (local $acc v128) (local $h v128) (local $a v128)
  ${MATH}
  ${fromParams(FORWARD_PARAMS)}
  ${MATH_INIT}
  ${set('nb', i32('shl', get('n'), c32(2)))}
  (block $bdone (loop $bnext
    (br_if $bdone (i32.ge_u ${get('bi')} ${get('b')}))
    ${set('hrow', i32('add', get('ph'), i32('mul', i32('mul', get('bi'), get('d')), get('nb'))))}
    ${set('t', c32(0))}
    (block $tdone (loop $tnext
      (br_if $tdone (i32.ge_u ${get('t')} ${get('l')}))
      ${stepStart}
      ${channels(`${channelStart}
        ${set('phk', i32('add', get('hrow'), i32('mul', get('c'), get('nb'))))}
        ${set('pbk', i32('add', get('pB'), bcOffset))}
        ${set('pck', i32('add', get('pC'), bcOffset))}
        ${set('acc', f32('0'))}
        (loop $k
          ${vexp('a', mul(get('dtv'), load('pa')), EXP)}
          ${set('h', add(mul(get('a'), load('phk')), mul(get('duv'), load('pbk'))))}
          ${store('phk', get('h'))}
          ${set('acc', add(get('acc'), mul(get('h'), load('pck'))))}
          ${bump(['pa', 'phk', 'pbk', 'pck'])}
          (br_if $k (i32.lt_u ${get('pa')} ${get('end')})))
        (f32.store ${i32('add', get('py'), get('j'))} ${hsum('acc')})`)}
      ${set('t', i32('add', get('t'), c32(1)))}
      (br $tnext)))
    ${set('bi', i32('add', get('bi'), c32(1)))}
    (br $bnext)))
)`;
}

const BACKWARD_PARAMS = [
  'b',
  'l',
  'd',
  'n',
  'varying',
  'pu',
  'pdt',
  'pA',
  'pB',
  'pC',
  'ph0',
  'pgy',
  'prow',
  'pcarry',
  'pgu',
  'pgdt',
  'pgA',
  'pgh0',
  'pdec',
];

function backwardKernel(): string {
  // the byte range of channels [c0, c1) inside a [d, n] row
  const slice = i32('mul', get('c0'), get('nb'));
  const sliceBytes = i32('mul', i32('sub', get('c1'), get('c0')), get('nb'));
  return `(func (export "scan_backward") (param $params i32) (param $c0 i32) (param $c1 i32) (param $pgB i32) (param $pgC i32)
  ${locals('i32', ...BACKWARD_PARAMS)}
  (local $bi i32) (local $t i32) (local $c i32) (local $nb i32) (local $dn i32)
  (local $row i32) (local $bt i32) (local $j i32) (local $end i32) (local $bc i32)
  (local $pa i32) (local $phk i32) (local $pprev i32) (local $pbk i32) (local $pck i32)
  (local $pga i32) (local $pgb i32) (local $pgc i32) (local $pcar i32) (local $pdk i32)
  (local $dt f32) (local $u f32) (local $s2 f32)
  (local $dtv v128) (local $duv v128) (local $gyv v128) (local $h v128) (local $a v128)
  (local $av v128) (local $bv v128) (local $g v128) (local $gap v128) (local $s1v v128) (local $s2v v128)
  ${MATH}
  ${fromParams(BACKWARD_PARAMS)}
  ${MATH_INIT}
  ${set('nb', i32('shl', get('n'), c32(2)))}
  ${set('dn', i32('mul', get('d'), get('nb')))}
  (block $bdone (loop $bnext
    (br_if $bdone (i32.ge_u ${get('bi')} ${get('b')}))
    (memory.copy ${i32('add', get('prow'), slice)} ${i32('add', i32('add', get('ph0'), i32('mul', get('bi'), get('dn'))), slice)} ${sliceBytes})
    ;; states h_1 .. h_l into row slots 1 .. l
    ${set('t', c32(0))}
    (block $tdone (loop $tnext
      (br_if $tdone (i32.ge_u ${get('t')} ${get('l')}))
      ${stepStart}
      ${channels(`${channelStart}
        ${set('pprev', i32('add', i32('add', get('prow'), i32('mul', get('t'), get('dn'))), i32('mul', get('c'), get('nb'))))}
        ${set('pdk', i32('add', i32('add', get('pdec'), i32('mul', get('t'), get('dn'))), i32('mul', get('c'), get('nb'))))}
        ${set('phk', i32('add', get('pprev'), get('dn')))}
        ${set('pbk', i32('add', get('pB'), bcOffset))}
        (loop $k
          ${vexp('a', mul(get('dtv'), load('pa')), EXP)}
          ${store('pdk', get('a'))}
          ${store('phk', add(mul(get('a'), load('pprev')), mul(get('duv'), load('pbk'))))}
          ${bump(['pa', 'phk', 'pprev', 'pbk', 'pdk'])}
          (br_if $k (i32.lt_u ${get('pa')} ${get('end')})))`)}
      ${set('t', i32('add', get('t'), c32(1)))}
      (br $tnext)))
    (memory.fill ${i32('add', get('pcarry'), slice)} (i32.const 0) ${sliceBytes})
    ;; the reverse scan
    ${set('t', get('l'))}
    (block $rdone (loop $rnext
      (br_if $rdone (i32.eqz ${get('t')}))
      ${set('t', i32('sub', get('t'), c32(1)))}
      ${stepStart}
      ${channels(`${set('j', i32('shl', i32('add', get('row'), get('c')), c32(2)))}
        ${set('dt', `(f32.load ${i32('add', get('pdt'), get('j'))})`)}
        ${set('u', `(f32.load ${i32('add', get('pu'), get('j'))})`)}
        ${set('dtv', `(f32x4.splat ${get('dt')})`)}
        ${set('duv', `(f32x4.splat (f32.mul ${get('dt')} ${get('u')}))`)}
        ${set('gyv', `(f32x4.splat (f32.load ${i32('add', get('pgy'), get('j'))}))`)}
        ${set('pa', i32('add', get('pA'), i32('mul', get('c'), get('nb'))))}
        ${set('end', i32('add', get('pa'), get('nb')))}
        ${set('pga', i32('add', get('pgA'), i32('mul', get('c'), get('nb'))))}
        ${set('pcar', i32('add', get('pcarry'), i32('mul', get('c'), get('nb'))))}
        ${set('pprev', i32('add', i32('add', get('prow'), i32('mul', get('t'), get('dn'))), i32('mul', get('c'), get('nb'))))}
        ${set('pdk', i32('add', i32('add', get('pdec'), i32('mul', get('t'), get('dn'))), i32('mul', get('c'), get('nb'))))}
        ${set('phk', i32('add', get('pprev'), get('dn')))}
        ${set('bc', bcOffset)}
        ${set('pbk', i32('add', get('pB'), get('bc')))}
        ${set('pck', i32('add', get('pC'), get('bc')))}
        ${set('pgb', i32('add', get('pgB'), get('bc')))}
        ${set('pgc', i32('add', get('pgC'), get('bc')))}
        ${set('s1v', f32('0'))}
        ${set('s2v', f32('0'))}
        (loop $k
          ${set('av', load('pa'))}
          ${set('a', load('pdk'))}
          ${set('bv', load('pbk'))}
          ${set('g', add(mul(get('gyv'), load('pck')), load('pcar')))}
          ${store('pgc', add(load('pgc'), mul(get('gyv'), load('phk'))))}
          ${set('gap', mul(mul(get('g'), load('pprev')), get('a')))}
          ${set('s1v', add(get('s1v'), mul(get('gap'), get('av'))))}
          ${set('s2v', add(get('s2v'), mul(get('g'), get('bv'))))}
          ${store('pga', add(load('pga'), mul(get('gap'), get('dtv'))))}
          ${store('pgb', add(load('pgb'), mul(get('g'), get('duv'))))}
          ${store('pcar', mul(get('g'), get('a')))}
          ${bump(['pa', 'pbk', 'pck', 'pgc', 'phk', 'pprev', 'pga', 'pgb', 'pcar', 'pdk'])}
          (br_if $k (i32.lt_u ${get('pa')} ${get('end')})))
        ${set('s2', hsum('s2v'))}
        (f32.store ${i32('add', get('pgu'), get('j'))} (f32.mul ${get('dt')} ${get('s2')}))
        (f32.store ${i32('add', get('pgdt'), get('j'))} (f32.add ${hsum('s1v')} (f32.mul ${get('u')} ${get('s2')})))`)}
      (br $rnext)))
    (memory.copy ${i32('add', i32('add', get('pgh0'), i32('mul', get('bi'), get('dn'))), slice)} ${i32('add', get('pcarry'), slice)} ${sliceBytes})
    ${set('bi', i32('add', get('bi'), c32(1)))}
    (br $bnext)))
)`;
}

/**
 * The module's WAT: the core's memory and the `exp`, `softplus`, `sigmoid`,
 * `scan_forward` and `scan_backward` kernels.
 * @param variant - shared memory or not (the scan uses no FMA)
 * @returns the WebAssembly text
 */
export function scanWat(variant: WasmVariant): string {
  return `(module
${coreImports(variant)}
${mapKernel('exp', vexp('y', get('v'), EXP))}
${mapKernel('softplus', vsoftplus('y', get('v'), EXP), locals('v128', ...SOFTPLUS_LOCALS))}
${mapKernel('sigmoid', vsigmoid('y', get('v'), EXP))}
${forwardKernel()}
${backwardKernel()}
)
`;
}
