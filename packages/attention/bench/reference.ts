/**
 * The bench's references: the plain JS row-by-row loop the issue measures
 * (one query row at a time: scores, max, exp, weighted sum; no tiling), and
 * float64 values of sampled output rows for each function benchmarked,
 * against which every implementation is validated before it is timed (the
 * llm.c dev/ layout: reference first, then faster versions checked against it).
 */

/** Inputs of one bench problem: float32 [1, H, N, d] arrays. */
export interface Problem {
  readonly heads: number;
  readonly n: number;
  readonly d: number;
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
}

/** Which keys query i attends (causal softmax, causal window, causal linear). */
export type Family = 'softmax' | 'window' | 'linear';

/**
 * Causal attention by the plain row-by-row loop, float32 output.
 * @returns out [1, H, N, d]
 */
export function rowLoopAttention(p: Problem): Float32Array {
  const { heads, n, d, q, k, v } = p;
  const out = new Float32Array(heads * n * d);
  const scores = new Float64Array(n);
  const acc = new Float64Array(d);
  const scale = 1 / Math.sqrt(d);
  for (let h = 0; h < heads; h++) {
    const base = h * n * d;
    for (let i = 0; i < n; i++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j <= i; j++) {
        let dot = 0;
        for (let x = 0; x < d; x++) dot += q[base + i * d + x]! * k[base + j * d + x]!;
        scores[j] = dot * scale;
        if (scores[j]! > max) max = scores[j]!;
      }
      let total = 0;
      acc.fill(0);
      for (let j = 0; j <= i; j++) {
        const w = Math.exp(scores[j]! - max);
        total += w;
        for (let x = 0; x < d; x++) acc[x]! += w * v[base + j * d + x]!;
      }
      for (let x = 0; x < d; x++) out[base + i * d + x] = acc[x]! / total;
    }
  }
  return out;
}

/** Evenly spaced sample rows (first and last included). */
export function sampleRows(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: count }, (_, s) => Math.round((s * (n - 1)) / (count - 1)));
}

const phi = (x: number) => (x > 0 ? x + 1 : Math.exp(x));

/**
 * Float64 values of output row i of head h for a family.
 * @param window - the sliding window for `window`
 */
export function referenceRow(
  p: Problem,
  family: Family,
  h: number,
  i: number,
  window: number,
): Float64Array {
  const { n, d, q, k, v } = p;
  const base = h * n * d;
  const scale = 1 / Math.sqrt(d);
  const first = family === 'window' ? Math.max(0, i - window + 1) : 0;
  const weights = new Float64Array(i + 1);
  let max = Number.NEGATIVE_INFINITY;
  for (let j = first; j <= i; j++) {
    let dot = 0;
    if (family === 'linear')
      for (let x = 0; x < d; x++) dot += phi(q[base + i * d + x]!) * phi(k[base + j * d + x]!);
    else for (let x = 0; x < d; x++) dot += q[base + i * d + x]! * k[base + j * d + x]!;
    weights[j] = family === 'linear' ? dot : dot * scale;
    if (weights[j]! > max) max = weights[j]!;
  }
  let total = family === 'linear' ? 1e-6 : 0;
  for (let j = first; j <= i; j++) {
    if (family !== 'linear') weights[j] = Math.exp(weights[j]! - max);
    total += weights[j]!;
  }
  const row = new Float64Array(d);
  for (let j = first; j <= i; j++)
    for (let x = 0; x < d; x++) row[x]! += (weights[j]! / total) * v[base + j * d + x]!;
  return row;
}

/**
 * Max |out - reference| over sampled rows of every head.
 * @param out - an implementation's output [1, H, N, d]
 */
export function validate(
  p: Problem,
  out: ArrayLike<number>,
  family: Family,
  window: number,
): number {
  let worst = 0;
  for (let h = 0; h < p.heads; h++) {
    for (const i of sampleRows(p.n, 12)) {
      const expected = referenceRow(p, family, h, i, window);
      for (let x = 0; x < p.d; x++) {
        const error = Math.abs(out[(h * p.n + i) * p.d + x]! - expected[x]!);
        if (!(error <= worst)) worst = error;
      }
    }
  }
  return worst;
}
