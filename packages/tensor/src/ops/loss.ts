/** Loss functions: cross-entropy over class logits (with an ignore index) and mean squared error. */
import { autocastInputs } from '../amp/autocast.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { requireFloat } from './dispatch.js';
import * as ew from './elementwise.js';
import { gather } from './indexing.js';
import { mean, sum } from './reduce.js';
import { logSoftmax } from './softmax.js';
import { squeeze, unsqueeze } from './views.js';

/** How a loss is reduced over its elements. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options of `crossEntropy`. */
export interface CrossEntropyOptions {
  /** Targets equal to this are skipped (and not counted in the mean). @default -100 */
  ignoreIndex?: number;
  /** @default 'mean' (over the targets not ignored) */
  reduction?: Reduction;
  /** Label smoothing epsilon in [0, 1) (Szegedy et al.). @default 0 */
  labelSmoothing?: number;
}

/**
 * Cross-entropy between class logits `[..., C]` (classes on the last axis) and
 * int32 class targets `[...]`: -log softmax(logits)[target]. The mean is over
 * targets that are not `ignoreIndex` (NaN when all are ignored, as PyTorch).
 * @throws ShapeError when target shape is not logits' shape without the last axis
 * @throws IndexRangeError for a target outside [0, C) that is not ignored
 * @example
 * crossEntropy(tensor([[0, 0]]), tensor([1], { dtype: 'int32' })).item() // 0.6931...
 */
export function crossEntropy(
  input: Tensor,
  targets: Tensor,
  options: CrossEntropyOptions = {},
): Tensor {
  const [logits] = autocastInputs('crossEntropy', input);
  requireFloat('crossEntropy', logits);
  if (targets.dtype !== 'int32')
    throw new DTypeError(
      'crossEntropy',
      `targets must be int32 class indices, got ${targets.dtype}`,
      targets.dtype,
    );
  if (logits.rank !== targets.rank + 1 || targets.shape.some((e, i) => e !== logits.shape[i])) {
    throw new ShapeError(
      'crossEntropy',
      `targets ${formatShape(targets.shape)} must be logits ${formatShape(logits.shape)} without the last (class) axis`,
      [logits.shape, targets.shape],
    );
  }
  const smoothing = options.labelSmoothing ?? 0;
  if (!(smoothing >= 0 && smoothing < 1))
    throw new ValueError(
      'crossEntropy',
      `labelSmoothing must be in [0, 1), got ${smoothing}`,
      smoothing,
    );
  const ignoreIndex = options.ignoreIndex ?? -100;
  const valid = ew.ne(targets, ignoreIndex);
  const safeTargets = ew.where(valid, targets, 0);
  const logp = logSoftmax(logits, -1);
  let nll = ew.neg(squeeze(gather(logp, -1, unsqueeze(safeTargets, -1)), -1));
  if (smoothing > 0) {
    const uniform = ew.neg(mean(logp, -1));
    nll = ew.add(ew.mul(nll, 1 - smoothing), ew.mul(uniform, smoothing));
  }
  const losses = ew.mul(nll, valid);
  const reduction = options.reduction ?? 'mean';
  if (reduction === 'none') return losses;
  if (reduction === 'sum') return sum(losses);
  return ew.div(sum(losses), sum(valid));
}

/**
 * Mean squared error `mean((input - target)^2)` (or summed / elementwise).
 * @throws ShapeError when the shapes do not broadcast
 */
export function mseLoss(
  prediction: Tensor,
  reference: Tensor,
  options: { reduction?: Reduction } = {},
): Tensor {
  const [input, target] = autocastInputs('mseLoss', prediction, reference);
  requireFloat('mseLoss', input);
  const squared = ew.square(ew.sub(input, target));
  const reduction = options.reduction ?? 'mean';
  if (reduction === 'none') return squared;
  return reduction === 'sum' ? sum(squared) : mean(squared);
}
