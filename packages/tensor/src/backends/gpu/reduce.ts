/**
 * Reductions of the gpu backend.
 *
 * Shapes: `reduce` maps x `[...]` to x's shape without `axes`; `argReduce`
 * works along one axis. One thread per output element: it computes
 * the base offset of its line from the kept coordinates, then loops over the
 * reduced axes (one literal-bounded loop per merged reduced axis, so GLSL ES
 * 1.0 accepts it). Accumulation is in float32 (the js backend accumulates in
 * float64; the conformance tolerance for the gpu backend states the
 * difference). NaN propagates through max/min; argmax/argmin return the first
 * NaN, else the first index of the extreme value, as the js backend does.
 *
 * `topkIndices` (a sort) falls back to a download, the js kernel and an upload.
 */
import type { KernelInput, ReduceOpName } from '../../backend/backend.js';
import type { DType } from '../../dtype.js';
import { sizeOf } from '../../shape.js';
import { topkIndicesKernel } from '../js/reduce.js';
import {
  emitCoordinates,
  floatLiteral,
  layoutKey,
  mergeAxes,
  offsetExpression,
} from './layout-source.js';
import type { GpuRuntime, GpuStorage } from './runtime.js';
import { storeSource } from './scalar-source.js';

type Input = KernelInput<GpuStorage>;

/** Lines computing `base`, the offset of the line's first element, from the thread's kept coordinates. */
function baseLines(x: Input, keep: (axis: number) => boolean): string[] {
  const shape = x.shape.filter((_, a) => keep(a));
  const strides = x.strides.filter((_, a) => keep(a));
  const merged = mergeAxes(shape, [{ strides, offset: x.offset }]);
  return [
    'const i = this.thread.x;',
    ...emitCoordinates('i', merged.dims, 'c'),
    `const base = ${offsetExpression(x.offset, merged.strides[0]!, 'c')};`,
  ];
}

/** Nested literal-bounded loops over the given axes; the body sees `p`, the element offset. */
function loopLines(shape: readonly number[], strides: readonly number[], body: string[]): string[] {
  const merged = mergeAxes(shape, [{ strides, offset: 0 }]);
  const dims = merged.dims;
  const loopStrides = merged.strides[0]!;
  if (dims.length === 0) return ['{', 'const p = base;', ...body, '}'];
  const open: string[] = [];
  const close: string[] = [];
  dims.forEach((extent, k) => {
    open.push(`for (let k${k} = 0; k${k} < ${extent}; k${k}++) {`);
    close.push('}');
  });
  const terms = dims.map((_, k) => `k${k} * ${floatLiteral(loopStrides[k]!)}`);
  return [...open, `const p = base + ${terms.join(' + ')};`, ...body, ...close];
}

/** Reduces `axes` of `x` with `op`, stored as `dtype`. */
export function reduceKernel(
  runtime: GpuRuntime,
  op: ReduceOpName,
  x: Input,
  axes: readonly number[],
  dtype: DType,
): GpuStorage {
  const reduced = (a: number) => axes.includes(a);
  const init = op === 'sum' ? '0.0' : op === 'prod' ? '1.0' : 'x[base]';
  const update =
    op === 'sum'
      ? ['acc = acc + x[p];']
      : op === 'prod'
        ? ['acc = acc * x[p];']
        : ['const v = x[p];', `if (v != v || v ${op === 'max' ? '>' : '<'} acc) { acc = v; }`];
  const count = sizeOf(x.shape.filter((_, a) => reduced(a)));
  const long = mergeAxes(
    x.shape.filter((_, a) => reduced(a)),
    [{ strides: x.strides.filter((_, a) => reduced(a)), offset: 0 }],
  );
  if (long.dims.length === 1 && long.dims[0]! > LONG_REDUCTION) {
    return twoPassReduce(runtime, op, x, axes, dtype, long.dims[0]!, long.strides[0]![0]!);
  }
  const lines = [
    ...baseLines(x, (a) => !reduced(a)),
    // max/min of an empty set never occurs (the op validates); sum and prod give 0 and 1.
    `let acc = ${count === 0 ? (op === 'prod' ? '1.0' : '0.0') : init};`,
    ...(count === 0
      ? []
      : loopLines(
          x.shape.filter((_, a) => reduced(a)),
          x.strides.filter((_, a) => reduced(a)),
          update,
        )),
    `return ${storeSource(dtype, 'acc')};`,
  ];
  return runtime.run(
    {
      key: `reduce:${op}:${axes.join(',')}:${dtype}:${layoutKey(x.shape, [x])}`,
      source: `function (x) {\n${lines.join('\n')}\n}`,
      length: sizeOf(x.shape.filter((_, a) => !reduced(a))),
    },
    [x.data],
  );
}

/** Reductions longer than this run in two passes (chunks of about sqrt(length), then the chunk results). */
const LONG_REDUCTION = 4096;

/**
 * A long reduction along one merged axis of `length` elements: pass one
 * reduces chunks of a power of two near sqrt(length) (one thread per output
 * element and chunk), pass two reduces each output's chunk results. Keeps
 * every thread's loop short (GPU watchdogs) and the float32 sums pairwise-ish.
 */
function twoPassReduce(
  runtime: GpuRuntime,
  op: ReduceOpName,
  x: Input,
  axes: readonly number[],
  dtype: DType,
  length: number,
  stride: number,
): GpuStorage {
  const chunk = 2 ** Math.ceil(Math.log2(Math.sqrt(length)));
  const chunks = Math.ceil(length / chunk);
  const kept = (a: number) => !axes.includes(a);
  const keptMerged = mergeAxes(
    x.shape.filter((_, a) => kept(a)),
    [{ strides: x.strides.filter((_, a) => kept(a)), offset: x.offset }],
  );
  const outCount = sizeOf(x.shape.filter((_, a) => kept(a)));
  const combine =
    op === 'sum'
      ? 'acc = acc + v;'
      : op === 'prod'
        ? 'acc = acc * v;'
        : `if (v != v || v ${op === 'max' ? '>' : '<'} acc) { acc = v; }`;
  const lines = [
    'const t = this.thread.x;',
    ...emitCoordinates('t', [outCount, chunks], 'h'),
    ...emitCoordinates('h0', keptMerged.dims, 'c'),
    `const base = ${offsetExpression(x.offset, keptMerged.strides[0]!, 'c')} + h1 * ${floatLiteral(chunk * stride)};`,
    `let acc = ${op === 'sum' ? '0.0' : op === 'prod' ? '1.0' : 'x[base]'};`,
    `for (let k = 0; k < ${chunk}; k++) {`,
    `if (h1 * ${floatLiteral(chunk)} + k < ${floatLiteral(length)}) {`,
    `const v = x[base + k * ${floatLiteral(stride)}];`,
    combine,
    '}',
    '}',
    'return acc;',
  ];
  const partial = runtime.run(
    {
      key: `reducePartial:${op}:${axes.join(',')}:${layoutKey(x.shape, [x])}`,
      source: `function (x) {\n${lines.join('\n')}\n}`,
      length: outCount * chunks,
    },
    [x.data],
  );
  try {
    const view = {
      data: partial,
      dtype: 'float32' as const,
      shape: [outCount, chunks],
      strides: [chunks, 1],
      offset: 0,
    };
    return reduceKernel(runtime, op, view, [1], dtype);
  } finally {
    runtime.free(partial);
  }
}

/** Index of the largest (argmax) or smallest value along `axis`; NaN wins, first index on ties. */
export function argReduceKernel(
  runtime: GpuRuntime,
  op: 'argmax' | 'argmin',
  x: Input,
  axis: number,
): GpuStorage {
  const extent = x.shape[axis]!;
  const stride = floatLiteral(x.strides[axis]!);
  const better = op === 'argmax' ? '>' : '<';
  const lines = [
    ...baseLines(x, (a) => a !== axis),
    'let best = x[base];',
    'let index = 0.0;',
    'let found = best != best ? 1.0 : 0.0;',
    `for (let k = 0; k < ${extent}; k++) {`,
    `const v = x[base + k * ${stride}];`,
    'if (found < 0.5) {',
    'if (v != v) { found = 1.0; index = k; }',
    `else if (v ${better} best) { best = v; index = k; }`,
    '}',
    '}',
    'return index;',
  ];
  return runtime.run(
    {
      key: `argReduce:${op}:${axis}:${layoutKey(x.shape, [x])}`,
      source: `function (x) {\n${lines.join('\n')}\n}`,
      length: sizeOf(x.shape.filter((_, a) => a !== axis)),
    },
    [x.data],
  );
}

/** Top-k indices along the last axis: download, the js kernel, upload (a sort has no gpu.js form here). */
export function topkIndicesFallback(
  runtime: GpuRuntime,
  x: Input,
  k: number,
  largest: boolean,
): GpuStorage {
  const values = runtime.read(x.data);
  const indices = topkIndicesKernel({ ...x, data: values, dtype: 'float32' }, k, largest);
  return runtime.upload(indices);
}
