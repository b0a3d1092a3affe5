/**
 * Kernel conformance: runs a backend's attention kernels on small random
 * problems and compares them with the float64 references (forward) and with
 * the js reference kernels (backward, linear scan). A backend that registers
 * kernels with `registerAttentionKernels` asserts `passed` in its tests.
 */
import { Generator } from '@x/tensor';
import type { AttentionProblem, FloatArray } from '../kernels/problem.js';
import { type AttentionKernels, jsKernels } from '../kernels/registry.js';
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

/** The default conformance set: plain, causal, grouped-query, ALiBi, ragged tiles, one-query decoding. */
export const DEFAULT_CASES: readonly KernelConformanceCase[] = [
  problem('plain', {}),
  problem('causal', { causal: true }),
  problem('gqa-causal', { heads: 4, kvHeads: 2, batch: 2, causal: true, queries: 13 }),
  problem('alibi', { causal: true, alibiSlopes: Float64Array.of(0.5, 0.25) }),
  problem('decode', { queries: 1, keys: 21, causal: true }),
  problem('one-row-tiles', { blockQuery: 1, blockKey: 3, queries: 5, keys: 5, causal: true }),
];

function random(length: number, generator: Generator): Float64Array {
  return Float64Array.from({ length }, () => generator.normal());
}

/**
 * Checks a kernel set against the references.
 * @param kernels - the candidate (for example a wasm backend's)
 * @param options - cases (default `DEFAULT_CASES`) and tolerance (default 1e-9, for float64 arrays)
 * @returns one result per case
 * @example
 * checkAttentionKernels(jsKernels).every((r) => r.passed) // true
 */
export function checkAttentionKernels(
  kernels: AttentionKernels,
  options: { cases?: readonly KernelConformanceCase[]; tolerance?: number } = {},
): KernelConformanceResult[] {
  const tolerance = options.tolerance ?? 1e-9;
  return (options.cases ?? DEFAULT_CASES).map(({ name, problem: p }, index) => {
    const g = new Generator(1000 + index);
    const { batch: B, heads: H, kvHeads: Hkv, queries: N, keys: M, headDim: d, valueDim: dv } = p;
    const q = random(B * H * N * d, g);
    const k = random(B * Hkv * M * d, g);
    const v = random(B * Hkv * M * dv, g);
    const out = new Float64Array(B * H * N * dv);
    const lse = new Float64Array(B * H * N);
    kernels.flashForward(p, q, k, v, out, lse);
    const expected = referenceAttention(
      { data: q, shape: [B, H, N, d] },
      { data: k, shape: [B, Hkv, M, d] },
      { data: v, shape: [B, Hkv, M, dv] },
      { causal: p.causal, scale: p.scale, alibiSlopes: p.alibiSlopes ?? undefined },
    );
    const forwardError = maxAbsDiff(out, expected);
    const dOut = random(out.length, g);
    const grads = (impl: AttentionKernels): FloatArray[] => {
      const result = {
        dq: new Float64Array(q.length),
        dk: new Float64Array(k.length),
        dv: new Float64Array(v.length),
      };
      impl.flashBackward(p, q, k, v, out, lse, dOut, result);
      return [result.dq, result.dk, result.dv];
    };
    const ours = grads(kernels);
    const theirs = grads(jsKernels);
    const backwardError = Math.max(...ours.map((a, i) => maxAbsDiff(a, theirs[i]!)));
    const phiQ = q.map((x) => Math.abs(x) + 0.1);
    const phiK = k.map((x) => Math.abs(x) + 0.1);
    const linearOut = new Float64Array(out.length);
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
    kernels.linearScanForward(linear, phiQ, phiK, v, linearOut);
    const linearExpected = referenceLinearAttention(
      { data: phiQ, shape: [B, H, N, d] },
      { data: phiK, shape: [B, Hkv, M, d] },
      { data: v, shape: [B, Hkv, M, dv] },
      { causal: true, phi: (x) => x },
    );
    const linearError = maxAbsDiff(linearOut, linearExpected);
    const passed =
      forwardError <= tolerance && backwardError <= tolerance && linearError <= tolerance;
    return { name, forwardError, backwardError, linearError, passed };
  });
}
