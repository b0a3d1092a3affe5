/**
 * Linear attention (Katharopoulos et al. 2020, "Transformers are RNNs"):
 * replace exp(q . k) by phi(q) . phi(k) for a positive feature map phi, and
 * use associativity:
 *
 *   out_i = phi(q_i)^T (sum_j phi(k_j) v_j^T) / (phi(q_i) . sum_j phi(k_j) + eps)
 *
 * Shapes: q [B, H, N, d], k [B, Hkv, M, d], v [B, Hkv, M, dv] -> [B, H, N, dv].
 * - Non-causal: the [d, dv] summary phi(K)^T V first, O((N + M) d dv), from tensor ops.
 * - Causal, `scan`: the prefix-sum kernel of `kernels/linear-scan.ts` as one
 *   extension kernel (`attention.linearScanForward`, `kernel-ops.ts`) with
 *   its hand-written backward; O(d dv) state.
 * - Causal, `chunked`: quadratic (masked) inside chunks of C positions and
 *   exclusive prefix sums of per-chunk [d, dv] states across them, from
 *   tensor ops (matmul-shaped, the form fast backends prefer); self-attention
 *   (N = M) only, other shapes use the scan.
 * The feature map runs as tensor ops, so gradients reach q and k through it.
 * `scale` is not used: the normalizer makes the output invariant to scaling
 * phi, and elu + 1 is not homogeneous, so scaling q would change the model.
 */
import { concat, elu, relu, type Tensor, tensor, zeros } from '@x/tensor';
import { linearScanForwardKernel } from './kernel-ops.js';
import type { FeatureMap } from './options.js';
import type { ResolvedCall } from './validate.js';

/**
 * Applies a linear-attention feature map.
 * @param x - queries or keys
 * @param map - `elu` (elu(x) + 1), `relu`, or a function
 * @returns phi(x), same shape
 * @example
 * applyFeatureMap(tensor([-1, 0, 2]), 'elu').toArray() // [0.3679, 1, 3]
 */
export function applyFeatureMap(x: Tensor, map: FeatureMap): Tensor {
  if (typeof map === 'function') return map(x);
  return map === 'relu' ? relu(x) : elu(x).add(1);
}

function scanOp(phiQ: Tensor, phiK: Tensor, v: Tensor, call: ResolvedCall): Tensor {
  const problem = {
    batch: call.batch,
    heads: call.heads,
    kvHeads: call.kvHeads,
    queries: call.queries,
    keys: call.keys,
    headDim: call.headDim,
    valueDim: call.valueDim,
    eps: call.eps,
  };
  return linearScanForwardKernel.run([phiQ, phiK, v], problem)[0]!;
}

function padLength(x: Tensor, axis: number, length: number): Tensor {
  const extra = length - x.shape[axis]!;
  if (extra === 0) return x;
  const shape = x.shape.slice();
  shape[axis] = extra;
  return concat([x, zeros(shape, { dtype: x.dtype, backend: x.backend })], axis);
}

/** Exclusive prefix sum along `axis`: [0, x0, x0 + x1, ...]. */
function exclusiveCumsum(x: Tensor, axis: number): Tensor {
  const inclusive = x.cumsum(axis);
  const count = x.shape[axis]!;
  const first = zeros([...x.shape.slice(0, axis), 1, ...x.shape.slice(axis + 1)], {
    dtype: x.dtype,
    backend: x.backend,
  });
  return count === 1 ? first : concat([first, inclusive.narrow(axis, 0, count - 1)], axis);
}

function chunked(phiQ: Tensor, phiK: Tensor, v: Tensor, call: ResolvedCall): Tensor {
  const { batch: B, heads: H, kvHeads: Hkv, queries: N, headDim: d, valueDim: dv, dtype } = call;
  const G = H / Hkv;
  const C = Math.min(call.chunkSize, N);
  const chunks = Math.ceil(N / C);
  const L = chunks * C;
  const Qc = padLength(phiQ.reshape(B, Hkv, G, N, d), 3, L).reshape(B, Hkv, G, chunks, C, d);
  const Kc = padLength(phiK, 2, L).reshape(B, Hkv, 1, chunks, C, d);
  const Vc = padLength(v, 2, L).reshape(B, Hkv, 1, chunks, C, dv);
  const lower = new Float64Array(C * C);
  for (let i = 0; i < C; i++) lower.fill(1, i * C, i * C + i + 1);
  const A = Qc.matmul(Kc.transpose(-2, -1)).mul(
    tensor(lower, { shape: [C, C], dtype, backend: phiQ.backend }),
  );
  const states = Kc.transpose(-2, -1).matmul(Vc); // [B, Hkv, 1, chunks, d, dv]
  const sums = Kc.sum(-2); // [B, Hkv, 1, chunks, d]
  const before = exclusiveCumsum(states, 3);
  const sumsBefore = exclusiveCumsum(sums, 3).unsqueeze(-1);
  const numerator = A.matmul(Vc).add(Qc.matmul(before));
  const denominator = A.sum(-1, { keepdims: true }).add(Qc.matmul(sumsBefore)).add(call.eps);
  return numerator.div(denominator).reshape(B, Hkv, G, L, dv).narrow(3, 0, N).reshape(B, H, N, dv);
}

/**
 * Linear attention of a validated call (see the file header).
 * @returns the output [B, H, N, dv]
 */
export function linearAttention(q: Tensor, k: Tensor, v: Tensor, call: ResolvedCall): Tensor {
  const { batch: B, heads: H, kvHeads: Hkv, queries: N, headDim: d, valueDim: dv } = call;
  const phiQ = applyFeatureMap(q, call.featureMap);
  const phiK = applyFeatureMap(k, call.featureMap);
  if (call.causal) {
    if (call.linearForm === 'chunked' && call.queries === call.keys)
      return chunked(phiQ, phiK, v, call);
    return scanOp(phiQ, phiK, v, call);
  }
  const G = H / Hkv;
  const summary = phiK.transpose(-2, -1).matmul(v); // [B, Hkv, d, dv]
  const total = phiK.sum(-2, { keepdims: true }).transpose(-2, -1); // [B, Hkv, d, 1]
  const queries = phiQ.reshape(B, Hkv, G * N, d);
  const numerator = queries.matmul(summary);
  const denominator = queries.matmul(total).add(call.eps);
  return numerator.div(denominator).reshape(B, H, N, dv);
}
