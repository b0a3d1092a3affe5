/**
 * Indexing ops: `gather` and `scatterAdd` along an axis (the primitives, with
 * PyTorch semantics), and compositions of them: `indexSelect`, `embedding`,
 * `maskedFill`. Index tensors are int32; out-of-range values throw
 * IndexRangeError naming the value.
 */
import { record } from '../autograd/node.js';
import { DTypeError, ShapeError } from '../errors.js';
import { formatShape, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { zeros } from './creation.js';
import { backendOf, input, wrap } from './dispatch.js';
import { where } from './elementwise.js';
import { expand, reshape } from './views.js';

function checkIndexTensor(op: string, index: Tensor): void {
  if (index.dtype !== 'int32')
    throw new DTypeError(op, `index must be int32, got ${index.dtype}`, index.dtype);
}

/**
 * `out[i][j][k] = x[i][index[i][j][k]][k]` for axis 1 (and likewise for other axes);
 * the result has `index.shape`.
 * @throws ShapeError when ranks differ or `index` is larger than `x` on another axis
 * @throws IndexRangeError for an index outside the axis
 * @example
 * gather(tensor([[1, 2], [3, 4]]), 1, tensor([[1], [0]], { dtype: 'int32' })).toArray() // [[2], [3]]
 */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  checkIndexTensor('gather', index);
  const backend = backendOf('gather', x, index);
  const a = normalizeAxis('gather', axis, x.rank);
  if (index.rank !== x.rank || index.shape.some((e, d) => d !== a && e > x.shape[d]!)) {
    throw new ShapeError(
      'gather',
      `index ${formatShape(index.shape)} does not fit input ${formatShape(x.shape)} along axis ${a}`,
      [x.shape, index.shape],
    );
  }
  const y = wrap(backend, backend.gather(input(x), a, input(index)), index.shape, x.dtype);
  return record(
    'gather',
    y,
    [x],
    (g) => [scatterAdd(zeros(x.shape, { dtype: g.dtype, backend: backend.name }), a, index, g)],
    [index],
  );
}

/**
 * A copy of `x` with `src[p]` added at position `p` with `p[axis]` replaced by `index[p]`
 * (PyTorch `scatter_add`; repeated indices accumulate). `index` and `src` have the same shape.
 * @throws ShapeError when shapes do not fit
 * @throws IndexRangeError for an index outside the axis
 */
export function scatterAdd(x: Tensor, axis: number, index: Tensor, src: Tensor): Tensor {
  checkIndexTensor('scatterAdd', index);
  const backend = backendOf('scatterAdd', x, index, src);
  const a = normalizeAxis('scatterAdd', axis, x.rank);
  const fits =
    index.rank === x.rank &&
    index.shape.every((e, d) => e === src.shape[d] && (d === a || e <= x.shape[d]!));
  if (!fits || src.rank !== index.rank) {
    throw new ShapeError(
      'scatterAdd',
      `index ${formatShape(index.shape)} and src ${formatShape(src.shape)} do not fit input ${formatShape(x.shape)} along axis ${a}`,
      [x.shape, index.shape, src.shape],
    );
  }
  const source = src.dtype === x.dtype ? src : src.to(x.dtype);
  const y = wrap(
    backend,
    backend.scatterAdd(input(x), a, input(index), input(source)),
    x.shape,
    x.dtype,
  );
  return record('scatterAdd', y, [x, source], (g) => [g, gather(g, a, index)], [index]);
}

/**
 * Selects entries along `axis` by a 1-D int32 index: the result has `x`'s
 * shape with that axis' extent replaced by the index length.
 * @example
 * indexSelect(tensor([[1, 2], [3, 4], [5, 6]]), 0, tensor([2, 0], { dtype: 'int32' })).toArray() // [[5, 6], [1, 2]]
 */
export function indexSelect(x: Tensor, axis: number, index: Tensor): Tensor {
  checkIndexTensor('indexSelect', index);
  if (index.rank !== 1)
    throw new ShapeError('indexSelect', `index must be 1-D, got ${formatShape(index.shape)}`, [
      index.shape,
    ]);
  const a = normalizeAxis('indexSelect', axis, x.rank);
  const shape = x.shape.map((e, d) => (d === a ? index.shape[0]! : e));
  const spread = expand(
    reshape(
      index,
      x.shape.map((_, d) => (d === a ? index.shape[0]! : 1)),
    ),
    shape,
  );
  return gather(x, a, spread);
}

/**
 * Embedding lookup: rows of `weight` ([vocabulary, dim]) at int32 `ids` of any shape;
 * the result has shape `[...ids.shape, dim]`.
 * @throws IndexRangeError for an id outside the vocabulary
 */
export function embedding(weight: Tensor, ids: Tensor): Tensor {
  if (weight.rank !== 2)
    throw new ShapeError(
      'embedding',
      `weight must be [vocabulary, dim], got ${formatShape(weight.shape)}`,
      [weight.shape],
    );
  const rows = indexSelect(weight, 0, reshape(ids, [ids.size]));
  return reshape(rows, [...ids.shape, weight.shape[1]!]);
}

/** `x` with `value` where `mask` (broadcast) is true. */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  return where(mask, value, x);
}
