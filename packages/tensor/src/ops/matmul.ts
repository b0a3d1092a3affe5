/**
 * Matrix product with NumPy / PyTorch semantics: 1-D operands are promoted to
 * a row (left) or a column (right) and the added axis removed afterwards;
 * batch axes broadcast. The backend primitive sees layouts only, so
 * transposed operands reach it without copies.
 */
import { autocastInputs } from '../amp/autocast.js';
import { record } from '../autograd/node.js';
import { DTypeError, ShapeError } from '../errors.js';
import { broadcastShapes, formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { backendOf, broadcastInput, resultType, wrap } from './dispatch.js';
import { reduceToShape, reshape, squeeze, transpose, unsqueeze } from './views.js';

function matmul2d(a: Tensor, b: Tensor): Tensor {
  const backend = backendOf('matmul', a, b);
  const M = a.shape[a.rank - 2]!;
  const K = a.shape[a.rank - 1]!;
  const N = b.shape[b.rank - 1]!;
  if (b.shape[b.rank - 2] !== K) {
    throw new ShapeError(
      'matmul',
      `shape mismatch, lhs ${formatShape(a.shape)}, rhs ${formatShape(b.shape)} (inner extents ${K} and ${b.shape[b.rank - 2]})`,
      [a.shape, b.shape],
    );
  }
  const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const dtype = resultType(a, b);
  const data = backend.matmul(
    broadcastInput(a, [...batch, M, K]),
    broadcastInput(b, [...batch, K, N]),
    dtype,
  );
  const y = wrap(backend, data, [...batch, M, N], dtype);
  return record(
    'matmul',
    y,
    [a, b],
    (g) => [
      reduceToShape(matmul2d(g, transpose(b)), a.shape),
      reduceToShape(matmul2d(transpose(a), g), b.shape),
    ],
    [a, b],
  );
}

/**
 * Matrix product `a @ b`: `[..., M, K] @ [..., K, N] -> [..., M, N]` with
 * broadcast batch axes; a 1-D `a` is a row vector, a 1-D `b` a column vector.
 * @throws ShapeError when inner extents differ or batch axes do not broadcast
 * @throws DTypeError for bool operands or scalars
 * @example
 * matmul(tensor([[1, 2], [3, 4]]), tensor([1, 1])).toArray() // [3, 7]
 */
export function matmul(lhs: Tensor, rhs: Tensor): Tensor {
  const [a, b] = autocastInputs('matmul', lhs, rhs);
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(
      'matmul',
      `operands must have at least one axis, got lhs ${formatShape(a.shape)}, rhs ${formatShape(b.shape)}`,
      [a.shape, b.shape],
    );
  }
  if (a.dtype === 'bool' || b.dtype === 'bool')
    throw new DTypeError('matmul', 'bool operands are not supported', 'bool');
  const left = a.rank === 1 ? unsqueeze(a, 0) : a;
  const right = b.rank === 1 ? unsqueeze(b, -1) : b;
  let y: Tensor;
  if (right.rank === 2 && left.rank > 2) {
    // [..., M, K] @ [K, N]: one [(...) M, K] @ [K, N] product instead of a batch of them, so the
    // weight is packed once and its gradient is one [K, N] product, not a [..., K, N] batch to reduce.
    const batch = left.shape.slice(0, -1);
    const flat = matmul2d(reshape(left, [-1, left.shape[left.rank - 1]!]), right);
    y = reshape(flat, [...batch, right.shape[1]!]);
  } else y = matmul2d(left, right);
  if (b.rank === 1) y = squeeze(y, -1);
  if (a.rank === 1) y = squeeze(y, y.rank - (b.rank === 1 ? 1 : 2));
  return y;
}
