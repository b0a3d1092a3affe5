/**
 * FlashAttention as a differentiable @x/tensor op: the forward kernel writes
 * the output and the per-row log-sum-exp; `record()` puts one node on the
 * tape whose rule runs the FlashAttention-2 backward kernel, recomputing the
 * attention weights tile by tile from q, k, v, out and the log-sum-exp. The
 * same op serves `sparse` (the kernel restricted to a pattern's tiles).
 * Double differentiation is not supported (the rule's kernel is not itself
 * recorded).
 */
import { isGradEnabled, record, type Tensor } from '@x/tensor';
import type { FloatArray } from './kernels/problem.js';
import { attentionKernels } from './kernels/registry.js';
import { problemOf } from './problem-of.js';
import { newOutput, readFloat } from './tensor-io.js';
import type { ResolvedCall } from './validate.js';

/**
 * Tiled attention of a validated call (flash, or sparse with a pattern).
 * @returns the output [B, H, N, dv]
 */
export function flashAttention(q: Tensor, k: Tensor, v: Tensor, call: ResolvedCall): Tensor {
  const {
    batch: B,
    heads: H,
    kvHeads: Hkv,
    queries: N,
    keys: M,
    headDim: d,
    valueDim: dv,
    dtype,
  } = call;
  const problem = problemOf(call, [B, H, N, M]);
  const kernels = attentionKernels(q.backend);
  const backend = q.storage.backend;
  const reads = [readFloat(q), readFloat(k), readFloat(v)] as const;
  const out = newOutput(backend, dtype, [B, H, N, dv]);
  const lse = newOutput(backend, dtype, [B, H, N]);
  try {
    kernels.flashForward(
      problem,
      reads[0].array,
      reads[1].array,
      reads[2].array,
      out.array,
      lse.array,
    );
  } finally {
    for (const read of reads) read.release();
  }
  const output = out.toTensor();
  const logSumExp = lse.toTensor();
  if (!isGradEnabled() || !(q.requiresGrad || k.requiresGrad || v.requiresGrad)) {
    logSumExp.dispose();
    return output;
  }
  const opName = call.pattern === null ? 'flashAttention' : 'sparseAttention';
  return record(
    opName,
    output,
    [q, k, v],
    (grad) => {
      const arrays = [q, k, v, output, logSumExp, grad].map(readFloat);
      const dq = newOutput(backend, dtype, [B, H, N, d]);
      const dk = newOutput(backend, dtype, [B, Hkv, M, d]);
      const dvOut = newOutput(backend, dtype, [B, Hkv, M, dv]);
      try {
        const [qa, ka, va, oa, la, ga] = arrays.map((read) => read.array) as FloatArray[];
        kernels.flashBackward(problem, qa!, ka!, va!, oa!, la!, ga!, {
          dq: dq.array,
          dk: dk.array,
          dv: dvOut.array,
        });
      } finally {
        for (const read of arrays) read.release();
      }
      return [dq.toTensor(), dk.toTensor(), dvOut.toTensor()];
    },
    call.mask === null ? [q, k, v, output, logSumExp] : [q, k, v, output, logSumExp, call.mask],
  );
}
