/**
 * `packWeights` + `project` against float64 oracles computed here from the
 * unpacked weights: float32 directly, bf16 / f16 after rounding through
 * @x/precision, int8 after a group quantization done in the test
 * (dequantize, then multiply in float64). Odd shapes (M 1..17, K and N not
 * multiples of 4 or 16), both layouts, bias, every backend, and threads 1 vs
 * 2 bit-identical on wasm.
 */
import { float32ToFormat, formatToFloat32 } from '@x/precision';
import { afterAll, describe, expect, it } from 'vitest';
import { listBackends } from '../backend/registry.js';
import { setWasmThreads, startWasmThreads } from '../backends/wasm/index.js';
import { ShapeError } from '../errors.js';
import { tensor } from '../ops/creation.js';
import { Generator } from '../random.js';
import { type PackedFormat, packWeights } from './pack-weights.js';
import { project, projectKernel } from './project.js';

function random(n: number, seed: number): Float32Array {
  const g = new Generator(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = g.uniform() * 2 - 1;
  return out;
}

/** The weights [K, N] as the format stores them, dequantized (float64 values). */
function dequantized(w: Float32Array, K: number, N: number, format: PackedFormat, group: number) {
  if (format === 'f32') return Float64Array.from(w);
  if (format !== 'int8') {
    const name = format === 'bf16' ? 'bfloat16' : 'float16';
    return Float64Array.from(formatToFloat32(name, float32ToFormat(name, w)));
  }
  const out = new Float64Array(K * N);
  for (let n = 0; n < N; n++) {
    for (let k0 = 0; k0 < K; k0 += group) {
      const k1 = Math.min(K, k0 + group);
      let max = 0;
      for (let k = k0; k < k1; k++) max = Math.max(max, Math.abs(w[k * N + n]!));
      const scale = Math.fround(max > 0 ? max / 127 : 1);
      for (let k = k0; k < k1; k++) {
        const v = w[k * N + n]! / scale;
        // round half to even
        let q = Math.round(v);
        if (Math.abs(v % 1) === 0.5 && q % 2 !== 0) q -= 1;
        out[k * N + n] = Math.max(-127, Math.min(127, q)) * scale;
      }
    }
  }
  return out;
}

function oracle(
  x: Float32Array,
  w: Float64Array,
  bias: Float32Array | null,
  M: number,
  K: number,
  N: number,
) {
  const y = new Float64Array(M * N);
  const magnitude = new Float64Array(M * N);
  for (let r = 0; r < M; r++)
    for (let n = 0; n < N; n++) {
      let s = bias ? bias[n]! : 0;
      let a = bias ? Math.abs(bias[n]!) : 0;
      for (let k = 0; k < K; k++) {
        s += x[r * K + k]! * w[k * N + n]!;
        a += Math.abs(x[r * K + k]! * w[k * N + n]!);
      }
      y[r * N + n] = s;
      magnitude[r * N + n] = a;
    }
  return { y, magnitude };
}

const FORMATS: PackedFormat[] = ['f32', 'bf16', 'f16', 'int8'];
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 37, 45],
  [2, 64, 16],
  [3, 19, 33],
  [5, 100, 17],
  [8, 96, 50],
  [13, 33, 31],
  [16, 70, 48],
  [17, 45, 29],
];

describe.each(listBackends())('project on %s', (backend) => {
  it.each(FORMATS)('%s equals the float64 oracle on odd shapes', (format) => {
    for (const group of format === 'int8' ? ([32, 64] as const) : ([32] as const)) {
      for (const [M, K, N] of SHAPES) {
        const x = random(M * K, M * 1000 + K);
        const w = random(K * N, K * 1000 + N);
        const bias = N % 2 === 1 ? random(N, N) : null;
        const packed = packWeights(tensor(w, { shape: [K, N], backend }), {
          format,
          groupSize: group,
        });
        const y = project(
          tensor(x, { shape: [M, K], backend }),
          packed,
          bias ? tensor(bias, { backend }) : null,
        );
        expect(y.shape).toEqual([M, N]);
        const got = y.toTypedArray();
        const want = oracle(x, dequantized(w, K, N, format, group), bias, M, K, N);
        for (let i = 0; i < M * N; i++) {
          const tolerance = 2e-6 * want.magnitude[i]! + 1e-7 + 1e-6 * Math.abs(want.y[i]!);
          expect(
            Math.abs(got[i]! - want.y[i]!),
            `${format} ${M}x${K}x${N} at ${i}`,
          ).toBeLessThanOrEqual(tolerance);
        }
      }
    }
    if (backend === 'wasm') expect(projectKernel.calls.wasm).toBeGreaterThan(0);
  });

  it('takes a Linear weight [N, K] with the out-in layout, and leading batch dims', () => {
    const [K, N] = [21, 35];
    const w = random(K * N, 3);
    const wt = new Float32Array(K * N);
    for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) wt[n * K + k] = w[k * N + n]!;
    const x = random(2 * 3 * K, 4);
    const a = project(
      tensor(x, { shape: [2, 3, K], backend }),
      packWeights(tensor(w, { shape: [K, N], backend })),
    );
    const b = project(
      tensor(x, { shape: [2, 3, K], backend }),
      packWeights(tensor(wt, { shape: [N, K], backend }), { layout: 'out-in' }),
    );
    expect(a.shape).toEqual([2, 3, N]);
    expect(b.toTypedArray()).toEqual(a.toTypedArray());
  });
});

describe('project on wasm threads', () => {
  afterAll(() => setWasmThreads(1));

  it('gives bit-identical results on 1 and 2 threads', async () => {
    const [M, K, N] = [7, 768, 1000];
    const x = tensor(random(M * K, 1), { shape: [M, K], backend: 'wasm' });
    const w = tensor(random(K * N, 2), { shape: [K, N], backend: 'wasm' });
    const bias = tensor(random(N, 3), { backend: 'wasm' });
    const run = () =>
      FORMATS.map((format) => project(x, packWeights(w, { format }), bias).toTypedArray());
    setWasmThreads(1);
    const single = run();
    setWasmThreads(2);
    const threads = await startWasmThreads();
    const threaded = run();
    for (let i = 0; i < single.length; i++) expect(threaded[i]).toEqual(single[i]);
    expect(threads).toBeGreaterThanOrEqual(1);
  });
});

describe('packWeights and project refuse bad input', () => {
  it('names the shapes', () => {
    const packed = packWeights(tensor(random(12, 1), { shape: [3, 4] }));
    expect(() => project(tensor(random(4, 1), { shape: [1, 4] }), packed)).toThrow(ShapeError);
    expect(() => project(tensor(random(3, 1), { shape: [1, 3] }), packed, tensor([1, 2]))).toThrow(
      /bias \[2\] must be \[4\]/,
    );
    expect(() => packWeights(tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() =>
      packWeights(tensor(random(4, 1), { shape: [2, 2] }), { format: 'int4' as PackedFormat }),
    ).toThrow(/format/);
  });
});

describe('project special values', () => {
  it('f16 and bf16 on wasm decode subnormal, huge and infinite weights as the js reference does', () => {
    const [M, K, N] = [2, 5, 18];
    const w = random(K * N, 9).map((v, i) => [v * 1e-6, v * 7e4, v, v * 1e-8][i % 4]!);
    w[3] = Number.POSITIVE_INFINITY;
    const x = random(M * K, 10).map(Math.abs);
    for (const format of ['f16', 'bf16'] as const) {
      const [a, b] = (['js', 'wasm'] as const).map((backend) =>
        project(
          tensor(x, { shape: [M, K], backend }),
          packWeights(tensor(w, { shape: [K, N], backend }), { format }),
        ).toTypedArray(),
      );
      for (let i = 0; i < M * N; i++) {
        if (!Number.isFinite(a![i]!)) expect(b![i]).toBe(a![i]);
        else expect(Math.abs(b![i]! - a![i]!)).toBeLessThanOrEqual(1e-6 * Math.abs(a![i]!) + 1e-12);
      }
    }
  });
});

describe('the wasm copy of packed weights', () => {
  it('replaces the host copy after the first wasm product; js products read it; release moves it back', () => {
    const [M, K, N] = [3, 40, 37];
    const x = random(M * K, 11);
    const packed = packWeights(tensor(random(K * N, 12), { shape: [K, N] }), { format: 'int8' });
    const before = packed.data.slice();
    const onJs = () => project(tensor(x, { shape: [M, K], backend: 'js' }), packed).toTypedArray();
    const reference = onJs();
    project(tensor(x, { shape: [M, K], backend: 'wasm' }), packed);
    expect(packed.wasmCopy).not.toBeNull();
    expect(packed.data).toEqual(before);
    expect(onJs()).toEqual(reference);
    packed.releaseWasmCopy();
    expect(packed.wasmCopy).toBeNull();
    expect(packed.data).toEqual(before);
    expect(onJs()).toEqual(reference);
    expect(packed.bytes).toBe(before.byteLength + packed.scales!.byteLength);
  });
});

describe('rows do not depend on how many rows share a product', () => {
  it.each(['f32', 'bf16', 'f16', 'int8'] as const)(
    '%s: each row of a 7-row product equals the row alone (bit for bit, on wasm)',
    (format) => {
      const [M, K, N] = [7, 50, 35];
      const x = random(M * K, 21);
      const packed = packWeights(tensor(random(K * N, 22), { shape: [K, N] }), { format });
      const all = project(tensor(x, { shape: [M, K], backend: 'wasm' }), packed).toTypedArray();
      for (let r = 0; r < M; r++) {
        const one = project(
          tensor(x.subarray(r * K, (r + 1) * K), { shape: [1, K], backend: 'wasm' }),
          packed,
        ).toTypedArray();
        expect(one).toEqual(all.subarray(r * N, (r + 1) * N));
      }
    },
  );
});
