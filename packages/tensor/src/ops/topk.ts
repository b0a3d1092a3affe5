/** The k largest (or smallest) values along an axis, with their indices. */
import { ValueError } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { backendOf, input, wrap } from './dispatch.js';
import { gather } from './indexing.js';
import { transpose } from './views.js';

/** Options of `topk`. */
export interface TopkOptions {
  /** Axis to select along. @default -1 */
  axis?: number;
  /** The largest values (true) or the smallest. @default true */
  largest?: boolean;
}

/**
 * The `k` largest (or smallest) entries along an axis, sorted; ties keep the
 * lower index first, NaN counts as the largest value. `values` is
 * differentiable (a gather at `indices`).
 * @throws ValueError when k is outside [0, extent]
 * @example
 * topk(tensor([1, 9, 5]), 2).indices.toArray() // [1, 2]
 */
export function topk(
  x: Tensor,
  k: number,
  options: TopkOptions = {},
): { values: Tensor; indices: Tensor } {
  const backend = backendOf('topk', x);
  if (x.rank === 0) throw new ValueError('topk', 'needs a tensor with at least one axis', x.shape);
  const axis = normalizeAxis('topk', options.axis ?? -1, x.rank);
  const extent = x.shape[axis]!;
  if (!Number.isInteger(k) || k < 0 || k > extent)
    throw new ValueError('topk', `k = ${k} is outside [0, ${extent}] for axis ${axis}`, k);
  const last = x.rank - 1;
  const moved = axis === last ? x : transpose(x, axis, last);
  const shape = [...moved.shape.slice(0, -1), k];
  let indices = wrap(
    backend,
    backend.topkIndices(input(moved), k, options.largest ?? true),
    shape,
    'int32',
  );
  if (axis !== last) indices = transpose(indices, axis, last).contiguous();
  return { values: gather(x, axis, indices), indices };
}

/**
 * Sorts along an axis; returns values and indices. Stable (ties keep input order).
 * @example sort(tensor([3, 1, 2])).values.toArray() // [1, 2, 3]
 */
export function sort(
  x: Tensor,
  options: { axis?: number; descending?: boolean } = {},
): { values: Tensor; indices: Tensor } {
  const axis = normalizeAxis('sort', options.axis ?? -1, Math.max(x.rank, 1));
  return topk(x, x.shape[axis] ?? 0, { axis, largest: options.descending ?? false });
}
