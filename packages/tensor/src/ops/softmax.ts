/**
 * Softmax and log-softmax along an axis. The forward pass uses the backend's
 * fused kernel when it has one, else the stable composition
 * exp(x - max) / sum(exp(x - max)); the gradient rule is written out:
 * dx = y * (g - sum(g * y)) for softmax, dx = g - softmax * sum(g) for log-softmax.
 */

import { autocastInputs } from '../amp/autocast.js';
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { backendOf, input, requireFloat, wrap } from './dispatch.js';
import * as ew from './elementwise.js';
import { max, sum } from './reduce.js';

function forward(x: Tensor, axis: number, log: boolean): Tensor {
  const backend = backendOf(log ? 'logSoftmax' : 'softmax', x);
  if (backend.softmax) return wrap(backend, backend.softmax(input(x), axis, log), x.shape, x.dtype);
  return noGrad(() => {
    const m = max(x, axis, { keepdims: true });
    const shift = ew.where(ew.isfinite(m), m, 0);
    const shifted = ew.sub(x, shift);
    const total = sum(ew.exp(shifted), axis, { keepdims: true });
    return log ? ew.sub(shifted, ew.log(total)) : ew.div(ew.exp(shifted), total);
  });
}

/**
 * Softmax along `axis`: exp(x) / sum(exp(x)), computed stably.
 * @example softmax(tensor([0, 0])).toArray() // [0.5, 0.5]
 */
export function softmax(input: Tensor, axis = -1): Tensor {
  const [x] = autocastInputs('softmax', input);
  requireFloat('softmax', x);
  const a = normalizeAxis('softmax', axis, x.rank);
  const y = forward(x, a, false);
  return record(
    'softmax',
    y,
    [x],
    (g) => [ew.mul(y, ew.sub(g, sum(ew.mul(g, y), a, { keepdims: true })))],
    [y],
  );
}

/**
 * Log-softmax along `axis`: x - logsumexp(x), computed stably.
 * @example logSoftmax(tensor([0, 0])).toArray() // [-0.6931, -0.6931]
 */
export function logSoftmax(input: Tensor, axis = -1): Tensor {
  const [x] = autocastInputs('logSoftmax', input);
  requireFloat('logSoftmax', x);
  const a = normalizeAxis('logSoftmax', axis, x.rank);
  const y = forward(x, a, true);
  return record(
    'logSoftmax',
    y,
    [x],
    (g) => [ew.sub(g, ew.mul(ew.exp(y), sum(g, a, { keepdims: true })))],
    [y],
  );
}
