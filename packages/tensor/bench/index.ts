/**
 * `npm run bench -w @x/tensor`: the tensor core's backends against their
 * peers in one process, after karpathy/llm.c's dev/cuda layout: a plain
 * reference implementation first, then each implementation validated against
 * it before it is timed.
 *
 * Matmul (float32, N x N, GFLOP/s = 2 N^3 / t) at N = 128 .. 1024: our wasm
 * backend on 1 and 2 threads, our js backend, a plain JS loop, tfjs-cpu and
 * tfjs-wasm 4.22.0, gpu.js 2.24.1 (default mode) and onnxruntime-node 1.30.0
 * (1 and 2 intra-op threads). On 1M elements (1024 x 1024): add, exp, softmax
 * and layerNorm over rows (GB/s of input + output). Prints a table with the
 * wasm backend's speedup over every peer, writes bench/results/latest.json,
 * and ends with one JSON line of headline figures (see `report.ts`).
 *
 * Options: --quick (tiny sizes, a few seconds: the CI smoke).
 * Time: median of at least 3 runs after one warm-up (the validation run), more
 * runs for fast cases, up to a budget per case. The `cpu/wall` column is the
 * process CPU time over wall time during those runs: about 2 for a two-thread
 * run that got two cores, about 1 when the machine's other load left it one.
 */
import { cpus } from 'node:os';
import * as X from '../src/index.js';
import { gpuJsMatmul, onnxMatmul, type Runner, tfjsMatmul, tfjsRowOp } from './peers.js';
import { headline, printTable, type Row, WASM_1, WASM_2, writeResults } from './report.js';

const quick = process.argv.includes('--quick');
const rows: Row[] = [];

/** Median wall time of a run, and the process CPU time per wall time over all runs (threads in use). */
async function time(
  run: () => unknown,
  budgetMs: number,
): Promise<{ ms: number; cpuPerWall: number }> {
  const samples: number[] = [];
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (samples.length < 3 || (performance.now() - start < budgetMs && samples.length < 200)) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  const used = process.cpuUsage(cpu);
  const wall = samples.reduce((sum, t) => sum + t, 0);
  samples.sort((a, b) => a - b);
  return { ms: samples[samples.length >> 1]!, cpuPerWall: (used.user + used.system) / 1000 / wall };
}

function maxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return a.length === b.length ? worst : Infinity;
}

function random(n: number, seed: number): Float32Array {
  const g = new X.Generator(seed);
  return Float32Array.from({ length: n }, () => g.normal());
}

/** Plain JS references (the spec each implementation is validated against). */
const reference = {
  matmul(a: Float32Array, b: Float32Array, n: number): Float32Array {
    const out = new Float32Array(n * n);
    const row = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      row.fill(0);
      for (let k = 0; k < n; k++) {
        const aik = a[i * n + k]!;
        for (let j = 0; j < n; j++) row[j]! += aik * b[k * n + j]!;
      }
      out.set(row, i * n);
    }
    return out;
  },
  add: (a: Float32Array, b: Float32Array) => a.map((v, i) => v + b[i]!),
  exp: (a: Float32Array) => a.map(Math.exp),
  softmax(a: Float32Array, cols: number): Float32Array {
    const out = new Float32Array(a.length);
    for (let r = 0; r < a.length / cols; r++) {
      const line = a.subarray(r * cols, (r + 1) * cols);
      let m = -Infinity;
      for (const v of line) m = Math.max(m, v);
      let s = 0;
      for (const v of line) s += Math.exp(v - m);
      for (let j = 0; j < cols; j++) out[r * cols + j] = Math.exp(line[j]! - m) / s;
    }
    return out;
  },
  layerNorm(a: Float32Array, cols: number): Float32Array {
    const out = new Float32Array(a.length);
    for (let r = 0; r < a.length / cols; r++) {
      const line = a.subarray(r * cols, (r + 1) * cols);
      let mean = 0;
      for (const v of line) mean += v;
      mean /= cols;
      let variance = 0;
      for (const v of line) variance += (v - mean) ** 2;
      const rstd = 1 / Math.sqrt(variance / cols + 1e-5);
      for (let j = 0; j < cols; j++) out[r * cols + j] = (line[j]! - mean) * rstd;
    }
    return out;
  },
};

/** Our backend as a runner: `threads` applies to wasm. */
async function ours(
  backend: 'js' | 'wasm',
  threads: number,
  make: () => X.Tensor,
): Promise<Runner> {
  X.setBackend(backend);
  if (backend === 'wasm') {
    X.setWasmThreads(threads);
    if (threads > 1) await X.startWasmThreads();
  }
  return {
    run: () => X.tidy(() => void make()),
    read: async () => X.tidy(() => make().toTypedArray()),
    dispose: () => undefined,
  };
}

async function measure(
  op: string,
  size: string,
  impl: string,
  prepare: () => Promise<Runner | null>,
  expected: ArrayLike<number>,
  tolerance: number,
  rate: (ms: number) => number,
  unit: string,
  budgetMs: number,
): Promise<void> {
  const runner = await prepare();
  if (!runner) return;
  const error = maxError(await runner.read(), expected);
  if (!(error <= tolerance)) throw new Error(`${impl} ${op} ${size}: max relative error ${error}`);
  const { ms, cpuPerWall } = await time(() => runner.run(), budgetMs);
  runner.dispose();
  rows.push({ op, size, impl, ms, rate: rate(ms), unit, maxError: error, cpuPerWall });
}

let gpuMode = 'unavailable';

async function runMatmul(n: number): Promise<void> {
  const a = random(n * n, 1);
  const b = random(n * n, 2);
  const expected = reference.matmul(a, b, n);
  const rate = (ms: number) => (2 * n ** 3) / ms / 1e6;
  const budget = quick ? 100 : 1500;
  const xa = () => X.tensor(a, { shape: [n, n] });
  const xb = () => X.tensor(b, { shape: [n, n] });
  const oursOn = (backend: 'js' | 'wasm', threads: number) => async () => {
    X.setBackend(backend);
    const [ta, tb] = [xa(), xb()];
    return ours(backend, threads, () => X.matmul(ta, tb));
  };
  const impls: [string, () => Promise<Runner | null>][] = [
    [WASM_1, oursOn('wasm', 1)],
    [WASM_2, oursOn('wasm', 2)],
    ['x js', oursOn('js', 1)],
    ['tfjs-wasm', () => tfjsMatmul('wasm', a, b, n)],
    ['tfjs-cpu', () => tfjsMatmul('cpu', a, b, n)],
    [
      'gpu.js',
      async () => {
        const runner = await gpuJsMatmul(a, b, n);
        if (runner) gpuMode = runner.mode;
        return runner;
      },
    ],
    ['onnxruntime 1T', () => onnxMatmul(a, b, n, 1)],
    ['onnxruntime 2T', () => onnxMatmul(a, b, n, 2)],
  ];
  if (n <= 512) {
    const plain: Runner = {
      run: () => reference.matmul(a, b, n),
      read: async () => expected,
      dispose: () => undefined,
    };
    impls.push(['plain JS loop', async () => plain]);
  }
  for (const [impl, prepare] of impls)
    await measure('matmul', `${n}`, impl, prepare, expected, 1e-3, rate, 'GFLOP/s', budget);
}

async function runRowOp(op: 'add' | 'exp' | 'softmax' | 'layerNorm', r: number, c: number) {
  const n = r * c;
  const a = random(n, 3);
  const b = random(n, 4);
  const compute = {
    add: () => reference.add(a, b),
    exp: () => reference.exp(a),
    softmax: () => reference.softmax(a, c),
    layerNorm: () => reference.layerNorm(a, c),
  }[op];
  const expected = compute();
  const rate = (ms: number) => ((op === 'add' ? 3 : 2) * 4 * n) / ms / 1e6;
  const make = (backend: 'js' | 'wasm') => {
    X.setBackend(backend);
    const ta = X.tensor(a, { shape: [r, c] });
    const tb = X.tensor(b, { shape: [r, c] });
    return {
      add: () => X.add(ta, tb),
      exp: () => X.exp(ta),
      softmax: () => X.softmax(ta, -1),
      layerNorm: () => X.layerNorm(ta),
    }[op];
  };
  const impls: [string, () => Promise<Runner | null>][] = [
    [WASM_1, () => ours('wasm', 1, make('wasm'))],
    [WASM_2, () => ours('wasm', 2, make('wasm'))],
    ['x js', () => ours('js', 1, make('js'))],
    ['tfjs-wasm', () => tfjsRowOp('wasm', op, a, b, r, c)],
    ['tfjs-cpu', () => tfjsRowOp('cpu', op, a, b, r, c)],
    [
      'plain JS loop',
      async () => ({ run: compute, read: async () => expected, dispose: () => undefined }),
    ],
  ];
  for (const [impl, prepare] of impls)
    await measure(op, `${r}x${c}`, impl, prepare, expected, 1e-4, rate, 'GB/s', quick ? 50 : 700);
}

for (const n of quick ? [32, 64] : [128, 256, 512, 1024]) await runMatmul(n);
const [r, c] = quick ? [16, 64] : [1024, 1024];
for (const op of ['add', 'exp', 'softmax', 'layerNorm'] as const) await runRowOp(op, r, c);
X.setBackend('auto');

const info = X.wasmInfo();
const meta = {
  node: process.version,
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  quick,
  wasm: { fma: info.fma, shared: info.shared },
  gpuJsMode: gpuMode,
};
printTable(
  rows,
  `@x/tensor bench: Node ${meta.node}, ${meta.cores} cores (${meta.cpu}), wasm ${info.fma ? 'relaxed-SIMD FMA' : 'plain SIMD'}, gpu.js mode ${gpuMode}${quick ? ', quick mode' : ''}`,
);
writeResults(rows, meta);
console.log(headline(rows, meta));
