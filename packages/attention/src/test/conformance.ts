/**
 * Kernel conformance: runs a backend's attention kernels on small random
 * problems and compares them with the float64 references (forward) and with
 * the js reference kernels (backward, linear scan). A backend that registers
 * kernels with `registerAttentionKernels` asserts `passed` in its tests.
 */
import { Generator } from '@x/tensor';
import { dropoutUniform } from '../kernels/dropout-hash.js';
import type { AttentionProblem, FloatArray, MaskView } from '../kernels/problem.js';
import { type AttentionKernels, jsKernels } from '../kernels/registry.js';
import { slidingWindow } from '../sparse-patterns.js';
import { maxAbsDiff, referenceAttention, referenceLinearAttention } from './reference.js';

/** One problem of the conformance set. */
export interface KernelConformanceCase {
  readonly name: string;
  readonly problem: AttentionProblem;
}

/** The comparison of one case. */
export interface KernelConformanceResult {
  readonly name: string;
  /** Max |out - reference| of the forward pass. */
  readonly forwardError: number;
  /** Max |grad - js kernel's grad| over dq, dk, dv. */
  readonly backwardError: number;
  /** Max |out - reference| of the causal linear scan. */
  readonly linearError: number;
  /** True when every error is within `tolerance`. */
  readonly passed: boolean;
}

function problem(name: string, sizes: Partial<AttentionProblem>): KernelConformanceCase {
  return {
    name,
    problem: {
      batch: 1,
      heads: 2,
      kvHeads: 1,
      queries: 9,
      keys: 13,
      headDim: 8,
      valueDim: 4,
      scale: 0.35,
      causal: false,
      mask: null,
      alibiSlopes: null,
      pattern: null,
      dropout: 0,
      dropoutSeed: 0,
      blockQuery: 4,
      blockKey: 8,
      ...sizes,
    },
  };
}

/** A fixed pseudo-random [N, M] mask (about 60% kept), broadcast over batch and heads. */
function maskOf(queries: number, keys: number): MaskView {
  const g = new Generator(77);
  const data = Uint8Array.from({ length: queries * keys }, () => (g.uniform() < 0.6 ? 1 : 0));
  return { data, offset: 0, strides: [0, 0, keys, 1] };
}

/**
 * The default conformance set: plain (N, M not multiples of the tiles),
 * causal, grouped-query, ALiBi, one-query decoding, one-row tiles, a boolean
 * mask, a sliding-window pattern, dropout, and 64 x 64 tiles at d = 64
 * (the sizes the benchmarks run).
 */
export const DEFAULT_CASES: readonly KernelConformanceCase[] = [
  problem('plain', {}),
  problem('causal', { causal: true }),
  problem('gqa-causal', { heads: 4, kvHeads: 2, batch: 2, causal: true, queries: 13 }),
  problem('alibi', { causal: true, alibiSlopes: Float64Array.of(0.5, 0.25) }),
  problem('decode', { queries: 1, keys: 21, causal: true }),
  problem('one-row-tiles', { blockQuery: 1, blockKey: 3, queries: 5, keys: 5, causal: true }),
  problem('mask-causal', { causal: true, mask: maskOf(9, 13) }),
  problem('window-pattern', { causal: true, pattern: slidingWindow(5), queries: 13 }),
  problem('dropout', { causal: true, dropout: 0.3, dropoutSeed: 11 }),
  problem('tiles-64', {
    heads: 1,
    queries: 150,
    keys: 150,
    headDim: 64,
    valueDim: 64,
    scale: 0.125,
    causal: true,
    blockQuery: 64,
    blockKey: 64,
  }),
];

function random(length: number, generator: Generator, float32: boolean): Float64Array {
  const values = Float64Array.from({ length }, () => generator.normal());
  return float32 ? Float64Array.from(Float32Array.from(values)) : values;
}

/** The reference's rules for a problem's mask, pattern and dropout. */
function referenceRules(p: AttentionProblem) {
  const { mask, pattern } = p;
  const off = p.keys - p.queries;
  const allowed =
    mask === null && pattern === null
      ? undefined
      : (b: number, h: number, i: number, j: number) => {
          if (mask !== null) {
            const [sb, sh, sn, sm] = mask.strides;
            if (mask.data[mask.offset + b * sb + h * sh + i * sn + j * sm] === 0) return false;
          }
          return pattern === null || pattern.allows(i + off, j, h);
        };
  const dropout =
    p.dropout > 0
      ? {
          p: p.dropout,
          keep: (bh: number, i: number, j: number) =>
            dropoutUniform(p.dropoutSeed, bh, i, j) >= p.dropout,
        }
      : undefined;
  return { allowed, dropout };
}

/**
 * Checks a kernel set against the references.
 * With `dtype: 'float32'` the kernels get Float32Array inputs (values
 * rounded to float32 first, so the float64 references see the same
 * numbers), the backward pass is compared with the js kernels run in
 * float64 on the same (rounded) out and log-sum-exp, and the tolerances
 * default to the package's float32 contract: 1e-5 forward and linear,
 * 1e-4 gradients.
 * @param kernels - the candidate (for example a wasm backend's)
 * @param options - cases (default `DEFAULT_CASES`), dtype (default float64)
 *   and tolerance (default 1e-9 for float64; `backwardTolerance` for the gradients)
 * @returns one result per case
 * @example
 * checkAttentionKernels(jsKernels).every((r) => r.passed) // true
 * checkAttentionKernels(wasmSimdKernels, { dtype: 'float32' }).every((r) => r.passed) // true
 */
export function checkAttentionKernels(
  kernels: AttentionKernels,
  options: {
    cases?: readonly KernelConformanceCase[];
    tolerance?: number;
    backwardTolerance?: number;
    dtype?: 'float32' | 'float64';
  } = {},
): KernelConformanceResult[] {
  const float32 = options.dtype === 'float32';
  const tolerance = options.tolerance ?? (float32 ? 1e-5 : 1e-9);
  const backwardTolerance = options.backwardTolerance ?? (float32 ? 1e-4 : tolerance);
  const typed = (values: Float64Array): FloatArray =>
    float32 ? Float32Array.from(values) : values;
  const zeros = (length: number): FloatArray =>
    float32 ? new Float32Array(length) : new Float64Array(length);
  return (options.cases ?? DEFAULT_CASES).map(({ name, problem: p }, index) => {
    const g = new Generator(1000 + index);
    const { batch: B, heads: H, kvHeads: Hkv, queries: N, keys: M, headDim: d, valueDim: dv } = p;
    const q = random(B * H * N * d, g, float32);
    const k = random(B * Hkv * M * d, g, float32);
    const v = random(B * Hkv * M * dv, g, float32);
    const out = zeros(B * H * N * dv);
    const lse = zeros(B * H * N);
    kernels.flashForward(p, typed(q), typed(k), typed(v), out, lse);
    const expected = referenceAttention(
      { data: q, shape: [B, H, N, d] },
      { data: k, shape: [B, Hkv, M, d] },
      { data: v, shape: [B, Hkv, M, dv] },
      {
        causal: p.causal,
        scale: p.scale,
        alibiSlopes: p.alibiSlopes ?? undefined,
        ...referenceRules(p),
      },
    );
    const forwardError = maxAbsDiff(out, expected);
    const dOut = random(out.length, g, float32);
    const grads = (impl: AttentionKernels, asFloat32: boolean): FloatArray[] => {
      const cast = (values: FloatArray): FloatArray =>
        asFloat32 ? Float32Array.from(values) : Float64Array.from(values);
      const result = {
        dq: asFloat32 ? new Float32Array(q.length) : new Float64Array(q.length),
        dk: asFloat32 ? new Float32Array(k.length) : new Float64Array(k.length),
        dv: asFloat32 ? new Float32Array(v.length) : new Float64Array(v.length),
      };
      impl.flashBackward(p, cast(q), cast(k), cast(v), cast(out), cast(lse), cast(dOut), result);
      return [result.dq, result.dk, result.dv];
    };
    const ours = grads(kernels, float32);
    const theirs = grads(jsKernels, false);
    const backwardError = Math.max(...ours.map((a, i) => maxAbsDiff(a, theirs[i]!)));
    const phiQ = q.map((x) => Math.abs(x) + 0.1);
    const phiK = k.map((x) => Math.abs(x) + 0.1);
    const linearOut = zeros(out.length);
    const linear = {
      batch: B,
      heads: H,
      kvHeads: Hkv,
      queries: N,
      keys: M,
      headDim: d,
      valueDim: dv,
      eps: 1e-6,
    };
    kernels.linearScanForward(linear, typed(phiQ), typed(phiK), typed(v), linearOut);
    const linearExpected = referenceLinearAttention(
      { data: phiQ, shape: [B, H, N, d] },
      { data: phiK, shape: [B, Hkv, M, d] },
      { data: v, shape: [B, Hkv, M, dv] },
      { causal: true, phi: (x) => x },
    );
    const linearError = maxAbsDiff(linearOut, linearExpected);
    const passed =
      forwardError <= tolerance && backwardError <= backwardTolerance && linearError <= tolerance;
    return { name, forwardError, backwardError, linearError, passed };
  });
}
