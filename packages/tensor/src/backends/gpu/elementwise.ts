/**
 * Elementwise kernels of the gpu backend: unary, binary, where, copy (with a
 * dtype conversion), fill and assign.
 *
 * Shapes: the output is contiguous row-major over the (already broadcast)
 * shape; each operand brings its own strides and offset (stride 0 where
 * broadcast, negative where flipped). One thread per output element computes
 * its coordinates once (`layout-source.ts`) and reads every operand at its
 * offset, so views reach the kernel without copies.
 *
 * `assign` writes a view in place. Textures are immutable, so it renders a new
 * texture of the whole storage: a thread inverts the view's layout for its
 * storage position (axes by decreasing stride, quotient and remainder per axis)
 * to find whether and where it lies in the view, and takes the source value
 * there or keeps the old one. That inversion is unique when the view does not
 * overlap itself (every stride at least the span of the smaller ones), which
 * holds for every view the tensor API makes; other layouts fall back to a
 * download, the js kernel and an upload.
 */
import type { BinaryOpName, KernelInput, UnaryOpName } from '../../backend/backend.js';
import type { DType } from '../../dtype.js';
import { sizeOf } from '../../shape.js';
import { assignKernel } from '../js/elementwise.js';
import { emitOperandOffsets, floatLiteral, layoutKey, offsetExpression } from './layout-source.js';
import type { GpuRuntime, GpuStorage } from './runtime.js';
import { binarySource, storeSource, unarySource } from './scalar-source.js';

type Input = KernelInput<GpuStorage>;

/** `op` applied to every element of `x`, stored as `dtype`. */
export function unaryKernel(
  runtime: GpuRuntime,
  op: UnaryOpName,
  x: Input,
  dtype: DType,
  params: readonly number[] = [],
): GpuStorage {
  const body = [
    'const i = this.thread.x;',
    ...emitOperandOffsets('i', x.shape, [x]),
    'const v = x[p0];',
    'let r = 0.0;',
    ...unarySource(op, params),
    `return ${storeSource(dtype)};`,
  ];
  return runtime.run(
    {
      key: `unary:${op}:${params.join(',')}:${dtype}:${layoutKey(x.shape, [x])}`,
      source: `function (x) {\n${body.join('\n')}\n}`,
      length: sizeOf(x.shape),
    },
    [x.data],
  );
}

/** `op(a, b)` over the common shape, stored as `dtype`. */
export function binaryKernel(
  runtime: GpuRuntime,
  op: BinaryOpName,
  a: Input,
  b: Input,
  dtype: DType,
): GpuStorage {
  const body = [
    'const i = this.thread.x;',
    ...emitOperandOffsets('i', a.shape, [a, b]),
    'const a = x[p0];',
    'const b = y[p1];',
    `const r = ${binarySource(op)};`,
    `return ${storeSource(dtype)};`,
  ];
  return runtime.run(
    {
      key: `binary:${op}:${dtype}:${layoutKey(a.shape, [a, b])}`,
      source: `function (x, y) {\n${body.join('\n')}\n}`,
      length: sizeOf(a.shape),
    },
    [a.data, b.data],
  );
}

/** `condition != 0 ? a : b` over the common shape. */
export function whereKernel(
  runtime: GpuRuntime,
  condition: Input,
  a: Input,
  b: Input,
  dtype: DType,
): GpuStorage {
  const body = [
    'const i = this.thread.x;',
    ...emitOperandOffsets('i', a.shape, [condition, a, b]),
    'const r = c[p0] != 0.0 ? x[p1] : y[p2];',
    `return ${storeSource(dtype)};`,
  ];
  return runtime.run(
    {
      key: `where:${dtype}:${layoutKey(a.shape, [condition, a, b])}`,
      source: `function (c, x, y) {\n${body.join('\n')}\n}`,
      length: sizeOf(a.shape),
    },
    [condition.data, a.data, b.data],
  );
}

/** The view `x` as a new contiguous storage of `dtype`. */
export function copyKernel(runtime: GpuRuntime, x: Input, dtype: DType): GpuStorage {
  const body = [
    'const i = this.thread.x;',
    ...emitOperandOffsets('i', x.shape, [x]),
    'const r = x[p0];',
    `return ${storeSource(dtype)};`,
  ];
  return runtime.run(
    {
      key: `copy:${dtype}:${layoutKey(x.shape, [x])}`,
      source: `function (x) {\n${body.join('\n')}\n}`,
      length: sizeOf(x.shape),
    },
    [x.data],
  );
}

/** A storage of `length` elements all equal to `value`. */
export function fillKernel(runtime: GpuRuntime, length: number, value: number): GpuStorage {
  return runtime.run(
    {
      key: `fill:${value}`,
      source: `function () {\nreturn ${floatLiteral(value)};\n}`,
      length,
    },
    [],
  );
}

/** Normalizes a view for inversion: flips negative strides, drops extents of 1, sorts by decreasing stride. */
function invertible(dst: Input, src: Input) {
  let offset = dst.offset;
  const axes: { extent: number; stride: number; flipped: boolean; srcStride: number }[] = [];
  for (let axis = 0; axis < dst.shape.length; axis++) {
    const extent = dst.shape[axis]!;
    if (extent === 1) continue;
    let stride = dst.strides[axis]!;
    const flipped = stride < 0;
    if (flipped) {
      offset += stride * (extent - 1);
      stride = -stride;
    }
    axes.push({ extent, stride, flipped, srcStride: src.strides[axis]! });
  }
  axes.sort((p, q) => q.stride - p.stride);
  let span = 1;
  for (let k = axes.length - 1; k >= 0; k--) {
    if (axes[k]!.stride < span) return null;
    span = axes[k]!.stride * axes[k]!.extent;
  }
  return { offset, axes };
}

/** Writes `src` (laid out over `dst.shape`) into the view `dst`, converting to `dst.dtype`. */
export function assignInPlace(runtime: GpuRuntime, dst: Input, src: Input): void {
  if (sizeOf(dst.shape) === 0) return;
  const plan = invertible(dst, src);
  const storage = dst.data;
  if (plan === null) {
    // A self-overlapping destination: download, the js kernel, upload.
    const values = runtime.read(storage);
    const source = runtime.read(src.data);
    assignKernel(
      { ...dst, data: values, dtype: 'float32' },
      { ...src, data: source, dtype: 'float32' },
    );
    runtime.replace(storage, runtime.upload(values));
    if (dst.dtype !== 'float32') runtime.replace(storage, copyAs(runtime, storage, dst.dtype));
    return;
  }
  const lines = ['const i = this.thread.x;', `let rest = i - ${floatLiteral(plan.offset)};`];
  lines.push('let inside = rest >= 0.0 ? 1.0 : 0.0;');
  plan.axes.forEach((axis, k) => {
    const s = floatLiteral(axis.stride);
    lines.push(
      `let c${k} = Math.floor((rest + 0.5) / ${s});`,
      `if (c${k} * ${s} > rest) { c${k} = c${k} - 1.0; }`,
      `if ((c${k} + 1.0) * ${s} <= rest) { c${k} = c${k} + 1.0; }`,
      `if (c${k} >= ${floatLiteral(axis.extent)}) { inside = 0.0; }`,
      `rest = rest - c${k} * ${s};`,
    );
    if (axis.flipped) lines.push(`c${k} = ${floatLiteral(axis.extent - 1)} - c${k};`);
  });
  lines.push('if (rest != 0.0) { inside = 0.0; }');
  const srcOffset = offsetExpression(
    src.offset,
    plan.axes.map((a) => a.srcStride),
    'c',
  );
  lines.push(
    'let r = old[i];',
    `if (inside > 0.5) { r = x[${srcOffset}]; }`,
    `return ${storeSource(dst.dtype)};`,
  );
  const key = `assign:${dst.dtype}:${layoutKey(dst.shape, [dst, src])}`;
  const next = runtime.run(
    { key, source: `function (old, x) {\n${lines.join('\n')}\n}`, length: storage.length },
    [storage, src.data],
  );
  runtime.replace(storage, next);
}

function copyAs(runtime: GpuRuntime, storage: GpuStorage, dtype: DType): GpuStorage {
  return copyKernel(
    runtime,
    { data: storage, dtype: 'float32', shape: [storage.length], strides: [1], offset: 0 },
    dtype,
  );
}
