/**
 * Fused kernels of the gpu backend: softmax / log-softmax along an axis,
 * layer norm and RMS norm over the last axis.
 *
 * Shapes: x `[...]`, result contiguous with x's shape; weight and bias are
 * vectors of the last axis' length (any stride).
 *
 * Algorithm: two passes, so that no thread loops over its line more than a
 * constant number of times. A statistics kernel with one thread per line and
 * statistic writes `[lines]` values of each statistic one after the other
 * (softmax: the running maximum and the sum of exponentials rescaled online,
 * Milakov & Gimelshein 2018, where an element equal to the running maximum
 * adds exactly 1 so lines opening with -Infinity, as causal masks make them,
 * do not meet -inf - -inf; layer norm: mean, then the biased variance about
 * it; RMS norm: the mean square). The elementwise kernel then normalizes each
 * element with its line's statistics. All in float32.
 */
import type { KernelInput } from '../../backend/backend.js';
import { sizeOf } from '../../shape.js';
import { emitCoordinates, floatLiteral, layoutKey, offsetExpression } from './layout-source.js';
import type { GpuRuntime, GpuStorage } from './runtime.js';

type Input = KernelInput<GpuStorage>;

/** The line decomposition of `x` along `axis`: line shape, strides, line count, element stride. */
function lines(x: Input, axis: number) {
  const shape = x.shape.filter((_, a) => a !== axis);
  const strides = x.strides.filter((_, a) => a !== axis);
  return { shape, strides, count: sizeOf(shape), length: x.shape[axis]! };
}

/** Source lines that set `base` to the first element of line `l` (a float variable). */
function lineBase(x: Input, shape: readonly number[], strides: readonly number[]): string[] {
  return [
    ...emitCoordinates('l', shape, 'c'),
    `const base = ${offsetExpression(x.offset, strides, 'c')};`,
  ];
}

/** Softmax (or log-softmax) of `x` along `axis`. */
export function softmaxKernel(
  runtime: GpuRuntime,
  x: Input,
  axis: number,
  log: boolean,
): GpuStorage {
  const line = lines(x, axis);
  const step = floatLiteral(x.strides[axis]!);
  const count = floatLiteral(line.count);
  const statsSource = [
    'const i = this.thread.x;',
    `const second = i >= ${count} ? 1.0 : 0.0;`,
    `const l = i - second * ${count};`,
    ...lineBase(x, line.shape, line.strides),
    'let m = x[base];',
    'let s = 0.0;',
    `for (let k = 0; k < ${line.length}; k++) {`,
    `const v = x[base + k * ${step}];`,
    'if (v > m || v != v) { s = s * Math.exp(m - v) + 1.0; m = v; } else { s = s + (v == m ? 1.0 : Math.exp(v - m)); }',
    '}',
    'return second > 0.5 ? s : m;',
  ];
  const key = `${axis}:${layoutKey(x.shape, [x])}`;
  const stats = runtime.run(
    {
      key: `softmaxStats:${key}`,
      source: `function (x) {\n${statsSource.join('\n')}\n}`,
      length: 2 * line.count,
    },
    [x.data],
  );
  // Output element i: coordinates over x.shape; its line index drops the axis coordinate.
  const lineStrides = x.shape.map((_, a) => {
    if (a === axis) return 0;
    return sizeOf(x.shape.filter((_, b) => b > a && b !== axis));
  });
  const outSource = [
    'const i = this.thread.x;',
    ...emitCoordinates('i', x.shape, 'c'),
    `const l = ${offsetExpression(0, lineStrides, 'c')};`,
    `const m = st[l];`,
    `const s = st[l + ${count}];`,
    `const v = x[${offsetExpression(x.offset, x.strides, 'c')}];`,
    log ? 'return v - m - Math.log(s);' : 'return Math.exp(v - m) / s;',
  ];
  try {
    return runtime.run(
      {
        key: `softmax:${log}:${key}`,
        source: `function (x, st) {\n${outSource.join('\n')}\n}`,
        length: sizeOf(x.shape),
      },
      [x.data, stats],
    );
  } finally {
    runtime.free(stats);
  }
}

/** Row-major strides of `shape`. */
function contiguous(shape: readonly number[]): number[] {
  return shape.map((_, a) => sizeOf(shape.slice(a + 1)));
}

/** Per-element normalization source shared by layerNorm and rmsNorm. */
function normalize(
  runtime: GpuRuntime,
  key: string,
  x: Input,
  stats: GpuStorage,
  statLines: string[],
  formula: string,
  params: readonly (Input | null)[],
): GpuStorage {
  const rank = x.shape.length;
  const names = ['w', 'b'];
  const reads = params.map((p, k) =>
    p
      ? `const ${names[k]}v = ${names[k]}[${floatLiteral(p.offset)} + c${rank - 1} * ${floatLiteral(p.strides[p.strides.length - 1] ?? 0)}];`
      : `const ${names[k]}v = ${k === 0 ? '1.0' : '0.0'};`,
  );
  const source = [
    'const i = this.thread.x;',
    ...emitCoordinates('i', x.shape, 'c'),
    `const l = ${offsetExpression(0, [...contiguous(x.shape.slice(0, -1)), 0], 'c')};`,
    ...statLines,
    `const v = x[${offsetExpression(x.offset, x.strides, 'c')}];`,
    ...reads,
    `return ${formula};`,
  ];
  const args = [x.data, stats, ...params.map((p) => (p ? p.data : stats))];
  const paramKey = params.map((p) => (p ? layoutKey(p.shape, [p]) : '-')).join(';');
  return runtime.run(
    {
      key: `${key}:${layoutKey(x.shape, [x])}:${paramKey}`,
      source: `function (x, st, w, b) {\n${source.join('\n')}\n}`,
      length: sizeOf(x.shape),
    },
    args,
  );
}

/** Layer norm over the last axis: (x - mean) / sqrt(var + eps) * weight + bias. */
export function layerNormKernel(
  runtime: GpuRuntime,
  x: Input,
  weight: Input | null,
  bias: Input | null,
  eps: number,
): GpuStorage {
  const rank = x.shape.length;
  const line = lines(x, rank - 1);
  const step = floatLiteral(x.strides[rank - 1]!);
  const n = floatLiteral(line.length);
  const count = floatLiteral(line.count);
  const statsSource = [
    'const i = this.thread.x;',
    `const second = i >= ${count} ? 1.0 : 0.0;`,
    `const l = i - second * ${count};`,
    ...lineBase(x, line.shape, line.strides),
    'let mean = 0.0;',
    `for (let k = 0; k < ${line.length}; k++) { mean = mean + x[base + k * ${step}]; }`,
    `mean = mean / ${n};`,
    'let variance = 0.0;',
    `for (let k = 0; k < ${line.length}; k++) { const d = x[base + k * ${step}] - mean; variance = variance + d * d; }`,
    `return second > 0.5 ? 1.0 / Math.sqrt(variance / ${n} + ${floatLiteral(eps)}) : mean;`,
  ];
  const stats = runtime.run(
    {
      key: `layerNormStats:${eps}:${layoutKey(x.shape, [x])}`,
      source: `function (x) {\n${statsSource.join('\n')}\n}`,
      length: 2 * line.count,
    },
    [x.data],
  );
  try {
    return normalize(
      runtime,
      `layerNorm:${eps}`,
      x,
      stats,
      ['const mean = st[l];', `const rstd = st[l + ${count}];`],
      '(v - mean) * rstd * wv + bv',
      [weight, bias],
    );
  } finally {
    runtime.free(stats);
  }
}

/** RMS norm over the last axis: x / sqrt(mean(x^2) + eps) * weight. */
export function rmsNormKernel(
  runtime: GpuRuntime,
  x: Input,
  weight: Input | null,
  eps: number,
): GpuStorage {
  const rank = x.shape.length;
  const line = lines(x, rank - 1);
  const step = floatLiteral(x.strides[rank - 1]!);
  const statsSource = [
    'const l = this.thread.x;',
    ...lineBase(x, line.shape, line.strides),
    'let squares = 0.0;',
    `for (let k = 0; k < ${line.length}; k++) { const v = x[base + k * ${step}]; squares = squares + v * v; }`,
    `return 1.0 / Math.sqrt(squares / ${floatLiteral(line.length)} + ${floatLiteral(eps)});`,
  ];
  const stats = runtime.run(
    {
      key: `rmsNormStats:${eps}:${layoutKey(x.shape, [x])}`,
      source: `function (x) {\n${statsSource.join('\n')}\n}`,
      length: line.count,
    },
    [x.data],
  );
  try {
    return normalize(
      runtime,
      `rmsNorm:${eps}`,
      x,
      stats,
      ['const rstd = st[l];'],
      'v * rstd * wv',
      [weight, null],
    );
  } finally {
    runtime.free(stats);
  }
}
