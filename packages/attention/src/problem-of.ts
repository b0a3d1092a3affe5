/**
 * The kernels' view of a validated call: sizes, rules and the mask as a
 * strided view of its storage (see `kernels/problem.ts`).
 */
import type { AttentionProblem } from './kernels/problem.js';
import { readMask } from './tensor-io.js';
import type { ResolvedCall } from './validate.js';

/**
 * The problem description of a call.
 * @param call - a validated call
 * @param maskShape - [B, H, N, M] to read the mask broadcast to, or null to leave it out
 * @returns the kernels' AttentionProblem
 */
export function problemOf(
  call: ResolvedCall,
  maskShape: readonly number[] | null,
): AttentionProblem {
  return {
    batch: call.batch,
    heads: call.heads,
    kvHeads: call.kvHeads,
    queries: call.queries,
    keys: call.keys,
    headDim: call.headDim,
    valueDim: call.valueDim,
    scale: call.scale,
    causal: call.causal,
    mask: call.mask && maskShape ? readMask(call.mask, maskShape) : null,
    alibiSlopes: call.alibiSlopes,
    pattern: call.pattern,
    dropout: call.dropout,
    dropoutSeed: call.seed,
    blockQuery: call.blockQuery,
    blockKey: call.blockKey,
  };
}
