/**
 * `npm run train:selective-copy -w @x/ssm`: the selective copying experiment
 * of the Mamba paper (Section 4.1.1, Table 1) on this package: a 2-layer
 * Mamba language model and the same model with its selective scan replaced
 * by a time-invariant S4D layer (same width, depth, expansion and state size)
 * are trained on fresh random batches; the learning curves (held-out token
 * accuracy at the marker positions) are printed, and the run ends with one
 * JSON line. Mamba trains until it reaches the target accuracy on the
 * held-out set or its time budget (10 minutes by default); S4D then trains
 * for the same number of steps under the same budget. The final accuracies
 * are measured on 1024 new sequences.
 *
 * Training runs data-parallel on two threads (`--threads 2`, the default:
 * each thread computes half of every batch, see `parallel-trainer.ts`) or in
 * this process (`--threads 1`); the algorithm and results do not change.
 *
 * Options: --sequence-length 64 --tokens 16 --vocab 16 --d-model 32
 * --d-state 32 --batch 8 --lr 0.01 --max-steps 20000 --budget 600 (seconds,
 * per model) --target 0.97 --seed 0 --threads 2 --quick (a tiny instance)
 * --data DIR (accepted for the workspace convention; the task is synthetic).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator } from '@x/tensor';
import { selectiveCopyingBatch } from '../src/tasks/selective-copying.js';
import {
  type CurvePoint,
  copyingAccuracy,
  type TrainResult,
  type TrainSelectiveCopyingOptions,
  trainSelectiveCopying,
} from '../src/tasks/train-selective-copying.js';
import { trainSelectiveCopyingParallel } from './parallel-trainer.js';
import { writeSelectiveCopyPlot } from './selective-copy-plot.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const num = (name: string, fallback: number) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;

const task = {
  sequenceLength: num('--sequence-length', quick ? 16 : 64),
  tokensToCopy: num('--tokens', quick ? 4 : 16),
  vocabSize: num('--vocab', quick ? 4 : 16),
  batchSize: num('--batch', 8),
};
const dModel = num('--d-model', 32);
const dState = num('--d-state', 32);
const lr = num('--lr', 1e-2);
const maxSteps = num('--max-steps', quick ? 400 : 20000);
const budget = num('--budget', quick ? 120 : 600);
const target = num('--target', 0.97);
const seed = num('--seed', 0);
const threads = num('--threads', 2);
const evalEvery = num('--eval-every', quick ? 50 : 250);
const train = (options: TrainSelectiveCopyingOptions): Promise<TrainResult> =>
  threads > 1
    ? trainSelectiveCopyingParallel(options)
    : Promise.resolve(trainSelectiveCopying(options));

const model = {
  dModel,
  nLayers: 2,
  tieEmbeddings: false,
  initializerRange: 1,
  seed,
  mamba: { dState },
  s4d: { dState },
};

console.log(
  `selective copying: ${task.tokensToCopy} tokens from a vocabulary of ${task.vocabSize}, scattered over ${task.sequenceLength} positions, then ${task.tokensToCopy} markers (input length ${task.sequenceLength + task.tokensToCopy})`,
);
console.log(
  `models: 2 layers, d_model ${dModel}, expand 2, d_state ${dState}; batch ${task.batchSize}, AdamW lr ${lr}; budget ${budget}s per model on ${threads} thread(s)`,
);

const print = (name: string) => (p: CurvePoint) =>
  console.log(
    `${name.padEnd(5)} step ${String(p.step).padStart(5)}  ${p.seconds.toFixed(0).padStart(4)}s  loss ${p.loss.toFixed(3)}  held-out accuracy ${(100 * p.accuracy).toFixed(1)}%`,
  );

const start = performance.now();
const mamba = await train({
  task,
  model: { ...model, mixer: 'mamba' },
  steps: maxSteps,
  lr,
  warmup: 50,
  timeLimit: budget,
  evalEvery,
  targetAccuracy: target,
  seed: seed + 1,
  onEval: print('mamba'),
});
const s4d = await train({
  task,
  model: { ...model, mixer: 's4d' },
  steps: mamba.steps,
  lr,
  warmup: 50,
  timeLimit: budget,
  evalEvery,
  seed: seed + 1,
  onEval: print('s4d'),
});

const test = selectiveCopyingBatch({ ...task, batchSize: 1024 }, new Generator(seed + 12345));
const finalAccuracy = (r: TrainResult) => copyingAccuracy(r.model, test.inputs, test.targets);
const mambaAccuracy = finalAccuracy(mamba);
const s4dAccuracy = finalAccuracy(s4d);
const total = (performance.now() - start) / 1000;
console.log(
  `\nfinal token accuracy on 1024 new sequences: Mamba ${(100 * mambaAccuracy).toFixed(1)}% (${mamba.steps} steps, ${mamba.seconds.toFixed(0)}s, ${mamba.parameters} parameters), S4D ${(100 * s4dAccuracy).toFixed(1)}% (${s4d.steps} steps, ${s4d.seconds.toFixed(0)}s, ${s4d.parameters} parameters); total ${total.toFixed(0)}s`,
);
const curve = (r: TrainResult) =>
  r.curve.map((p): [number, number] => [p.step, Number(p.accuracy.toFixed(4))]);
const result = {
  task: 'selective-copying',
  ...task,
  dModel,
  dState,
  layers: 2,
  threads,
  mamba: {
    accuracy: mambaAccuracy,
    steps: mamba.steps,
    seconds: Number(mamba.seconds.toFixed(1)),
    parameters: mamba.parameters,
    curve: curve(mamba),
  },
  s4d: {
    accuracy: s4dAccuracy,
    steps: s4d.steps,
    seconds: Number(s4d.seconds.toFixed(1)),
    parameters: s4d.parameters,
    curve: curve(s4d),
  },
  totalSeconds: Number(total.toFixed(1)),
};
if (!quick) {
  const results = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench', 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'selective-copying.json'), `${JSON.stringify(result)}\n`);
  console.log(`wrote ${writeSelectiveCopyPlot(result)}`);
}
console.log(JSON.stringify(result));
