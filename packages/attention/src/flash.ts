/**
 * FlashAttention as a differentiable @x/tensor op: the extension kernel
 * `attention.flashForward` (`kernel-ops.ts`) writes the output and the
 * per-row log-sum-exp, and the core records its gradient rule, which runs
 * the FlashAttention-2 backward kernel, recomputing the attention weights
 * tile by tile from q, k, v, out and the log-sum-exp. The same op serves
 * `sparse` (the kernel restricted to a pattern's tiles). Double
 * differentiation is not supported (the rule's kernel is not itself
 * differentiable).
 */
import { isGradEnabled, type Tensor } from '@x/tensor';
import { flashForwardKernel } from './kernel-ops.js';
import { flashAttributes } from './problem-of.js';
import type { ResolvedCall } from './validate.js';

/**
 * Tiled attention of a validated call (flash, or sparse with a pattern).
 * @returns the output [B, H, N, dv]
 */
export function flashAttention(q: Tensor, k: Tensor, v: Tensor, call: ResolvedCall): Tensor {
  const [output, logSumExp] = flashForwardKernel.run(
    [q, k, v, call.mask],
    flashAttributes(call),
  ) as [Tensor, Tensor];
  // the log-sum-exp is kept for the backward pass only
  if (!isGradEnabled() || !(q.requiresGrad || k.requiresGrad || v.requiresGrad))
    logSumExp.dispose();
  return output;
}
