/** Triangular parts of matrices (the last two axes): `tril` and `triu`. */
import { ShapeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { arange } from './creation.js';
import * as ew from './elementwise.js';
import { unsqueeze } from './views.js';

function triangle(op: string, x: Tensor, diagonal: number, lower: boolean): Tensor {
  if (x.rank < 2)
    throw new ShapeError(op, `needs at least 2 axes, got [${x.shape.join(', ')}]`, [x.shape]);
  const rows = unsqueeze(arange(x.shape[x.rank - 2]!, undefined, 1, { backend: x.backend }), -1);
  const cols = arange(x.shape[x.rank - 1]!, undefined, 1, { backend: x.backend });
  const offset = ew.sub(cols, rows);
  const keep = lower ? ew.le(offset, diagonal) : ew.ge(offset, diagonal);
  return ew.where(keep, x, 0);
}

/**
 * The lower triangle of the last two axes (entries with col - row <= diagonal), zeros elsewhere.
 * @example tril(ones([2, 2])).toArray() // [[1, 0], [1, 1]]
 */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangle('tril', x, diagonal, true);
}

/** The upper triangle of the last two axes (entries with col - row >= diagonal), zeros elsewhere. */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangle('triu', x, diagonal, false);
}
