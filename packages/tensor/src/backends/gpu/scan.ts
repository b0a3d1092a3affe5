/**
 * Inclusive cumulative sums (`cumsum`) of the gpu backend.
 *
 * Shapes: x `[...]`, result contiguous with x's shape, summed along `axis`
 * (from the end when `reverse`).
 *
 * gpu.js threads cannot communicate, so a scan is either per-element loops or
 * several kernels. Short axes (up to 64): one kernel whose thread for
 * position j sums the prefix [0, j] (the suffix when reversed), O(L^2) work
 * per line. Longer axes: the Hillis & Steele (1986) scan, log2(L) kernels over
 * a contiguous copy, pass s adding the element 2^s positions before (after),
 * O(L log L) work; float32 sums in a tree order rather than left to right.
 */
import type { KernelInput } from '../../backend/backend.js';
import type { DType } from '../../dtype.js';
import { sizeOf } from '../../shape.js';
import { copyKernel } from './elementwise.js';
import { emitCoordinates, floatLiteral, layoutKey, offsetExpression } from './layout-source.js';
import type { GpuRuntime, GpuStorage } from './runtime.js';
import { storeSource } from './scalar-source.js';

type Input = KernelInput<GpuStorage>;

/** Axes longer than this are scanned in log2(length) passes. */
const SHORT_SCAN = 64;

/** Inclusive cumulative sum along `axis` (from the end when `reverse`). */
export function cumsumKernel(
  runtime: GpuRuntime,
  x: Input,
  axis: number,
  reverse: boolean,
  dtype: DType,
): GpuStorage {
  const extent = x.shape[axis]!;
  if (extent > SHORT_SCAN) return passScan(runtime, x, axis, reverse, dtype);
  // Output coordinates: all axes; the line base drops the scanned axis' term.
  const merged = x.shape.map((e) => e);
  const lines = ['const i = this.thread.x;', ...emitCoordinates('i', merged, 'c')];
  const baseStrides = x.strides.map((s, a) => (a === axis ? 0 : s));
  lines.push(
    `const base = ${offsetExpression(x.offset, baseStrides, 'c')};`,
    `const j = c${axis};`,
    'let acc = 0.0;',
    `for (let k = 0; k < ${extent}; k++) {`,
    `if (${reverse ? 'k >= j' : 'k <= j'}) { acc = acc + x[base + k * ${floatLiteral(x.strides[axis]!)}]; }`,
    '}',
    `return ${storeSource(dtype, 'acc')};`,
  );
  return runtime.run(
    {
      key: `cumsum:${axis}:${reverse}:${dtype}:${layoutKey(x.shape, [x])}`,
      source: `function (x) {\n${lines.join('\n')}\n}`,
      length: sizeOf(x.shape),
    },
    [x.data],
  );
}

/** The Hillis-Steele scan: a contiguous float32 copy, then one kernel per power of two. */
function passScan(
  runtime: GpuRuntime,
  x: Input,
  axis: number,
  reverse: boolean,
  dtype: DType,
): GpuStorage {
  const extent = x.shape[axis]!;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const outer = sizeOf(x.shape.slice(0, axis));
  const length = sizeOf(x.shape);
  let current = copyKernel(runtime, x, 'float32');
  for (let step = 1; step < extent; step *= 2) {
    const last = step * 2 >= extent;
    const lines = [
      'const i = this.thread.x;',
      ...emitCoordinates('i', [outer, extent, inner], 'c'),
      'let acc = x[i];',
      reverse
        ? `if (c1 + ${floatLiteral(step)} < ${floatLiteral(extent)}) { acc = acc + x[i + ${floatLiteral(step * inner)}]; }`
        : `if (c1 >= ${floatLiteral(step)}) { acc = acc + x[i - ${floatLiteral(step * inner)}]; }`,
      `return ${last ? storeSource(dtype, 'acc') : 'acc'};`,
    ];
    const next = runtime.run(
      {
        key: `scanPass:${step}:${reverse}:${last ? dtype : 'float32'}:${outer}x${extent}x${inner}`,
        source: `function (x) {\n${lines.join('\n')}\n}`,
        length,
      },
      [current],
    );
    runtime.free(current);
    current = next;
  }
  return current;
}
