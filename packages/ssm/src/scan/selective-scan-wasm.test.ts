/**
 * The WebAssembly SIMD selective scan against the JS kernel run in float64 on
 * the same (float32-representable) inputs, the vectorized exp against
 * Math.exp, the dispatch of `selectiveScanChannelsLast`, and the generated
 * module bytes against a fresh compilation of the WAT source.
 */
import { rand, randn, tensor } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { compileModule } from '../../../../scripts/wasm/generate.js';
import { modules } from '../../wasm/modules.js';
import { SCAN_WASM } from './generated/scan-wasm.js';
import { selectiveScanChannelsLast } from './selective-scan.js';
import { type ScanArrays, scanBackward, scanForward, softplus } from './selective-scan-kernel.js';
import {
  setWasmScan,
  useWasmScan,
  wasmElementwise,
  wasmScanAvailable,
  wasmScanBackward,
  wasmScanForward,
} from './selective-scan-wasm.js';

// The generated module (git-ignored, written by `npm run generate`) against a fresh compilation.
const compileScanKernels = async () => (await compileModule(modules[0]!)).plain!;
const SCAN_WASM_BASE64 = SCAN_WASM.variants.plain;

/** Deterministic float32 values (a small LCG), uniform in [lo, hi). */
function values(count: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

/** max |a - ref| / max |ref| (relative to the array's scale). */
function relErr(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - ref[i]!));
    scale = Math.max(scale, Math.abs(ref[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

interface Case {
  b: number;
  d: number;
  l: number;
  n: number;
  h0: boolean;
  extras: boolean; // z, D, deltaBias, softplus
  varying: boolean;
}

function arrays(c: Case, seed: number): { f32: ScanArrays; f64: ScanArrays } {
  const { b, d, l, n } = c;
  const bc = c.varying ? b * l * n : d * n;
  const f32: ScanArrays = {
    b,
    d,
    l,
    n,
    u: values(b * l * d, seed + 1),
    // dt > 0 without softplus; raw deltas around 0 with it
    delta: c.extras ? values(b * l * d, seed + 2, -2, 1) : values(b * l * d, seed + 2, 0.01, 0.6),
    A: values(d * n, seed + 3, -4, -0.05),
    B: values(bc, seed + 4),
    C: values(bc, seed + 5),
    varying: c.varying,
    D: c.extras ? values(d, seed + 6) : null,
    z: c.extras ? values(b * l * d, seed + 7) : null,
    deltaBias: c.extras ? values(d, seed + 8, -1, 0.5) : null,
    softplus: c.extras,
    h0: c.h0 ? values(b * d * n, seed + 9) : null,
  };
  const wide = (x: ArrayLike<number> | null) => (x ? Float64Array.from(x) : null);
  const f64: ScanArrays = {
    ...f32,
    u: wide(f32.u)!,
    delta: wide(f32.delta)!,
    A: wide(f32.A)!,
    B: wide(f32.B)!,
    C: wide(f32.C)!,
    D: wide(f32.D),
    z: wide(f32.z),
    deltaBias: wide(f32.deltaBias),
    h0: wide(f32.h0),
  };
  return { f32, f64 };
}

const cases: Case[] = [];
let index = 0;
for (const n of [4, 16, 32])
  for (const d of [1, 3, 64])
    for (const l of [1, 7, 80]) {
      // cycle the options so that every combination appears across the shapes
      const k = index++;
      cases.push({
        b: 1 + 2 * (k % 2),
        d,
        l,
        n,
        h0: k % 3 !== 0,
        extras: k % 4 < 2,
        varying: k % 5 !== 2,
      });
    }
for (const h0 of [false, true])
  for (const extras of [false, true])
    for (const varying of [false, true])
      cases.push({ b: 3, d: 5, l: 9, n: 8, h0, extras, varying });

const name = (c: Case) =>
  `b ${c.b} l ${c.l} d ${c.d} n ${c.n}${c.h0 ? ', h0' : ''}${c.extras ? ', z/D/deltaBias/softplus' : ''}${c.varying ? ', varying' : ', fixed B/C'}`;

describe('WebAssembly SIMD selective scan', () => {
  it('instantiates on Node.js and the committed bytes match a fresh compilation', async () => {
    expect(wasmScanAvailable()).toBe(true);
    const bytes = await compileScanKernels();
    expect(Buffer.from(bytes).toString('base64')).toBe(SCAN_WASM_BASE64);
  });

  it('vectorized exp is within 2e-7 relative of Math.exp over [-87.3, 0], finite and tiny below', () => {
    const count = 1 << 16;
    const x = new Float32Array(count);
    for (let i = 0; i < count; i++) x[i] = -100 + (100 * i) / (count - 1);
    x.set([0, -0, -1e-30, -87.3, -87.35, -100, -1e30, Number.NEGATIVE_INFINITY], 0);
    const e = wasmElementwise('exp', x);
    let worst = 0;
    for (let i = 0; i < count; i++) {
      const ref = Math.exp(x[i]!);
      expect(Number.isFinite(e[i]!)).toBe(true);
      if (x[i]! >= -87.3) worst = Math.max(worst, Math.abs(e[i]! - ref) / ref);
      // below float32's normal range the result is flushed to 0
      else expect(Math.abs(e[i]! - ref)).toBeLessThan(1.25e-38);
    }
    expect(worst).toBeLessThan(2e-7);
    // positive inputs are clamped finite; NaN propagates
    const big = wasmElementwise('exp', [1, 10, 88, 1e6, Number.POSITIVE_INFINITY, Number.NaN]);
    expect(relErr(big.subarray(0, 3), [Math.exp(1), Math.exp(10), Math.exp(88)])).toBeLessThan(
      2e-7,
    );
    expect(Number.isFinite(big[3]!) && Number.isFinite(big[4]!)).toBe(true);
    expect(big[5]).toBeNaN();
  });

  it('vectorized softplus and sigmoid are within float32 accuracy of the scalar ones', () => {
    const count = 1 << 15;
    const x = new Float32Array(count);
    for (let i = 0; i < count; i++) x[i] = -30 + (60 * i) / (count - 1);
    const sp = wasmElementwise('softplus', x);
    const sg = wasmElementwise('sigmoid', x);
    let spWorst = 0;
    let sgWorst = 0;
    for (let i = 0; i < count; i++) {
      const v = x[i]!;
      spWorst = Math.max(spWorst, Math.abs(sp[i]! - softplus(v)) / softplus(v));
      const s = 1 / (1 + Math.exp(-v));
      sgWorst = Math.max(sgWorst, Math.abs(sg[i]! - s) / s);
    }
    expect(spWorst).toBeLessThan(5e-7);
    expect(sgWorst).toBeLessThan(3e-7);
    // large arguments: softplus(x) = x, sigmoid saturates; NaN propagates
    expect(Array.from(wasmElementwise('softplus', [100, -200, Number.NaN]))).toEqual([
      100,
      0,
      Number.NaN,
    ]);
    const ends = wasmElementwise('sigmoid', [100, -200]);
    expect(ends[0]).toBe(1);
    expect(ends[1]).toBeLessThan(1e-38);
  });

  it.each(cases)('forward and backward equal the float64 JS kernel: %#', (c) => {
    const { f32, f64 } = arrays(c, index * 7 + c.l + c.d * 13 + c.n * 131);
    expect(useWasmScan(f32), name(c)).toBe(true);
    expect(useWasmScan(f64)).toBe(false);
    const { b, l, d, n } = c;
    const out = new Float32Array(b * l * d);
    const last = new Float32Array(b * d * n);
    const saved = wasmScanForward(f32, out, last, true)!;
    const ref = new Float64Array(b * l * d);
    const refLast = new Float64Array(b * d * n);
    const refSaved = scanForward(f64, ref, refLast, true)!;
    expect(relErr(out, ref), name(c)).toBeLessThan(1e-5);
    expect(relErr(last, refLast), name(c)).toBeLessThan(1e-5);
    const gOut = values(b * l * d, 99);
    const g = wasmScanBackward(f32, saved, gOut);
    const gr = scanBackward(f64, refSaved, Float64Array.from(gOut));
    for (const key of ['u', 'delta', 'A', 'B', 'C', 'D', 'z', 'deltaBias', 'h0'] as const) {
      const got = g[key];
      const want = gr[key];
      expect(got === null, `${key}: ${name(c)}`).toBe(want === null);
      // sums over steps (and channels, for fixed B/C) accumulate float32 rounding
      const summed = ['A', 'D', 'deltaBias'].includes(key) || (!c.varying && 'BC'.includes(key));
      if (got && want)
        expect(relErr(got, want), `${key}: ${name(c)}`).toBeLessThan(summed ? 1e-4 : 2e-5);
    }
  });

  it('selectiveScanChannelsLast runs float32 on wasm with the gradients of the JS kernel', () => {
    const [b, l, d, n] = [2, 6, 4, 8];
    const make = (dtype: 'float32' | 'float64', source: ReturnType<typeof draws>) => ({
      u: tensor(source.u, { shape: [b, l, d], dtype, requiresGrad: true }),
      delta: tensor(source.delta, { shape: [b, l, d], dtype, requiresGrad: true }),
      A: tensor(source.A, { shape: [d, n], dtype, requiresGrad: true }),
      B: tensor(source.B, { shape: [b, l, n], dtype, requiresGrad: true }),
      C: tensor(source.C, { shape: [b, l, n], dtype, requiresGrad: true }),
      D: tensor(source.D, { shape: [d], dtype, requiresGrad: true }),
      h0: tensor(source.h0, { shape: [b, d, n], dtype, requiresGrad: true }),
    });
    const draws = () => ({
      u: randn([b * l * d]).toTypedArray(),
      delta: randn([b * l * d]).toTypedArray(),
      A: rand([d * n])
        .add(0.5)
        .neg()
        .toTypedArray(),
      B: randn([b * l * n]).toTypedArray(),
      C: randn([b * l * n]).toTypedArray(),
      D: randn([d]).toTypedArray(),
      h0: randn([b * d * n]).toTypedArray(),
    });
    const source = draws();
    const run = (x: ReturnType<typeof make>) => {
      const { y } = selectiveScanChannelsLast(x.u, x.delta, x.A, x.B, x.C, {
        D: x.D,
        initialState: x.h0,
        deltaSoftplus: true,
      });
      y.mul(y).sum().backward();
      return y;
    };
    const x32 = make('float32', source);
    const x64 = make('float64', source);
    const y32 = run(x32);
    const y64 = run(x64);
    expect(relErr(y32.toTypedArray(), y64.toTypedArray())).toBeLessThan(1e-5);
    for (const key of ['u', 'delta', 'A', 'B', 'C', 'D', 'h0'] as const)
      expect(
        relErr(x32[key].grad!.toTypedArray(), x64[key].grad!.toTypedArray()),
        key,
      ).toBeLessThan(1e-4);
    // the JS kernel gives the same float32 result when wasm is turned off
    setWasmScan(false);
    try {
      const xs = make('float32', source);
      expect(relErr(run(xs).toTypedArray(), y64.toTypedArray())).toBeLessThan(1e-5);
    } finally {
      setWasmScan(true);
    }
  });
});
