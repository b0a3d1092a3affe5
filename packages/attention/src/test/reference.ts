/**
 * Float64 reference implementations written as plain loops over flat
 * arrays, independent of the package's kernels and of @x/tensor's ops: the
 * definitions the tests (and other backends' kernels) are checked against.
 * Shapes are row-major: q [B, H, N, d], k [B, Hkv, M, d], v [B, Hkv, M, dv].
 */

/** A flat array with its 4-D shape. */
export interface Array4 {
  readonly data: ArrayLike<number>;
  readonly shape: readonly [number, number, number, number];
}

/** Options of `referenceAttention`. */
export interface ReferenceAttentionOptions {
  /** Keep keys j <= i + M - N. */
  causal?: boolean;
  /** Extra rule: may (b, h, i, j) attend? */
  allowed?: (b: number, h: number, i: number, j: number) => boolean;
  /** Multiplier of q . k (default 1 / sqrt(d)). */
  scale?: number;
  /** ALiBi slope per head: adds -slope * |i + M - N - j|. */
  alibiSlopes?: ArrayLike<number>;
  /** Dropout: probability and the keep decision of each weight. */
  dropout?: { p: number; keep: (bh: number, i: number, j: number) => boolean };
}

/**
 * softmax(q k^T * scale + bias, masked) v, one row at a time, in float64.
 * Rows with no allowed key are zeros.
 * @returns the output, flat [B, H, N, dv]
 */
export function referenceAttention(
  q: Array4,
  k: Array4,
  v: Array4,
  options: ReferenceAttentionOptions = {},
): Float64Array {
  const [B, H, N, d] = q.shape;
  const [, Hkv, M] = k.shape;
  const dv = v.shape[3];
  const scale = options.scale ?? 1 / Math.sqrt(d);
  const out = new Float64Array(B * H * N * dv);
  const scores = new Float64Array(M);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const g = Math.floor(h / (H / Hkv));
      for (let i = 0; i < N; i++) {
        const p = i + M - N;
        let max = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < M; j++) {
          const ok = (!options.causal || j <= p) && (options.allowed?.(b, h, i, j) ?? true);
          if (!ok) {
            scores[j] = Number.NEGATIVE_INFINITY;
            continue;
          }
          let dot = 0;
          for (let x = 0; x < d; x++)
            dot +=
              q.data[((b * H + h) * N + i) * d + x]! * k.data[((b * Hkv + g) * M + j) * d + x]!;
          let s = dot * scale;
          if (options.alibiSlopes) s -= options.alibiSlopes[h]! * Math.abs(p - j);
          scores[j] = s;
          if (s > max) max = s;
        }
        if (max === Number.NEGATIVE_INFINITY) continue;
        let total = 0;
        for (let j = 0; j < M; j++) total += Math.exp(scores[j]! - max);
        for (let j = 0; j < M; j++) {
          let w = Math.exp(scores[j]! - max) / total;
          if (options.dropout)
            w = options.dropout.keep(b * H + h, i, j) ? w / (1 - options.dropout.p) : 0;
          if (w === 0) continue;
          for (let y = 0; y < dv; y++)
            out[((b * H + h) * N + i) * dv + y]! += w * v.data[((b * Hkv + g) * M + j) * dv + y]!;
        }
      }
    }
  }
  return out;
}

/**
 * Linear attention phi(q_i) . sum_j phi(k_j) v_j / (phi(q_i) . sum_j phi(k_j) + eps),
 * over all keys or (causal) keys j <= i + M - N, by direct double sums.
 * @param phi - the feature map applied to each element
 * @returns the output, flat [B, H, N, dv]
 */
export function referenceLinearAttention(
  q: Array4,
  k: Array4,
  v: Array4,
  options: { causal?: boolean; eps?: number; phi: (x: number) => number },
): Float64Array {
  const [B, H, N, d] = q.shape;
  const [, Hkv, M] = k.shape;
  const dv = v.shape[3];
  const eps = options.eps ?? 1e-6;
  const out = new Float64Array(B * H * N * dv);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const g = Math.floor(h / (H / Hkv));
      for (let i = 0; i < N; i++) {
        const last = options.causal ? i + M - N : M - 1;
        let den = eps;
        const num = new Float64Array(dv);
        for (let j = 0; j <= last; j++) {
          let w = 0;
          for (let x = 0; x < d; x++)
            w +=
              options.phi(q.data[((b * H + h) * N + i) * d + x]!) *
              options.phi(k.data[((b * Hkv + g) * M + j) * d + x]!);
          den += w;
          for (let y = 0; y < dv; y++) num[y]! += w * v.data[((b * Hkv + g) * M + j) * dv + y]!;
        }
        for (let y = 0; y < dv; y++) out[((b * H + h) * N + i) * dv + y] = num[y]! / den;
      }
    }
  }
  return out;
}

/**
 * The largest absolute difference between two arrays of equal length (NaN if any entry is NaN).
 * @returns max |a - b|
 */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new Error(`maxAbsDiff: lengths differ, ${a.length} and ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs(a[i]! - b[i]!);
    if (!(diff <= worst)) worst = diff;
  }
  return worst;
}
