/**
 * `npm run bench -w @x/ssm`: cost against sequence length, after llm.c's
 * dev/cuda layout — the reference form first, each faster or alternative form
 * validated against it before it is timed:
 *
 *   selective scan   sequential (fused op) vs chunked parallel associative scan
 *   Mamba block      full-sequence forward (d_model 64, d_inner 128, d_state 16)
 *   S4D              FFT convolution vs recurrence (H = 128, N = 16)
 *   attention        causal softmax attention of the same width (d_model 64, 4 heads,
 *                    q/k/v/out projections) from @x/attention (flash), a
 *                    devDependency
 *   decoding step    Mamba.step after an L-token prefill vs one attention step
 *                    over an L-entry KV cache
 *
 * Lengths 256 .. 16384, batch 1, float32, no autograd. Times are medians of
 * repeated runs (one run above 4096 tokens); CPU time of this process is
 * printed beside wall time because the machine is shared. Writes
 * docs/bench-cost-vs-length.svg and bench/results/latest.json and ends with
 * one JSON line of the headline figures.
 *
 * Options: --quick (lengths 64, 256: a smoke run), --lengths 256,1024,
 * --data DIR (accepted for the workspace convention; this bench reads no data).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Generator,
  getBackend,
  Linear,
  manualSeed,
  noGrad,
  randn,
  type Tensor,
  tidy,
} from '@x/tensor';
import { lineChart } from '../scripts/svg.js';
import { Mamba } from '../src/mamba/mamba.js';
import { S4DKernel } from '../src/s4d/kernel.js';
import { s4dSequence } from '../src/s4d/ssm.js';
import { selectiveScan } from '../src/scan/selective-scan.js';
import { selectiveScanParallel } from '../src/scan/selective-scan-parallel.js';
import { type AttentionFn, loadAttention } from './attention-baseline.js';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const quick = args.includes('--quick');
const lengths =
  option('--lengths')?.split(',').map(Number) ?? (quick ? [64, 256] : [256, 1024, 4096, 16384]);
const D_MODEL = 64;
const D_INNER = 128;
const D_STATE = 16;
const HEADS = 4;
const DECODE_STEPS = quick ? 4 : 16;

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Median wall and CPU time of `fn` over repeated runs (after one warm-up run when cheap). */
function time(fn: () => void, length: number): Timing {
  const reps = length > 4096 ? 1 : length > 1024 ? 3 : 5;
  if (length <= 4096) noGrad(() => tidy(fn));
  const walls: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    noGrad(() => tidy(fn));
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  return { wallMs: median(walls), cpuMs: median(cpu) };
}

function maxDiff(a: Tensor, b: Tensor): number {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  return worst;
}

manualSeed(0);
const attentionImpl: { fn: AttentionFn; source: string } = loadAttention();
const block = new Mamba(D_MODEL, { seed: 1 });
const kernel = new S4DKernel(D_INNER, { stateSize: D_STATE, seed: 2 });
const s4dSkip = randn([D_INNER]);
const g = new Generator(3);
const proj = {
  q: new Linear(D_MODEL, D_MODEL, { bias: false, generator: g }),
  k: new Linear(D_MODEL, D_MODEL, { bias: false, generator: g }),
  v: new Linear(D_MODEL, D_MODEL, { bias: false, generator: g }),
  o: new Linear(D_MODEL, D_MODEL, { bias: false, generator: g }),
};
const heads = (x: Tensor) => x.reshape([1, x.shape[1]!, HEADS, D_MODEL / HEADS]).transpose(1, 2);
const attentionLayer = (x: Tensor, kv: Tensor = x) => {
  const y = attentionImpl.fn(
    heads(proj.q.forward(x)),
    heads(proj.k.forward(kv)),
    heads(proj.v.forward(kv)),
  );
  return proj.o.forward(y.transpose(1, 2).reshape([1, x.shape[1]!, D_MODEL]));
};

interface Row {
  length: number;
  name: string;
  wallMs: number;
  cpuMs: number;
  maxError?: number;
}
const rows: Row[] = [];
const add = (length: number, name: string, t: Timing, maxError?: number) => {
  rows.push({ length, name, ...t, ...(maxError === undefined ? {} : { maxError }) });
  const err =
    maxError === undefined ? '' : `  max |diff| vs reference ${maxError.toExponential(1)}`;
  console.log(
    `  ${name.padEnd(34)} ${t.wallMs.toFixed(1).padStart(9)} ms wall ${t.cpuMs.toFixed(1).padStart(9)} ms cpu${err}`,
  );
};

console.log(
  `@x/ssm bench (${quick ? 'quick' : 'full'}), node ${process.version}, ${cpus().length} cpus (${cpus()[0]?.model ?? '?'}), shared machine, ${getBackend().name} backend`,
);
console.log(`attention baseline: ${attentionImpl.source}`);
for (const L of lengths) {
  console.log(`L = ${L}`);
  const u = randn([1, D_INNER, L]);
  const delta = randn([1, D_INNER, L]).mul(0.5).sub(2);
  const A = block.A_log.exp().neg();
  const B = randn([1, D_STATE, L]);
  const C = randn([1, D_STATE, L]);
  const scanOptions = {
    D: block.D,
    z: randn([1, D_INNER, L]),
    deltaBias: block.dt_proj.bias,
    deltaSoftplus: true,
  };
  const reference = noGrad(() => selectiveScan(u, delta, A, B, C, scanOptions));
  add(
    L,
    'selective scan, sequential',
    time(() => selectiveScan(u, delta, A, B, C, scanOptions), L),
  );
  const parallelError = noGrad(() =>
    tidy(() =>
      maxDiff(
        reference,
        selectiveScanParallel(u, delta, A, B, C, { ...scanOptions, chunkSize: 64 }),
      ),
    ),
  );
  add(
    L,
    'selective scan, parallel (chunk 64)',
    time(() => selectiveScanParallel(u, delta, A, B, C, { ...scanOptions, chunkSize: 64 }), L),
    parallelError,
  );
  const x = randn([1, L, D_MODEL]);
  add(
    L,
    'Mamba block forward',
    time(() => block.forward(x), L),
  );
  const us = randn([1, L, D_INNER]);
  const s4dRef = noGrad(() => s4dSequence(kernel, s4dSkip, us, 'recurrent'));
  add(
    L,
    'S4D recurrent (scan)',
    time(() => s4dSequence(kernel, s4dSkip, us, 'recurrent'), L),
  );
  const s4dError = noGrad(() =>
    tidy(() => maxDiff(s4dRef, s4dSequence(kernel, s4dSkip, us, 'convolution'))),
  );
  add(
    L,
    'S4D FFT convolution',
    time(() => s4dSequence(kernel, s4dSkip, us, 'convolution'), L),
    s4dError,
  );
  add(
    L,
    `causal attention forward (${attentionImpl.source.split(' ')[0]})`,
    time(() => attentionLayer(x), L),
  );
  // decoding: state after an L-token prefill; time per generated token
  const state = noGrad(() => block.forwardWithState(x).state!);
  const token = randn([1, D_MODEL]);
  const mambaStep = time(() => {
    let s = state;
    for (let i = 0; i < DECODE_STEPS; i++) s = block.step(token, s).state;
  }, 1);
  add(L, 'Mamba decode step (per token)', {
    wallMs: mambaStep.wallMs / DECODE_STEPS,
    cpuMs: mambaStep.cpuMs / DECODE_STEPS,
  });
  const token3 = token.unsqueeze(0);
  const attnStep = time(() => {
    for (let i = 0; i < DECODE_STEPS; i++) attentionLayer(token3, x);
  }, 1);
  add(L, 'attention decode step, KV cache L', {
    wallMs: attnStep.wallMs / DECODE_STEPS,
    cpuMs: attnStep.cpuMs / DECODE_STEPS,
  });
}

// table with ratios
const at = (L: number, name: string) => rows.find((r) => r.length === L && r.name.startsWith(name));
console.log(
  '\n| L | scan seq ms | scan par ms | par / seq | Mamba fwd ms | attention fwd ms | attn / Mamba | S4D FFT ms | S4D rec ms | rec / FFT | Mamba step ms | attn step ms |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const L of lengths) {
  const f = (r: Row | undefined) => (r ? r.cpuMs.toFixed(r.cpuMs < 10 ? 2 : 0) : '-');
  const ratio = (a?: Row, b?: Row) => (a && b ? `${(a.cpuMs / b.cpuMs).toFixed(2)}x` : '-');
  const seq = at(L, 'selective scan, sequential');
  const par = at(L, 'selective scan, parallel');
  const mamba = at(L, 'Mamba block forward');
  const attn = at(L, 'causal attention forward');
  const fftRow = at(L, 'S4D FFT');
  const rec = at(L, 'S4D recurrent');
  console.log(
    `| ${L} | ${f(seq)} | ${f(par)} | ${ratio(par, seq)} | ${f(mamba)} | ${f(attn)} | ${ratio(attn, mamba)} | ${f(fftRow)} | ${f(rec)} | ${ratio(rec, fftRow)} | ${f(at(L, 'Mamba decode'))} | ${f(at(L, 'attention decode'))} |`,
  );
}
console.log('(CPU ms of this process; wall times are in bench/results/latest.json)');

const here = dirname(fileURLToPath(import.meta.url));
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'latest.json'),
  `${JSON.stringify({ quick, rows }, null, 1)}\n`,
);
if (!quick) {
  const series = (name: string, label: string, color: string, dashed = false) => ({
    name: label,
    x: lengths,
    y: lengths.map((L) => at(L, name)?.cpuMs ?? Number.NaN),
    color,
    dashed,
  });
  writeFileSync(
    join(here, '..', 'docs', 'bench-cost-vs-length.svg'),
    lineChart({
      title: `Cost against sequence length (${getBackend().name} backend, batch 1, CPU ms)`,
      xLabel: 'sequence length L',
      yLabel: 'ms',
      logX: true,
      logY: true,
      width: 780,
      height: 440,
      series: [
        series('selective scan, sequential', 'scan, sequential', '#1f77b4'),
        series('selective scan, parallel', 'scan, parallel', '#1f77b4', true),
        series('Mamba block forward', 'Mamba block', '#2ca02c'),
        series('S4D FFT', 'S4D FFT conv', '#ff7f0e'),
        series('S4D recurrent', 'S4D recurrent', '#ff7f0e', true),
        series('causal attention forward', 'attention fwd', '#d62728'),
        series('Mamba decode', 'Mamba step', '#9467bd'),
        series('attention decode', 'attention step', '#8c564b', true),
      ],
    }),
  );
}
const last = lengths.at(-1)!;
const first = lengths[0]!;
const headline = {
  bench: '@x/ssm',
  quick,
  lengths,
  cpuMs: Object.fromEntries(
    [
      'selective scan, sequential',
      'selective scan, parallel',
      'Mamba block forward',
      'S4D FFT',
      'S4D recurrent',
      'causal attention forward',
      'Mamba decode',
      'attention decode',
    ].map((name) => [name, at(last, name)?.cpuMs ?? null]),
  ),
  parallelOverSequentialScan:
    (at(last, 'selective scan, parallel')?.cpuMs ?? 0) /
    (at(last, 'selective scan, sequential')?.cpuMs ?? 1),
  recurrentOverFftS4D: (at(last, 'S4D recurrent')?.cpuMs ?? 0) / (at(last, 'S4D FFT')?.cpuMs ?? 1),
  attentionOverMambaForward:
    (at(last, 'causal attention forward')?.cpuMs ?? 0) /
    (at(last, 'Mamba block forward')?.cpuMs ?? 1),
  mambaStepGrowth: (at(last, 'Mamba decode')?.cpuMs ?? 0) / (at(first, 'Mamba decode')?.cpuMs ?? 1),
  attentionStepGrowth:
    (at(last, 'attention decode')?.cpuMs ?? 0) / (at(first, 'attention decode')?.cpuMs ?? 1),
  maxParallelScanError: Math.max(
    ...rows
      .filter((r) => r.name.startsWith('selective scan, parallel'))
      .map((r) => r.maxError ?? 0),
  ),
  maxS4DModeError: Math.max(
    ...rows.filter((r) => r.name.startsWith('S4D FFT')).map((r) => r.maxError ?? 0),
  ),
  attention: attentionImpl.source,
};
console.log(JSON.stringify(headline));
