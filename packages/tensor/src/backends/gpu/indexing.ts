/**
 * Gather and scatter-add along an axis (PyTorch `gather` / `scatter_add`) on
 * the gpu backend.
 *
 * Shapes: gather reads x `[...]` at `index` (any shape with index's rank; the
 * result has index's shape); scatterAdd returns a copy of x `[...]` plus src
 * added at `index` (index and src of equal shape, no larger than x).
 *
 * Index values are validated on the host first (the index tensor is read
 * back: index tensors are small next to the data they address, and the
 * backend contract is to throw IndexRangeError naming the value), then
 * negative indices wrap in the kernel. gather is one read per thread.
 * scatterAdd has no atomics in gpu.js, so it is written as a gather: the
 * thread of output element p loops over the index line through p and adds
 * every src value whose index equals p's coordinate along the axis.
 */
import type { KernelInput } from '../../backend/backend.js';
import { IndexRangeError } from '../../errors.js';
import { sizeOf } from '../../shape.js';
import { copyKernel as jsCopy } from '../js/elementwise.js';
import { emitCoordinates, floatLiteral, layoutKey, offsetExpression } from './layout-source.js';
import type { GpuRuntime, GpuStorage } from './runtime.js';

type Input = KernelInput<GpuStorage>;

/** Throws IndexRangeError for the first index outside [-extent, extent). */
function checkIndices(runtime: GpuRuntime, op: string, index: Input, extent: number): void {
  const values = jsCopy({ ...index, data: runtime.read(index.data), dtype: 'float32' }, 'float32');
  for (const value of values) {
    if (!(value >= -extent && value < extent)) {
      throw new IndexRangeError(
        op,
        `index ${value} is out of range for an axis of length ${extent}`,
        value,
        [-extent, extent],
      );
    }
  }
}

/** `out[p] = x[p with p[axis] = index[p]]` for every position p of `index`. */
export function gatherKernel(
  runtime: GpuRuntime,
  x: Input,
  axis: number,
  index: Input,
): GpuStorage {
  const extent = x.shape[axis]!;
  checkIndices(runtime, 'gather', index, extent);
  const xStrides = x.strides.map((s, a) => (a === axis ? 0 : s));
  const lines = [
    'const i = this.thread.x;',
    ...emitCoordinates('i', index.shape, 'c'),
    `let t = v[${offsetExpression(index.offset, index.strides, 'c')}];`,
    `if (t < 0.0) { t = t + ${floatLiteral(extent)}; }`,
    `return x[${offsetExpression(x.offset, xStrides, 'c')} + t * ${floatLiteral(x.strides[axis]!)}];`,
  ];
  return runtime.run(
    {
      key: `gather:${axis}:${layoutKey(x.shape, [x])}:${layoutKey(index.shape, [index])}`,
      source: `function (x, v) {\n${lines.join('\n')}\n}`,
      length: sizeOf(index.shape),
    },
    [x.data, index.data],
  );
}

/** A contiguous copy of `x` with `src[p]` added at `p with p[axis] = index[p]` for every p of `index`. */
export function scatterAddKernel(
  runtime: GpuRuntime,
  x: Input,
  axis: number,
  index: Input,
  src: Input,
): GpuStorage {
  const extent = x.shape[axis]!;
  checkIndices(runtime, 'scatterAdd', index, extent);
  const lines = ['const i = this.thread.x;', ...emitCoordinates('i', x.shape, 'c')];
  lines.push(`let acc = x[${offsetExpression(x.offset, x.strides, 'c')}];`);
  // Output positions outside index's extent on a non-scatter axis receive nothing.
  const bounds = index.shape
    .map((e, a) => (a !== axis && e < x.shape[a]! ? `c${a} < ${floatLiteral(e)}` : ''))
    .filter((t) => t !== '');
  const lineLength = index.shape[axis]!;
  if (lineLength > 0 && sizeOf(index.shape) > 0) {
    const indexStrides = index.strides.map((s, a) => (a === axis ? 0 : s));
    const srcStrides = src.strides.map((s, a) => (a === axis ? 0 : s));
    lines.push(
      `if (${bounds.length > 0 ? bounds.join(' && ') : '1.0 > 0.0'}) {`,
      `const bi = ${offsetExpression(index.offset, indexStrides, 'c')};`,
      `const bs = ${offsetExpression(src.offset, srcStrides, 'c')};`,
      `for (let k = 0; k < ${lineLength}; k++) {`,
      `let t = v[bi + k * ${floatLiteral(index.strides[axis]!)}];`,
      `if (t < 0.0) { t = t + ${floatLiteral(extent)}; }`,
      `if (t == c${axis}) { acc = acc + s[bs + k * ${floatLiteral(src.strides[axis]!)}]; }`,
      '}',
      '}',
    );
  }
  lines.push('return acc;');
  return runtime.run(
    {
      key: `scatterAdd:${axis}:${layoutKey(x.shape, [x])}:${layoutKey(index.shape, [index, src])}`,
      source: `function (x, v, s) {\n${lines.join('\n')}\n}`,
      length: sizeOf(x.shape),
    },
    [x.data, index.data, src.data],
  );
}
