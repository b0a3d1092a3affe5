/**
 * The WebAssembly SIMD selective scan of @x/ssm, as WebAssembly text (WAT)
 * built from small templates. `wasm/generate-wasm.ts` compiles it with wabt
 * (an npm devDependency) into `src/scan/wasm-bytes.generated.ts`, and a test
 * recompiles it and checks the committed bytes match.
 *
 * Shapes and layout are those of `src/scan/selective-scan-kernel.ts`
 * (channels-last, float32): u, dt, y, gy: [b, l, d]; A: [d, n];
 * B, C: [b, l, n] (`varying`) or [d, n]; h: [b, d, n]. Every pointer is a
 * byte offset into the module's memory, 16-byte aligned, and n % 4 == 0: the
 * state dimension is processed four lanes at a time (f32x4), with no tail.
 *
 * `scan_forward`: h = exp(dt A) h + dt u B, y = <h, C> per (batch, step,
 * channel); h holds the initial state on entry and the last state on exit.
 * `scan_backward`: per batch row, recomputes the states h_0 .. h_l into a row
 * buffer ((l + 1) d n floats, slot 0 = the initial state) and the decays
 * a_t = exp(dt_t A) into another (l d n floats), then walks t from the end
 * with G = gy C + carry (Gu & Dao 2023, the reverse scan of the CUDA kernel):
 * gC += gy h_t, gA += G h_{t-1} a dt, gB += G dt u,
 * gdt = sum(G h_{t-1} a A) + u sum(G B), gu = dt sum(G B), carry = G a, and
 * the carry after t = 0 is dL/dh0. One exponential per element in the
 * backward (the exponential dominates: keeping decays per row halved it);
 * nothing of size b l d n survives between forward and backward.
 *
 * `softplus` and `sigmoid` map flat arrays (n % 4 == 0) for the driver:
 * softplus(x) = max(x, 0) + log1p(exp(-|x|)), log1p(t) = log(1 + t) t /
 * ((1 + t) - 1) with log on [1, 2] as 2 atanh((m - 1) / (m + 1)) (m halved
 * above sqrt 2, series to s^9); sigmoid(x) = 1 / (1 + exp(-x)). `exp` maps
 * the exponential alone (tests).
 *
 * The exponential (`exp4`): x clamped to [-87.3, 88] (f32x4.pmax / pmin:
 * one instruction each, where max / min pay for NaN and -0 rules),
 * k = f32x4.nearest(x log2 e),
 * r = x - k ln2 (Cody-Waite, two constants), exp(r) by the degree-7
 * polynomial of Cephes' `expf` (1 + r + r^2 p(r), |r| <= ln2 / 2), scaled by
 * 2^k built from the exponent bits ((k + 127) << 23). Inputs below -87.3
 * (results under float32's normal range) give 0; NaN propagates. Its
 * constants live in locals set once per call (V8 rematerializes a
 * `v128.const` inside a loop on every iteration). Measured against Math.exp
 * on a dense grid over [-87.3, 5]: relative error at most 8.1e-8.
 */

const f32 = (literal: string) => `(v128.const f32x4 ${literal} ${literal} ${literal} ${literal})`;
const get = (name: string) => `(local.get $${name})`;
const set = (name: string, value: string) => `(local.set $${name} ${value})`;
const mul = (x: string, y: string) => `(f32x4.mul ${x} ${y})`;
const add = (x: string, y: string) => `(f32x4.add ${x} ${y})`;
const sub = (x: string, y: string) => `(f32x4.sub ${x} ${y})`;
const load = (ptr: string) => `(v128.load (local.get $${ptr}))`;
const store = (ptr: string, value: string) => `(v128.store (local.get $${ptr}) ${value})`;
const i32 = (op: string, x: string, y: string) => `(i32.${op} ${x} ${y})`;
const c32 = (value: number) => `(i32.const ${value})`;
const bump = (names: string[]) => names.map((p) => set(p, i32('add', get(p), c32(16)))).join('\n');
/** Horizontal sum of an f32x4 local. */
const hsum = (name: string) =>
  `(f32.add (f32.add (f32x4.extract_lane 0 ${get(name)}) (f32x4.extract_lane 1 ${get(name)})) (f32.add (f32x4.extract_lane 2 ${get(name)}) (f32x4.extract_lane 3 ${get(name)})))`;

/** Cephes expf coefficients, highest degree first (of p in 1 + r + r^2 p(r)). */
const EXP_POLY = [
  '1.9875691500e-4',
  '1.3981999507e-3',
  '8.3334519073e-3',
  '4.1665795894e-2',
  '1.6666665459e-1',
  '5.0000001201e-1',
];

/**
 * The exponential's constants, held in locals set once per call: V8 does not
 * hoist `v128.const` out of loops (hoisting them gained about 10% here).
 */
const EXP_CONSTANTS: Record<string, string> = {
  lo: f32('-87.3'),
  hi: f32('88.0'),
  log2e: f32('1.44269504088896341'),
  ln2hi: f32('0.693359375'),
  ln2lo: f32('-2.12194440e-4'),
  bias: '(v128.const i32x4 127 127 127 127)',
  one: f32('1.0'),
  ...Object.fromEntries(EXP_POLY.map((c, i) => [`p${i}`, f32(c)])),
};
const K = (name: string) => get(`k_${name}`);

/** Locals of `exp4` (declare in every function that uses it). */
const EXP_LOCALS = [
  '(local $ex v128) (local $ek v128) (local $er v128) (local $ep v128)',
  ...Object.keys(EXP_CONSTANTS).map((name) => `(local $k_${name} v128)`),
].join(' ');

/** Statements that set the exponential's constant locals (once, before the loops). */
const EXP_INIT = Object.entries(EXP_CONSTANTS)
  .map(([name, value]) => set(`k_${name}`, value))
  .join('\n');

/** Statements: exp of the f32x4 `input` into local `out` (uses $ex $ek $er $ep and the constants). */
export function exp4(input: string, out: string): string {
  const steps = [set('ep', K('p0'))];
  for (let i = 1; i < EXP_POLY.length; i++)
    steps.push(set('ep', add(mul(get('ep'), get('er')), K(`p${i}`))));
  return [
    set('ex', input),
    // pmax / pmin are single instructions (max / min keep NaN and -0 rules at a cost); NaN passes
    set('ek', `(f32x4.pmin (f32x4.pmax ${get('ex')} ${K('lo')}) ${K('hi')})`),
    set('ep', `(f32x4.nearest ${mul(get('ek'), K('log2e'))})`),
    set('ek', sub(sub(get('ek'), mul(get('ep'), K('ln2hi'))), mul(get('ep'), K('ln2lo')))),
    set(
      'ex',
      `(v128.andnot (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s ${get('ep')}) ${K('bias')}) (i32.const 23)) (f32x4.lt ${get('ex')} ${K('lo')}))`,
    ),
    set('er', get('ek')),
    ...steps,
    // 1 + r + r^2 p
    set('ep', add(add(mul(mul(get('ep'), get('er')), get('er')), get('er')), K('one'))),
    set(out, mul(get('ep'), get('ex'))),
  ].join('\n');
}

/**
 * A kernel mapping n floats (n % 4 == 0) from src to dst, four at a time:
 * `body` reads local $v and leaves the result in $v.
 */
function mapKernel(name: string, body: string, locals = ''): string {
  return `(func (export "${name}") (param $src i32) (param $dst i32) (param $n i32)
  (local $end i32) (local $v v128) (local $w v128) (local $m v128) (local $s v128) (local $s2 v128) ${locals} ${EXP_LOCALS}
  ${EXP_INIT}
  ${set('end', i32('add', get('src'), i32('shl', get('n'), c32(2))))}
  (block $done (loop $next
    (br_if $done (i32.ge_u ${get('src')} ${get('end')}))
    ${set('v', load('src'))}
    ${body}
    ${store('dst', get('v'))}
    ${bump(['src', 'dst'])}
    (br $next)))
)`;
}

/** log(m) for m in [1, 2] into $v (uses $m $s $s2 $w): halve m above sqrt 2, then 2 atanh((m - 1) / (m + 1)) to s^9. */
function log12(input: string): string {
  const series = ['0.11111111111', '0.14285714286', '0.2', '0.33333333333'];
  let p = f32(series[0]!);
  for (const c of series.slice(1)) p = add(mul(p, get('s2')), f32(c));
  return [
    set('m', input),
    set('w', `(f32x4.gt ${get('m')} ${f32('1.41421356')})`),
    set('m', `(v128.bitselect ${mul(get('m'), f32('0.5'))} ${get('m')} ${get('w')})`),
    set('s', `(f32x4.div ${sub(get('m'), K('one'))} ${add(get('m'), K('one'))})`),
    set('s2', mul(get('s'), get('s'))),
    set('v', mul(mul(get('s'), f32('2.0')), add(mul(p, get('s2')), K('one')))),
    set('v', add(get('v'), `(v128.and ${get('w')} ${f32('0.693147180560')})`)),
  ].join('\n');
}

/**
 * softplus(x) = max(x, 0) + log1p(exp(-|x|)), with log1p(t) = log(1 + t) t / ((1 + t) - 1)
 * (exact to float32 also for tiny t; t itself where 1 + t rounds to 1).
 */
const softplusBody = [
  exp4(`(f32x4.neg (f32x4.abs ${get('v')}))`, 't'),
  set('q', `(f32x4.pmax ${get('v')} ${f32('0')})`),
  set('u1', add(get('t'), K('one'))),
  set('d1', sub(get('u1'), K('one'))),
  log12(get('u1')),
  set(
    'v',
    add(
      get('q'),
      `(v128.bitselect ${get('t')} (f32x4.div ${mul(get('v'), get('t'))} ${get('d1')}) (f32x4.eq ${get('d1')} ${f32('0')}))`,
    ),
  ),
].join('\n');

/** sigmoid(x) = 1 / (1 + exp(-x)). */
const sigmoidBody = [
  exp4(`(f32x4.neg ${get('v')})`, 'v'),
  set('v', `(f32x4.div ${K('one')} ${add(K('one'), get('v'))})`),
].join('\n');

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

function forwardKernel(): string {
  return `(func (export "scan_forward")
  (param $b i32) (param $l i32) (param $d i32) (param $n i32) (param $varying i32)
  (param $pu i32) (param $pdt i32) (param $pA i32) (param $pB i32) (param $pC i32)
  (param $ph i32) (param $py i32)
  (local $bi i32) (local $t i32) (local $c i32) (local $nb i32) (local $hrow i32)
  (local $row i32) (local $bt i32) (local $j i32) (local $end i32)
  (local $pa i32) (local $phk i32) (local $pbk i32) (local $pck i32)
  (local $dt f32) (local $dtv v128) (local $duv v128) (local $acc v128) (local $h v128) (local $a v128)
  ${EXP_LOCALS}
  ${EXP_INIT}
  ${set('nb', i32('shl', get('n'), c32(2)))}
  (block $bdone (loop $bnext
    (br_if $bdone (i32.ge_u ${get('bi')} ${get('b')}))
    ${set('hrow', i32('add', get('ph'), i32('mul', i32('mul', get('bi'), get('d')), get('nb'))))}
    ${set('t', c32(0))}
    (block $tdone (loop $tnext
      (br_if $tdone (i32.ge_u ${get('t')} ${get('l')}))
      ${stepStart}
      ${set('c', c32(0))}
      (block $cdone (loop $cnext
        (br_if $cdone (i32.ge_u ${get('c')} ${get('d')}))
        ${channelStart}
        ${set('phk', i32('add', get('hrow'), i32('mul', get('c'), get('nb'))))}
        ${set('pbk', i32('add', get('pB'), bcOffset))}
        ${set('pck', i32('add', get('pC'), bcOffset))}
        ${set('acc', f32('0'))}
        (loop $k
          ${exp4(mul(get('dtv'), load('pa')), 'a')}
          ${set('h', add(mul(get('a'), load('phk')), mul(get('duv'), load('pbk'))))}
          ${store('phk', get('h'))}
          ${set('acc', add(get('acc'), mul(get('h'), load('pck'))))}
          ${bump(['pa', 'phk', 'pbk', 'pck'])}
          (br_if $k (i32.lt_u ${get('pa')} ${get('end')})))
        (f32.store ${i32('add', get('py'), get('j'))} ${hsum('acc')})
        ${set('c', i32('add', get('c'), c32(1)))}
        (br $cnext)))
      ${set('t', i32('add', get('t'), c32(1)))}
      (br $tnext)))
    ${set('bi', i32('add', get('bi'), c32(1)))}
    (br $bnext)))
)`;
}

function backwardKernel(): string {
  return `(func (export "scan_backward")
  (param $b i32) (param $l i32) (param $d i32) (param $n i32) (param $varying i32)
  (param $pu i32) (param $pdt i32) (param $pA i32) (param $pB i32) (param $pC i32)
  (param $ph0 i32) (param $pgy i32) (param $prow i32) (param $pcarry i32)
  (param $pgu i32) (param $pgdt i32) (param $pgA i32) (param $pgB i32) (param $pgC i32) (param $pgh0 i32) (param $pdec i32)
  (local $bi i32) (local $t i32) (local $c i32) (local $nb i32) (local $dn i32)
  (local $row i32) (local $bt i32) (local $j i32) (local $end i32) (local $bc i32)
  (local $pa i32) (local $phk i32) (local $pprev i32) (local $pbk i32) (local $pck i32)
  (local $pga i32) (local $pgb i32) (local $pgc i32) (local $pcar i32) (local $pdk i32)
  (local $dt f32) (local $u f32) (local $s2 f32)
  (local $dtv v128) (local $duv v128) (local $gyv v128) (local $h v128) (local $a v128)
  (local $av v128) (local $bv v128) (local $g v128) (local $gap v128) (local $s1v v128) (local $s2v v128)
  ${EXP_LOCALS}
  ${EXP_INIT}
  ${set('nb', i32('shl', get('n'), c32(2)))}
  ${set('dn', i32('mul', get('d'), get('nb')))}
  (block $bdone (loop $bnext
    (br_if $bdone (i32.ge_u ${get('bi')} ${get('b')}))
    (memory.copy ${get('prow')} ${i32('add', get('ph0'), i32('mul', get('bi'), get('dn')))} ${get('dn')})
    ;; states h_1 .. h_l into row slots 1 .. l
    ${set('t', c32(0))}
    (block $tdone (loop $tnext
      (br_if $tdone (i32.ge_u ${get('t')} ${get('l')}))
      ${stepStart}
      ${set('c', c32(0))}
      (block $cdone (loop $cnext
        (br_if $cdone (i32.ge_u ${get('c')} ${get('d')}))
        ${channelStart}
        ${set('pprev', i32('add', i32('add', get('prow'), i32('mul', get('t'), get('dn'))), i32('mul', get('c'), get('nb'))))}
        ${set('pdk', i32('add', i32('add', get('pdec'), i32('mul', get('t'), get('dn'))), i32('mul', get('c'), get('nb'))))}
        ${set('phk', i32('add', get('pprev'), get('dn')))}
        ${set('pbk', i32('add', get('pB'), bcOffset))}
        (loop $k
          ${exp4(mul(get('dtv'), load('pa')), 'a')}
          ${store('pdk', get('a'))}
          ${store('phk', add(mul(get('a'), load('pprev')), mul(get('duv'), load('pbk'))))}
          ${bump(['pa', 'phk', 'pprev', 'pbk', 'pdk'])}
          (br_if $k (i32.lt_u ${get('pa')} ${get('end')})))
        ${set('c', i32('add', get('c'), c32(1)))}
        (br $cnext)))
      ${set('t', i32('add', get('t'), c32(1)))}
      (br $tnext)))
    (memory.fill ${get('pcarry')} (i32.const 0) ${get('dn')})
    ;; the reverse scan
    ${set('t', get('l'))}
    (block $rdone (loop $rnext
      (br_if $rdone (i32.eqz ${get('t')}))
      ${set('t', i32('sub', get('t'), c32(1)))}
      ${stepStart}
      ${set('c', c32(0))}
      (block $cdone (loop $cnext
        (br_if $cdone (i32.ge_u ${get('c')} ${get('d')}))
        ${set('j', i32('shl', i32('add', get('row'), get('c')), c32(2)))}
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
        (f32.store ${i32('add', get('pgdt'), get('j'))} (f32.add ${hsum('s1v')} (f32.mul ${get('u')} ${get('s2')})))
        ${set('c', i32('add', get('c'), c32(1)))}
        (br $cnext)))
      (br $rnext)))
    (memory.copy ${i32('add', get('pgh0'), i32('mul', get('bi'), get('dn')))} ${get('pcarry')} ${get('dn')})
    ${set('bi', i32('add', get('bi'), c32(1)))}
    (br $bnext)))
)`;
}

/**
 * The module's WAT: a growable memory and the `exp`, `scan_forward` and
 * `scan_backward` kernels.
 * @returns the WebAssembly text
 */
export function wasmSource(): string {
  return `(module
(memory (export "memory") 1)
${mapKernel('exp', exp4(get('v'), 'v'))}
${mapKernel('softplus', softplusBody, '(local $t v128) (local $q v128) (local $u1 v128) (local $d1 v128)')}
${mapKernel('sigmoid', sigmoidBody)}
${forwardKernel()}
${backwardKernel()}
)
`;
}
