/** Cumulative sums along an axis. */
import { autocastInputs } from '../amp/autocast.js';
import { record } from '../autograd/node.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { backendOf, input, wrap } from './dispatch.js';

function scan(x: Tensor, axis: number, reverse: boolean): Tensor {
  const backend = backendOf('cumsum', x);
  const a = normalizeAxis('cumsum', axis, x.rank);
  const dtype = x.dtype === 'bool' ? 'int32' : x.dtype;
  const y = wrap(backend, backend.cumsum(input(x), a, reverse, dtype), x.shape, dtype);
  // The gradient of an inclusive prefix sum is the suffix sum of the gradient.
  return record('cumsum', y, [x], (g) => [scan(g, a, !reverse)]);
}

/**
 * Inclusive cumulative sum along `axis`.
 * @example cumsum(tensor([1, 2, 3]), 0).toArray() // [1, 3, 6]
 */
export function cumsum(x: Tensor, axis: number): Tensor {
  return scan(autocastInputs('cumsum', x)[0], axis, false);
}

/** Inclusive cumulative sum along `axis`, from the last element backwards. */
export function reverseCumsum(x: Tensor, axis: number): Tensor {
  return scan(x, axis, true);
}
