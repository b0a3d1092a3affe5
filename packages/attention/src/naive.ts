/**
 * Naive attention, the reference: softmax(q k^T * scale + bias, masked) v,
 * composed from @x/tensor ops (matmul, add, where, softmax, mul), so
 * autograd differentiates it with no rule of its own.
 *
 * Shapes: q [B, H, N, d], k [B, Hkv, M, d], v [B, Hkv, M, dv] -> [B, H, N, dv].
 * Grouped-query heads need no copy of k or v: q is viewed as
 * [B, Hkv, (H / Hkv) * N, d], so each kv head meets all its query heads in
 * one batched matmul, and the scores are viewed back as [B, H, N, M].
 *
 * Masking: causal, the boolean mask and a sparse pattern are combined into
 * one "allowed" table; disallowed scores become -Infinity before the
 * (numerically stable) softmax. A row with nothing allowed would be 0 / 0:
 * it is left unmasked for the softmax and multiplied by 0 afterwards, so it
 * outputs zeros with zero (not NaN) gradients. Memory: several B H N M
 * tensors (scores, weights, the allowed table), the O(N^2) the other
 * implementations avoid.
 */
import { type Tensor, tensor } from '@x/tensor';
import { alibiBias } from './alibi.js';
import { dropoutUniform } from './kernels/dropout-hash.js';
import { allowedFn } from './kernels/tile-plan.js';
import { problemOf } from './problem-of.js';
import type { ResolvedCall } from './validate.js';

/** The allowed table [B', H', N, M] (B' = 1 / H' = 1 when nothing varies) and the rows with any allowed key. */
function allowedTables(
  call: ResolvedCall,
  backend: string,
): { allowed: Tensor; rowValid: Tensor } | null {
  if (!call.causal && call.mask === null && call.pattern === null) return null;
  const { batch: B, heads: H, queries: N, keys: M } = call;
  const problem = problemOf(call, [B, H, N, M]);
  const Bm = call.mask !== null && call.mask.rank === 4 && call.mask.shape[0] !== 1 ? B : 1;
  const Hm =
    (call.mask !== null && call.mask.rank >= 3 && call.mask.shape[call.mask.rank - 3] !== 1) ||
    call.pattern?.perHead
      ? H
      : 1;
  const bits = new Uint8Array(Bm * Hm * N * M);
  const valid = new Uint8Array(Bm * Hm * N);
  for (let b = 0; b < Bm; b++) {
    for (let h = 0; h < Hm; h++) {
      const allowed = allowedFn(problem, b, h);
      for (let i = 0; i < N; i++) {
        const row = ((b * Hm + h) * N + i) * M;
        let any = 0;
        for (let j = 0; j < M; j++) {
          const ok = allowed(i, j) ? 1 : 0;
          bits[row + j] = ok;
          any |= ok;
        }
        valid[(b * Hm + h) * N + i] = any;
        if (any === 0) bits.fill(1, row, row + M); // softmax of an unmasked row, zeroed below
      }
    }
  }
  const rowValid = Float64Array.from(valid);
  return {
    allowed: tensor(bits, { shape: [Bm, Hm, N, M], dtype: 'bool', backend }),
    rowValid: tensor(rowValid, { shape: [Bm, Hm, N, 1], dtype: call.dtype, backend }),
  };
}

function dropoutScale(call: ResolvedCall, backend: string): Tensor {
  const { batch: B, heads: H, queries: N, keys: M, dropout, seed } = call;
  const values =
    call.dtype === 'float64' ? new Float64Array(B * H * N * M) : new Float32Array(B * H * N * M);
  const keepScale = 1 / (1 - dropout);
  for (let bh = 0; bh < B * H; bh++) {
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < M; j++)
        values[(bh * N + i) * M + j] = dropoutUniform(seed, bh, i, j) >= dropout ? keepScale : 0;
    }
  }
  return tensor(values, { shape: [B, H, N, M], backend });
}

/**
 * Naive softmax attention of a validated call (see the file header).
 * @returns the output [B, H, N, dv]
 */
export function naiveAttention(q: Tensor, k: Tensor, v: Tensor, call: ResolvedCall): Tensor {
  const { batch: B, heads: H, kvHeads: Hkv, queries: N, keys: M, headDim: d, valueDim: dv } = call;
  const group = H / Hkv;
  let scores = q
    .reshape(B, Hkv, group * N, d)
    .matmul(k.transpose(-2, -1))
    .reshape(B, H, N, M)
    .mul(call.scale);
  if (call.alibiSlopes !== null)
    scores = scores.add(alibiBias(call.alibiSlopes, N, M, call.dtype, q.backend));
  const tables = allowedTables(call, q.backend);
  if (tables !== null) scores = scores.where(tables.allowed, Number.NEGATIVE_INFINITY);
  let weights = scores.softmax(-1);
  if (tables !== null) weights = weights.mul(tables.rowValid);
  if (call.dropout > 0) weights = weights.mul(dropoutScale(call, q.backend));
  return weights
    .reshape(B, Hkv, group * N, M)
    .matmul(v)
    .reshape(B, H, N, dv);
}
