/**
 * The readable print of a tensor (`toString()`), in the style of PyTorch:
 * aligned columns, one shared number format per tensor, summarized with `...`
 * (3 entries at each end of every axis) above 1000 elements.
 *
 *   tensor([[ 1.5000, -2.0000],
 *           [ 3.0000,  4.2500]], dtype=float32, shape=[2, 2])
 */
import type { Tensor } from './tensor.js';

const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

function formatter(values: ArrayLike<number>, dtype: string): (v: number) => string {
  if (dtype === 'bool') return (v) => (v !== 0 ? 'true' : 'false');
  if (dtype === 'int32') return (v) => String(v);
  let maxAbs = 0;
  let minAbs = Infinity;
  let allIntegers = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
    if (!Number.isInteger(v)) allIntegers = false;
  }
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  if (allIntegers && maxAbs < 1e8) return (v) => (Number.isFinite(v) ? `${v}.` : special(v));
  const scientific =
    maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs !== Infinity) || maxAbs / minAbs > 1e8;
  return (v) => {
    if (!Number.isFinite(v)) return special(v);
    return scientific ? v.toExponential(4) : v.toFixed(4);
  };
}

/** Indices kept along an axis of extent n (all, or the summarized edges with -1 for the ellipsis). */
function kept(n: number, summarize: boolean): number[] {
  if (!summarize || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  return [
    ...Array.from({ length: EDGE_ITEMS }, (_, i) => i),
    -1,
    ...Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i),
  ];
}

/**
 * Formats a tensor for printing.
 * @param t - the tensor
 * @returns e.g. `tensor([1., 2.], dtype=float32, shape=[2])`
 */
export function formatTensor(t: Tensor): string {
  if (t.isDisposed)
    return `tensor(<disposed #${t.id}>, dtype=${t.dtype}, shape=[${t.shape.join(', ')}])`;
  const values = t.toTypedArray();
  const summarize = t.size > SUMMARY_THRESHOLD;
  const strides: number[] = [];
  let stride = 1;
  for (let axis = t.rank - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= t.shape[axis]!;
  }
  const shown: number[] = [];
  const collect = (axis: number, base: number) => {
    if (axis === t.rank) {
      shown.push(values[base]!);
      return;
    }
    for (const i of kept(t.shape[axis]!, summarize))
      if (i >= 0) collect(axis + 1, base + i * strides[axis]!);
  };
  collect(0, 0);
  const format = formatter(shown, t.dtype);
  const width = Math.max(1, ...shown.map((v) => format(v).length));
  const indent = 'tensor('.length;
  const render = (axis: number, base: number): string => {
    if (axis === t.rank) return format(values[base]!).padStart(width);
    const parts = kept(t.shape[axis]!, summarize).map((i) =>
      i < 0 ? '...' : render(axis + 1, base + i * strides[axis]!),
    );
    const newlines = '\n'.repeat(Math.max(0, t.rank - axis - 1));
    const separator = axis === t.rank - 1 ? ', ' : `,${newlines}${' '.repeat(indent + axis + 1)}`;
    return `[${parts.join(separator)}]`;
  };
  const body = t.rank === 0 ? format(values[0]!) : render(0, 0);
  const extras = [`dtype=${t.dtype}`, `shape=[${t.shape.join(', ')}]`];
  if (t.gradFn) extras.push(`gradFn=${t.gradFn.op}`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  return `tensor(${body}, ${extras.join(', ')})`;
}
