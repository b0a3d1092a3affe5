/** Dropout (Srivastava et al. 2014), inverted: kept values are scaled by 1 / (1 - p). */
import { ValueError } from '../errors.js';
import type { Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { rand } from './creation.js';
import * as ew from './elementwise.js';

/** Options of `dropout`. */
export interface DropoutOptions {
  /** Apply dropout (true) or return the input unchanged. @default true */
  training?: boolean;
  /** Generator for the mask. @default the default generator */
  generator?: Generator;
}

/**
 * Zeroes each element with probability `p` and scales the rest by 1/(1-p).
 * @param p - drop probability in [0, 1]
 * @throws ValueError when p is outside [0, 1]
 */
export function dropout(x: Tensor, p: number, options: DropoutOptions = {}): Tensor {
  if (!(p >= 0 && p <= 1)) throw new ValueError('dropout', `p must be in [0, 1], got ${p}`, p);
  if (options.training === false || p === 0) return x;
  if (p === 1) return ew.mul(x, 0);
  const keep = ew.ge(rand(x.shape, { generator: options.generator, backend: x.backend }), p);
  return ew.mul(ew.mul(x, keep), 1 / (1 - p));
}
