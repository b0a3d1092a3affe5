/**
 * The bench's causal attention: `attention` from @x/attention (its default,
 * the tiled flash kernel) when that package is installed and exports it;
 * otherwise a plain causal softmax attention written here, row by row over
 * typed arrays (O(L^2 d) time, O(L) extra memory per row).
 *
 * Shapes: q [1, H, N, d], k and v [1, H, M, d] -> [1, H, N, d]; query i sits at
 * position i + M - N (so one query over an M-entry cache is a decoding step).
 */
import { type Tensor, tensor } from '@x/tensor';

/** Causal attention of q over k, v. */
export type AttentionFn = (q: Tensor, k: Tensor, v: Tensor) => Tensor;

/** Plain causal softmax attention over typed arrays (the fallback). */
export function plainCausalAttention(q: Tensor, k: Tensor, v: Tensor): Tensor {
  const [, H, N, d] = q.shape as [number, number, number, number];
  const M = k.shape[2]!;
  const Q = q.toTypedArray();
  const K = k.toTypedArray();
  const V = v.toTypedArray();
  const out = new Float32Array(H * N * d);
  const scores = new Float64Array(M);
  const scale = 1 / Math.sqrt(d);
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < N; i++) {
      const last = i + M - N;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j <= last; j++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += Q[(h * N + i) * d + c]! * K[(h * M + j) * d + c]!;
        scores[j] = s * scale;
        if (scores[j]! > max) max = scores[j]!;
      }
      let total = 0;
      for (let j = 0; j <= last; j++) {
        scores[j] = Math.exp(scores[j]! - max);
        total += scores[j]!;
      }
      for (let c = 0; c < d; c++) {
        let s = 0;
        for (let j = 0; j <= last; j++) s += scores[j]! * V[(h * M + j) * d + c]!;
        out[(h * N + i) * d + c] = s / total;
      }
    }
  }
  return tensor(out, { shape: [1, H, N, d] });
}

/**
 * Loads @x/attention's `attention` if present, else the plain baseline.
 * @returns the function and a description of where it came from
 */
export async function loadAttention(): Promise<{ fn: AttentionFn; source: string }> {
  try {
    const name = '@x/attention';
    const mod = (await import(name)) as {
      attention?: (q: Tensor, k: Tensor, v: Tensor, options: { causal: boolean }) => Tensor;
    };
    if (typeof mod.attention === 'function') {
      const attention = mod.attention;
      return {
        fn: (q, k, v) => attention(q, k, v, { causal: true }),
        source: '@x/attention attention(q, k, v, { causal: true }) (auto: flash)',
      };
    }
  } catch {
    // not installed: fall through
  }
  return {
    fn: plainCausalAttention,
    source: 'plain causal softmax attention in bench/attention-baseline.ts',
  };
}
