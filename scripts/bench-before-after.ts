/**
 * Before / after, in one run: times this checkout's implementation and
 * another checkout's (a `git worktree` of the base commit, with its own
 * node_modules/@x links and generated modules) on the same inputs:
 *
 * - flash forward, 1 head x N = 4096, d = 64, causal, float32, on each
 *   checkout's default backend (wasm), `checkFinite: false`;
 * - a Mamba training step (forward, backward, gradient clipping, AdamW) of
 *   the selective-copying model of @x/ssm's README (2 layers, d_model 32,
 *   d_state 32, batch 8, 80 tokens).
 *
 * Each measurement runs in a fresh child process, alternating before,
 * after, before, ... so both sides see the same machine load and neither
 * shares a process (JIT state, wasm memories, GC) with the other: loading
 * both checkouts into one process made whichever loaded second up to 40%
 * slower. A child warms up (at least 5 runs and 2 s, for the JIT and wasm
 * tier-up to settle), then times `--reps` runs; the parent reports the
 * median over all runs per side, and checks that both sides computed the
 * same outputs (flash: a checksum of the output; Mamba: the first loss).
 *
 *   git worktree add /tmp/kernels-base <base commit>   # then link its node_modules, npm run generate there
 *   npx tsx scripts/bench-before-after.ts --base /tmp/kernels-base [--rounds 6] [--reps 5] [--threads N]
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const here = resolve(fileURLToPath(new URL('..', import.meta.url)));

// biome-ignore lint/suspicious/noExplicitAny: the two checkouts' modules are loaded by path
type Module = Record<string, any>;

/** One child: times `reps` runs of a case on the checkout at `root`; prints JSON. */
async function child(root: string, which: string, reps: number, threads: string | undefined) {
  const from = (path: string) => import(pathToFileURL(resolve(root, path)).href) as Promise<Module>;
  const X = await from('packages/tensor/src/index.ts');
  if (threads !== undefined) X.setWasmThreads(Number(threads));
  await X.startWasmThreads();
  let run: () => number;
  if (which === 'flash') {
    const A = await from('packages/attention/src/index.ts');
    const g = new X.Generator(1);
    const make = () => X.keep(X.randn([1, 1, 4096, 64], { generator: g }));
    const [q, k, v] = [make(), make(), make()];
    run = () =>
      X.tidy(() => {
        const out = A.attention(q, k, v, {
          causal: true,
          implementation: 'flash',
          checkFinite: false,
        }).toTypedArray() as Float32Array;
        let sum = 0;
        for (let i = 0; i < out.length; i += 7) sum += out[i]! * ((i % 13) - 6);
        return sum;
      });
  } else {
    const S = {
      ...(await from('packages/ssm/src/index.ts')),
      ...(await from('packages/ssm/src/tasks/train-selective-copying.ts')),
    };
    const task = { sequenceLength: 64, tokensToCopy: 16, vocabSize: 16, batchSize: 8 };
    const model = new S.MambaLM({
      dModel: 32,
      nLayers: 2,
      vocabSize: task.vocabSize + 2,
      tieEmbeddings: false,
      initializerRange: 1,
      seed: 0,
      mamba: { dState: 32 },
    });
    const optimizer = new X.AdamW(model.parameters(), {
      lr: 1e-2,
      betas: [0.9, 0.98],
      weightDecay: 0,
    });
    const batch = S.selectiveCopyingBatch(task, new X.Generator(3));
    let first = Number.NaN;
    run = () => {
      const loss = S.selectiveCopyingGradients(model, batch) as number;
      if (Number.isNaN(first)) first = loss;
      X.clipGradNorm(model.parameters(), 1);
      optimizer.step();
      return first;
    };
  }
  // warm-up to steady state (JIT and wasm tier-up): at least 5 runs and 2 seconds
  let check = run(); // also the value both sides must agree on
  const warm = performance.now();
  for (let r = 1; r < 5 || performance.now() - warm < 2000; r++) run();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const value = run();
    times.push(performance.now() - t0);
    if (which === 'flash') check = value;
  }
  console.log(JSON.stringify({ times, check, backend: X.getBackend().name }));
  process.exit(0);
}

const median = (values: number[]) =>
  values.slice().sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

async function parent() {
  const base = resolve(option('--base') ?? '/tmp/kernels-base');
  const rounds = Number(option('--rounds') ?? 6);
  const reps = option('--reps') ?? '5';
  const threads = option('--threads');
  const script = fileURLToPath(import.meta.url);
  const measure = (root: string, which: string) => {
    const argv = [
      '--import',
      'tsx',
      '--conditions=@x/source',
      script,
      '--child',
      root,
      which,
      reps,
    ];
    if (threads !== undefined) argv.push('--threads', threads);
    const out = execFileSync(process.execPath, argv, { cwd: root, encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').at(-1)!) as {
      times: number[];
      check: number;
      backend: string;
    };
  };
  const results: Record<string, { ratio: number; before: number; after: number }> = {};
  console.log(
    `before: ${base}, after: ${here}; ${rounds} alternating rounds of fresh processes x ${reps} timed runs, medians; threads ${threads ?? 'default'}; shared machine`,
  );
  for (const which of ['flash', 'mamba']) {
    const times = { before: [] as number[], after: [] as number[] };
    const checks = { before: Number.NaN, after: Number.NaN };
    let backend = '';
    for (let r = 0; r < rounds; r++) {
      for (const side of r % 2 === 0
        ? (['before', 'after'] as const)
        : (['after', 'before'] as const)) {
        const result = measure(side === 'before' ? base : here, which);
        times[side].push(...result.times);
        checks[side] = result.check;
        backend = result.backend;
      }
    }
    const agree =
      Math.abs(checks.before - checks.after) <= 1e-4 * Math.max(1, Math.abs(checks.before));
    if (!agree) throw new Error(`${which}: outputs differ (${checks.before} vs ${checks.after})`);
    const [before, after] = [median(times.before), median(times.after)];
    results[which] = { before, after, ratio: after / before };
    const label =
      which === 'flash'
        ? 'flash forward 1x4096 (d 64, causal, float32)'
        : 'Mamba training step (selective copying, 2 x d_model 32, batch 8 x 80)';
    console.log(
      `${label} on ${backend}: before ${before.toFixed(1)} ms, after ${after.toFixed(1)} ms, after/before ${(after / before).toFixed(3)} (check ${checks.before.toPrecision(8)} / ${checks.after.toPrecision(8)})`,
    );
  }
  console.log(JSON.stringify(results));
}

if (args[0] === '--child') await child(args[1]!, args[2]!, Number(args[3]), option('--threads'));
else await parent();
