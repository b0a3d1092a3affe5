/**
 * The WebAssembly SIMD kernels against the float64 references and the js
 * kernels: the kernel conformance set in float32 (forward within 1e-5 of
 * the float64 loop reference, gradients within 1e-4 of the js kernels),
 * float64 handed to the js kernels, and end to end through `attention()`
 * (flash and sparse against naive, values and gradients) on the js backend
 * with the kernels opted in and on the `wasm` tensor backend when it is
 * registered.
 */
import { type DType, Generator, listBackends, randn, type Tensor, tensor } from '@x/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { attention } from '../../attention.js';
import type { AttentionOptions } from '../../options.js';
import { slidingWindow } from '../../sparse-patterns.js';
import { checkAttentionKernels } from '../../test/conformance.js';
import { maxAbsDiff } from '../../test/reference.js';
import {
  type AttentionKernels,
  jsKernels,
  registerAttentionKernels,
  wasmSimdKernels,
} from '../registry.js';
import { attentionWasm } from './simd.js';

describe('wasm SIMD kernel conformance', () => {
  it('float32: forward within 1e-5 of float64, gradients within 1e-4 of js', () => {
    for (const result of checkAttentionKernels(wasmSimdKernels, { dtype: 'float32' })) {
      expect(result, result.name).toMatchObject({ passed: true });
    }
  });
  it('float64 arrays run the js kernels (1e-9)', () => {
    for (const result of checkAttentionKernels(wasmSimdKernels)) {
      expect(result, result.name).toMatchObject({ passed: true });
    }
  });
  it('the js kernels pass the float32 check too (the check itself is sound)', () => {
    for (const result of checkAttentionKernels(jsKernels, { dtype: 'float32' })) {
      expect(result, result.name).toMatchObject({ passed: true });
    }
  });
});

/** Counts the kernel calls that reach `wasmSimdKernels` with float32 arrays. */
function counting(): { kernels: AttentionKernels; calls: { float32: number } } {
  const calls = { float32: 0 };
  const count = (array: unknown) => {
    if (array instanceof Float32Array) calls.float32++;
  };
  return {
    calls,
    kernels: {
      ...wasmSimdKernels,
      name: 'wasm-simd-counting',
      flashForward: (p, q, k, v, out, lse) => {
        count(q);
        wasmSimdKernels.flashForward(p, q, k, v, out, lse);
      },
      flashBackward: (p, q, k, v, out, lse, dOut, grads) => {
        count(q);
        wasmSimdKernels.flashBackward(p, q, k, v, out, lse, dOut, grads);
      },
    },
  };
}

interface Case {
  B: number;
  H: number;
  Hkv: number;
  N: number;
  M: number;
  d: number;
  dv: number;
}

const CASES: [string, Case, AttentionOptions][] = [
  ['ragged tiles', { B: 2, H: 2, Hkv: 2, N: 37, M: 45, d: 16, dv: 12 }, { blockSize: 16 }],
  [
    'causal, GQA',
    { B: 1, H: 4, Hkv: 2, N: 70, M: 70, d: 8, dv: 8 },
    { causal: true, blockSize: { query: 16, key: 32 } },
  ],
  [
    'causal, N > M',
    { B: 1, H: 1, Hkv: 1, N: 20, M: 12, d: 8, dv: 8 },
    { causal: true, blockSize: 8 },
  ],
  [
    'decoding N = 1',
    { B: 2, H: 4, Hkv: 1, N: 1, M: 77, d: 16, dv: 16 },
    { causal: true, blockSize: 32 },
  ],
  [
    'ALiBi',
    { B: 1, H: 2, Hkv: 2, N: 40, M: 40, d: 8, dv: 8 },
    { causal: true, alibi: true, blockSize: 16 },
  ],
  ['64 x 64 tiles', { B: 1, H: 1, Hkv: 1, N: 200, M: 200, d: 64, dv: 64 }, { causal: true }],
];

function inputs(c: Case, dtype: DType, backend: string, seed: number) {
  const generator = new Generator(seed);
  const make = (shape: number[]) => randn(shape, { dtype, generator, backend, requiresGrad: true });
  return {
    q: make([c.B, c.H, c.N, c.d]),
    k: make([c.B, c.Hkv, c.M, c.d]),
    v: make([c.B, c.Hkv, c.M, c.dv]),
  };
}

/** Max |a - b| over the values and the q, k, v gradients of sum(out * w). */
function compare(
  c: Case,
  backend: string,
  options: AttentionOptions,
  implementation: 'flash' | 'sparse',
) {
  const run = (impl: 'naive' | 'flash' | 'sparse') => {
    const { q, k, v } = inputs(c, 'float32', backend, 5);
    const out = attention(q, k, v, { ...options, implementation: impl });
    const weights = randn(out.shape as number[], { generator: new Generator(9), backend });
    out.mul(weights).sum().backward();
    return [out, q.grad!, k.grad!, v.grad!].map((t: Tensor) => t.toTypedArray());
  };
  const ours = run(implementation);
  const naive = run('naive');
  return {
    value: maxAbsDiff(ours[0]!, naive[0]!),
    grad: Math.max(...[1, 2, 3].map((i) => maxAbsDiff(ours[i]!, naive[i]!))),
  };
}

const backends = ['js', ...(listBackends().includes('wasm') ? ['wasm'] : [])];

describe.each(backends)(
  'attention() with the SIMD kernels on the %s backend (float32)',
  (backend) => {
    afterEach(() => {
      registerAttentionKernels('js', jsKernels);
      registerAttentionKernels('wasm', wasmSimdKernels);
    });
    for (const [name, c, options] of CASES) {
      it(`flash: ${name}`, () => {
        const { kernels, calls } = counting();
        registerAttentionKernels(backend, kernels);
        const error = compare(c, backend, options, 'flash');
        expect(calls.float32).toBe(2);
        expect(error.value).toBeLessThanOrEqual(1e-5);
        expect(error.grad).toBeLessThanOrEqual(1e-4);
      });
    }
    it('flash with a boolean mask, causal', () => {
      const c = { B: 2, H: 2, Hkv: 1, N: 26, M: 31, d: 8, dv: 8 };
      const g = new Generator(3);
      const bits = Uint8Array.from({ length: c.N * c.M }, () => (g.uniform() < 0.6 ? 1 : 0));
      const mask = tensor(bits, { shape: [c.N, c.M], dtype: 'bool', backend });
      const { kernels, calls } = counting();
      registerAttentionKernels(backend, kernels);
      const error = compare(c, backend, { causal: true, mask, blockSize: 8 }, 'flash');
      expect(calls.float32).toBe(2);
      expect(error.value).toBeLessThanOrEqual(1e-5);
      expect(error.grad).toBeLessThanOrEqual(1e-4);
    });
    it('sparse sliding window', () => {
      const c = { B: 1, H: 2, Hkv: 2, N: 50, M: 50, d: 8, dv: 8 };
      const { kernels, calls } = counting();
      registerAttentionKernels(backend, kernels);
      const error = compare(
        c,
        backend,
        { causal: true, sparse: slidingWindow(12), blockSize: 8 },
        'sparse',
      );
      expect(calls.float32).toBe(2);
      expect(error.value).toBeLessThanOrEqual(1e-5);
      expect(error.grad).toBeLessThanOrEqual(1e-4);
    });
  },
);

describe('linear scan (causal linear attention) on wasm, float32', () => {
  const shapes: [string, Case][] = [
    ['self-attention', { B: 2, H: 2, Hkv: 2, N: 300, M: 300, d: 16, dv: 12 }],
    ['GQA, N < M', { B: 1, H: 4, Hkv: 2, N: 17, M: 40, d: 5, dv: 7 }],
  ];
  for (const [name, c] of shapes) {
    it(`${name}: equals the js kernel within 1e-5, gradients flow`, () => {
      const run = (kernels: AttentionKernels) => {
        registerAttentionKernels('js', kernels);
        const { q, k, v } = inputs(c, 'float32', 'js', 8);
        const out = attention(q, k, v, { causal: true, implementation: 'linear' });
        out.sum().backward();
        return [out, q.grad!].map((t: Tensor) => t.toTypedArray());
      };
      let calls = 0;
      const ours = run({
        ...wasmSimdKernels,
        linearScanForward: (...args) => {
          calls += args[1] instanceof Float32Array ? 1 : 0;
          wasmSimdKernels.linearScanForward(...args);
        },
      });
      const theirs = run(jsKernels);
      registerAttentionKernels('js', jsKernels);
      expect(calls).toBe(1);
      expect(maxAbsDiff(ours[0]!, theirs[0]!)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(ours[1]!, theirs[1]!)).toBeLessThanOrEqual(1e-4);
    });
  }
});

describe('vectorized exp (exp_rows with L = 0)', () => {
  it('is within 2 ulp of Math.exp on [-87, 88], exactly 0 below -87.33 and at -Infinity', () => {
    const width = 4096;
    const got = attentionWasm()!.scope((wasm) => {
      const S = wasm.scratch(width * 4);
      const L = wasm.scratch(width * 4);
      wasm.f32().fill(0, L / 4, L / 4 + width);
      const x = Float32Array.from({ length: width }, (_, i) => -87 + (175 * i) / (width - 5));
      x.set([-87.4, -100, Number.NEGATIVE_INFINITY, 0], width - 4);
      wasm.f32().set(x, S / 4);
      wasm.exports.exp_rows!(S, width, 1, 1, width, L, -(2 ** 30));
      return { x, got: wasm.f32().slice(S / 4, S / 4 + width) };
    });
    const x = got.x;
    let worst = 0;
    for (let i = 0; i < width - 4; i++) {
      const want = Math.exp(x[i]!);
      const ulp = 2 ** (Math.floor(Math.log2(want)) - 23);
      worst = Math.max(worst, Math.abs(got.got[i]! - want) / ulp);
    }
    expect(worst).toBeLessThanOrEqual(2);
    expect(Array.from(got.got.subarray(width - 4))).toEqual([0, 0, 0, 1]);
  });
});

describe('kernel registration', () => {
  it('wasm SIMD for the wasm backend by default, js for js', async () => {
    const { attentionKernels } = await import('../registry.js');
    expect(attentionKernels('wasm')).toBe(wasmSimdKernels);
    expect(attentionKernels('js')).toBe(jsKernels);
  });
});
