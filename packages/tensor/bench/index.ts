/**
 * `npm run bench -w @x/tensor`: the tensor core against its best-known JS peer
 * (@tensorflow/tfjs-core + tfjs-backend-cpu 4.22.0) in the same process, after
 * karpathy/llm.c's dev/cuda layout: a plain reference implementation first,
 * then each implementation validated against it before it is timed.
 *
 * Ops: matmul (N = 128..1024, GFLOP/s = 2N^3 / t), and on 1M elements
 * (1024 x 1024): add, exp, softmax over rows, layerNorm over rows (GB/s of
 * input + output traffic). Prints a table with ratios, writes
 * bench/results/latest.json, and ends with one JSON line of the headline figures.
 *
 * Options: --quick (tiny sizes, a CI smoke), --backend NAME (default js).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { measure } from 'mitata';
import * as X from '../src/index.js';

interface Row {
  op: string;
  size: string;
  impl: string;
  ms: number;
  rate: number;
  unit: string;
  maxError: number;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const backendName =
  args[args.indexOf('--backend') + 1] && args.includes('--backend')
    ? args[args.indexOf('--backend') + 1]!
    : 'js';
X.setBackend(backendName);
await tf.setBackend('cpu');

const rows: Row[] = [];

async function time(fn: () => void, heavy: boolean): Promise<number> {
  const stats = await measure(
    fn,
    heavy
      ? { min_samples: 3, max_samples: 5, min_cpu_time: 1e9 }
      : { min_samples: 10, max_samples: 200, min_cpu_time: 5e8 },
  );
  return stats.p50 / 1e6;
}

function maxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return worst;
}

function random(n: number, seed: number): Float32Array {
  const g = new X.Generator(seed);
  return Float32Array.from({ length: n }, () => g.normal());
}

/** Plain JS references (the spec each implementation is validated against). */
const reference = {
  matmul(a: Float32Array, b: Float32Array, n: number): Float32Array {
    const out = new Float32Array(n * n);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) {
        const aik = a[i * n + k]!;
        for (let j = 0; j < n; j++) out[i * n + j]! += aik * b[k * n + j]!;
      }
    return out;
  },
  add: (a: Float32Array, b: Float32Array) => a.map((v, i) => v + b[i]!),
  exp: (a: Float32Array) => a.map(Math.exp),
  softmax(a: Float32Array, cols: number): Float32Array {
    const out = new Float32Array(a.length);
    for (let r = 0; r < a.length / cols; r++) {
      const row = a.subarray(r * cols, (r + 1) * cols);
      const m = Math.max(...row);
      let s = 0;
      for (const v of row) s += Math.exp(v - m);
      for (let j = 0; j < cols; j++) out[r * cols + j] = Math.exp(row[j]! - m) / s;
    }
    return out;
  },
  layerNorm(a: Float32Array, cols: number): Float32Array {
    const out = new Float32Array(a.length);
    for (let r = 0; r < a.length / cols; r++) {
      const row = a.subarray(r * cols, (r + 1) * cols);
      let mean = 0;
      for (const v of row) mean += v;
      mean /= cols;
      let variance = 0;
      for (const v of row) variance += (v - mean) ** 2;
      const rstd = 1 / Math.sqrt(variance / cols + 1e-5);
      for (let j = 0; j < cols; j++) out[r * cols + j] = (row[j]! - mean) * rstd;
    }
    return out;
  },
};

async function runMatmul(n: number) {
  const a = random(n * n, 1);
  const b = random(n * n, 2);
  const expected = reference.matmul(a, b, n);
  const flops = 2 * n ** 3;
  const heavy = n >= 512;
  const xa = X.tensor(a, { shape: [n, n] });
  const xb = X.tensor(b, { shape: [n, n] });
  const ta = tf.tensor2d(a, [n, n]);
  const tb = tf.tensor2d(b, [n, n]);
  const impls: [string, () => void, () => ArrayLike<number>][] = [
    [
      'x/tensor',
      () => X.tidy(() => X.matmul(xa, xb)),
      () => X.tidy(() => X.matmul(xa, xb).toTypedArray()),
    ],
    [
      'tfjs-cpu',
      () => tf.tidy(() => tf.matMul(ta, tb)),
      () => tf.tidy(() => tf.matMul(ta, tb).dataSync()),
    ],
  ];
  if (n <= 512) impls.unshift(['plain JS loop', () => reference.matmul(a, b, n), () => expected]);
  for (const [impl, fn, check] of impls) {
    const error = maxError(check(), expected);
    if (error > 1e-3) throw new Error(`${impl} matmul ${n}: max relative error ${error}`);
    const ms = await time(fn, heavy);
    rows.push({
      op: 'matmul',
      size: `${n}`,
      impl,
      ms,
      rate: flops / ms / 1e6,
      unit: 'GFLOP/s',
      maxError: error,
    });
  }
}

async function runRowOp(
  op: 'add' | 'exp' | 'softmax' | 'layerNorm',
  rowsCount: number,
  cols: number,
) {
  const n = rowsCount * cols;
  const a = random(n, 3);
  const b = random(n, 4);
  const expected =
    op === 'add'
      ? reference.add(a, b)
      : op === 'exp'
        ? reference.exp(a)
        : op === 'softmax'
          ? reference.softmax(a, cols)
          : reference.layerNorm(a, cols);
  const bytes = (op === 'add' ? 3 : 2) * 4 * n;
  const xa = X.tensor(a, { shape: [rowsCount, cols] });
  const xb = X.tensor(b, { shape: [rowsCount, cols] });
  const ta = tf.tensor2d(a, [rowsCount, cols]);
  const tb = tf.tensor2d(b, [rowsCount, cols]);
  const ours = {
    add: () => X.add(xa, xb),
    exp: () => X.exp(xa),
    softmax: () => X.softmax(xa, -1),
    layerNorm: () => X.layerNorm(xa),
  }[op];
  const peer = {
    add: () => tf.add(ta, tb),
    exp: () => tf.exp(ta),
    softmax: () => tf.softmax(ta, -1),
    layerNorm: () => {
      const { mean, variance } = tf.moments(ta, -1, true);
      return tf.div(tf.sub(ta, mean), tf.sqrt(tf.add(variance, 1e-5)));
    },
  }[op];
  const impls: [string, () => void, () => ArrayLike<number>][] = [
    [
      'plain JS loop',
      () =>
        op === 'add'
          ? reference.add(a, b)
          : op === 'exp'
            ? reference.exp(a)
            : op === 'softmax'
              ? reference.softmax(a, cols)
              : reference.layerNorm(a, cols),
      () => expected,
    ],
    ['x/tensor', () => X.tidy(ours), () => X.tidy(() => ours().toTypedArray())],
    ['tfjs-cpu', () => tf.tidy(peer), () => tf.tidy(() => peer().dataSync())],
  ];
  for (const [impl, fn, check] of impls) {
    const error = maxError(check(), expected);
    if (error > 1e-4) throw new Error(`${impl} ${op}: max relative error ${error}`);
    const ms = await time(fn, false);
    rows.push({
      op,
      size: `${rowsCount}x${cols}`,
      impl,
      ms,
      rate: bytes / ms / 1e6,
      unit: 'GB/s',
      maxError: error,
    });
  }
}

const matmulSizes = quick ? [32, 64] : [128, 256, 512, 1024];
for (const n of matmulSizes) await runMatmul(n);
const [r, c] = quick ? [16, 64] : [1024, 1024];
for (const op of ['add', 'exp', 'softmax', 'layerNorm'] as const) await runRowOp(op, r, c);

// ---- report ----
const pad = (s: string, n: number) => s.padEnd(n);
console.log(
  `@x/tensor bench: backend ${backendName}, Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})${quick ? ', quick mode' : ''}`,
);
console.log(
  `${pad('op', 10)}${pad('size', 11)}${pad('impl', 15)}${pad('ms', 11)}${pad('rate', 16)}vs tfjs-cpu`,
);
const summary: Record<string, Record<string, Record<string, number>>> = {};
for (const row of rows) {
  const peer = rows.find((o) => o.op === row.op && o.size === row.size && o.impl === 'tfjs-cpu')!;
  const ratio = peer.ms / row.ms;
  console.log(
    `${pad(row.op, 10)}${pad(row.size, 11)}${pad(row.impl, 15)}${pad(row.ms.toFixed(3), 11)}${pad(`${row.rate.toFixed(2)} ${row.unit}`, 16)}${row.impl === 'tfjs-cpu' ? '' : `${ratio.toFixed(2)}x`}`,
  );
  summary[row.op] ??= {};
  summary[row.op]![row.size] ??= {};
  summary[row.op]![row.size]![row.impl] = Number(row.rate.toFixed(3));
  if (row.impl === 'x/tensor')
    summary[row.op]![row.size]!.ratioToTfjsCpu = Number(ratio.toFixed(3));
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/latest.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), backend: backendName, quick, rows }, null, 2)}\n`,
);
console.log(
  JSON.stringify({
    bench: '@x/tensor',
    backend: backendName,
    quick,
    units: { matmul: 'GFLOP/s', other: 'GB/s' },
    results: summary,
  }),
);
