/**
 * The kernels' view of a validated call: sizes and rules (see
 * `kernels/problem.ts`). The flash kernels take the mask as a kernel input
 * (read where it lies); `problemOf` reads it into the problem for code that
 * evaluates the rules in JS (the naive path's allowed table, tile-plan
 * tests).
 */
import { contiguousStrides } from '@x/tensor';
import type { FlashAttributes } from './kernel-ops.js';
import type { AttentionProblem, MaskView } from './kernels/problem.js';
import type { ResolvedCall } from './validate.js';

/**
 * The attributes of the flash kernels for a call.
 * @param call - a validated call
 * @returns the AttentionProblem without its mask
 */
export function flashAttributes(call: ResolvedCall): FlashAttributes {
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
    alibiSlopes: call.alibiSlopes,
    pattern: call.pattern,
    dropout: call.dropout,
    dropoutSeed: call.seed,
    blockQuery: call.blockQuery,
    blockKey: call.blockKey,
  };
}

/** A bool mask's values as a view broadcast to [B, H, N, M] (a host copy of its elements). */
function readMask(call: ResolvedCall, shape: readonly number[]): MaskView | null {
  const mask = call.mask;
  if (mask === null) return null;
  const data = mask.toTypedArray() as Uint8Array;
  const own = contiguousStrides(mask.shape);
  const strides: [number, number, number, number] = [0, 0, 0, 0];
  const shift = 4 - mask.rank;
  for (let axis = 0; axis < mask.rank; axis++)
    strides[axis + shift] = mask.shape[axis] === 1 && shape[axis + shift] !== 1 ? 0 : own[axis]!;
  return { data, offset: 0, strides };
}

/**
 * The problem description of a call, its mask read into it.
 * @param call - a validated call
 * @param maskShape - [B, H, N, M] to read the mask broadcast to, or null to leave it out
 * @returns the kernels' AttentionProblem
 */
export function problemOf(
  call: ResolvedCall,
  maskShape: readonly number[] | null,
): AttentionProblem {
  return { ...flashAttributes(call), mask: maskShape ? readMask(call, maskShape) : null };
}
