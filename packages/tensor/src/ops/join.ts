/**
 * Joining and splitting: `concat` and `stack` (copies), `split` and `chunk`
 * (views along an axis).
 */
import { record } from '../autograd/node.js';
import { promoteTypes } from '../dtype.js';
import { ShapeError, ValueError } from '../errors.js';
import { formatShape, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { backendOf, input, wrap } from './dispatch.js';
import { narrow, unsqueeze } from './views.js';

/**
 * Joins tensors along an existing axis. Shapes must agree on every other axis;
 * dtypes promote.
 * @throws ShapeError when shapes differ off the axis; ValueError for an empty list
 * @example concat([tensor([1]), tensor([2, 3])]).toArray() // [1, 2, 3]
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('concat', 'expects at least one tensor', tensors);
  const first = tensors[0]!;
  const backend = backendOf('concat', ...tensors);
  const a = normalizeAxis('concat', axis, first.rank);
  let total = 0;
  for (const t of tensors) {
    if (t.rank !== first.rank || t.shape.some((e, d) => d !== a && e !== first.shape[d])) {
      throw new ShapeError(
        'concat',
        `shapes ${tensors.map((x) => formatShape(x.shape)).join(', ')} differ off axis ${a}`,
        tensors.map((x) => x.shape),
      );
    }
    total += t.shape[a]!;
  }
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  const shape = first.shape.map((e, d) => (d === a ? total : e));
  const out = wrap(
    backend,
    backend.alloc(
      dtype,
      shape.reduce((p, e) => p * e, 1),
    ),
    shape,
    dtype,
  );
  let start = 0;
  const starts: number[] = [];
  for (const t of tensors) {
    starts.push(start);
    const part = narrow(out, a, start, t.shape[a]!);
    backend.assign(input(part), input(t));
    part.dispose();
    start += t.shape[a]!;
  }
  return record('concat', out, tensors, (g) =>
    tensors.map((t, i) => narrow(g, a, starts[i]!, t.shape[a]!)),
  );
}

/**
 * Joins equally shaped tensors along a new axis.
 * @example stack([tensor([1, 2]), tensor([3, 4])]).shape // [2, 2]
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('stack', 'expects at least one tensor', tensors);
  const first = tensors[0]!;
  for (const t of tensors) {
    if (t.rank !== first.rank || t.shape.some((e, d) => e !== first.shape[d])) {
      throw new ShapeError(
        'stack',
        `all shapes must be equal, got ${tensors.map((x) => formatShape(x.shape)).join(', ')}`,
        tensors.map((x) => x.shape),
      );
    }
  }
  const a = normalizeAxis('stack', axis, first.rank + 1);
  return concat(
    tensors.map((t) => unsqueeze(t, a)),
    a,
  );
}

/**
 * Splits along `axis` into views: pieces of `sizes` elements (a number: equal
 * pieces of that size, the last one smaller if needed; an array: those sizes).
 * @throws ValueError when the sizes do not add up to the axis' extent
 * @example split(arange(5), 2).map((t) => t.shape[0]) // [2, 2, 1]
 */
export function split(x: Tensor, sizes: number | readonly number[], axis = 0): Tensor[] {
  const a = normalizeAxis('split', axis, x.rank);
  const extent = x.shape[a]!;
  let list: number[];
  if (typeof sizes === 'number') {
    if (!Number.isInteger(sizes) || sizes < 1)
      throw new ValueError('split', `size must be a positive integer, got ${sizes}`, sizes);
    list = [];
    for (let start = 0; start < extent; start += sizes) list.push(Math.min(sizes, extent - start));
  } else {
    list = [...sizes];
    if (
      list.some((s) => !Number.isInteger(s) || s < 0) ||
      list.reduce((p, s) => p + s, 0) !== extent
    ) {
      throw new ValueError(
        'split',
        `sizes [${list.join(', ')}] do not add up to extent ${extent} of axis ${a}`,
        sizes,
      );
    }
  }
  const pieces: Tensor[] = [];
  let start = 0;
  for (const size of list) {
    pieces.push(narrow(x, a, start, size));
    start += size;
  }
  return pieces;
}

/** Splits along `axis` into `chunks` nearly equal views (PyTorch `chunk`). */
export function chunk(x: Tensor, chunks: number, axis = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks < 1)
    throw new ValueError('chunk', `chunks must be a positive integer, got ${chunks}`, chunks);
  const extent = x.shape[normalizeAxis('chunk', axis, x.rank)]!;
  return split(x, Math.max(1, Math.ceil(extent / chunks)), axis);
}
