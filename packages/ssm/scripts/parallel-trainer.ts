/**
 * Data-parallel training of the selective copying models on two threads
 * (Node worker_threads): every step, the main thread and one worker each
 * draw half a batch from their own data stream, run forward and backward on
 * a replica of the model (the worker receives the current parameters), and
 * the main thread averages the two gradients, clips and steps AdamW. The
 * result is the same algorithm as `trainSelectiveCopying` with the same batch
 * size (two half-batches), so it only changes the wall time. Node-only, so
 * it lives with the scripts, not in the package sources.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  AdamW,
  clipGradNorm,
  crossEntropy,
  Generator,
  noGrad,
  type Tensor,
  tensor,
  tidy,
} from '@x/tensor';
import { MambaLM, type MambaLMOptions } from '../src/mamba/mamba-lm.js';
import { selectiveCopyingBatch } from '../src/tasks/selective-copying.js';
import {
  type CurvePoint,
  copyingAccuracy,
  type TrainResult,
  type TrainSelectiveCopyingOptions,
} from '../src/tasks/train-selective-copying.js';

interface WorkerSetup {
  entry: string;
  model: MambaLMOptions;
  task: TrainSelectiveCopyingOptions['task'];
  seed: number;
}

interface StepRequest {
  params: Float32Array[];
}

interface StepReply {
  grads: Float32Array[];
  loss: number;
}

/** Forward and backward on one batch; returns the loss (gradients stay in `.grad`). */
function gradientStep(model: MambaLM, task: WorkerSetup['task'], data: Generator): number {
  const batch = selectiveCopyingBatch(task, data);
  return tidy(() => {
    model.zeroGrad();
    const loss = crossEntropy(model.forward(batch.inputs), batch.targets);
    loss.backward();
    return loss.item();
  });
}

if (!isMainThread && (workerData as { role?: string })?.role === 'ssm-trainer') {
  const setup = workerData as WorkerSetup;
  const model = new MambaLM(setup.model);
  const params = model.parameters();
  const data = new Generator(setup.seed);
  parentPort!.on('message', (request: StepRequest) => {
    noGrad(() => {
      params.forEach((p, i) => {
        p.copy_(tensor(request.params[i]!, { shape: p.shape }));
      });
    });
    const loss = gradientStep(model, setup.task, data);
    const grads = params.map((p) => Float32Array.from(p.grad!.toTypedArray() as Float32Array));
    const reply: StepReply = { grads, loss };
    parentPort!.postMessage(
      reply,
      grads.map((g) => g.buffer as ArrayBuffer),
    );
  });
}

/**
 * `trainSelectiveCopying` on two threads (same options and result).
 * @param options - as `trainSelectiveCopying`; task.batchSize is the total batch (split in two)
 * @returns the trained model, curve and held-out accuracy
 */
export async function trainSelectiveCopyingParallel(
  options: TrainSelectiveCopyingOptions,
): Promise<TrainResult> {
  const vocab = options.task.vocabSize ?? 16;
  const modelOptions: MambaLMOptions = { ...options.model, vocabSize: vocab + 2 };
  const half = { ...options.task, batchSize: Math.max(1, Math.floor(options.task.batchSize / 2)) };
  const model = new MambaLM(modelOptions);
  const params = model.parameters();
  const lr = options.lr ?? 3e-3;
  const warmup = options.warmup ?? 50;
  const evalEvery = options.evalEvery ?? 50;
  const timeLimit = options.timeLimit ?? Number.POSITIVE_INFINITY;
  const target = options.targetAccuracy ?? 1;
  const seed = options.seed ?? 1;
  const optimizer = new AdamW(params, { lr, betas: [0.9, 0.98], weightDecay: 0 });
  const data = new Generator(seed);
  const held = selectiveCopyingBatch(
    { ...options.task, batchSize: options.evalSize ?? 256 },
    new Generator(seed + 1000),
  );
  const setup: WorkerSetup & { role: string } = {
    role: 'ssm-trainer',
    entry: import.meta.url,
    model: modelOptions,
    task: half,
    seed: seed + 7777,
  };
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
    workerData: setup,
    execArgv: ['--conditions=@x/source'],
  });
  const replies: ((reply: StepReply) => void)[] = [];
  worker.on('message', (reply: StepReply) => replies.shift()?.(reply));
  const failure = new Promise<never>((_, reject) => worker.on('error', reject));
  const curve: CurvePoint[] = [];
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  let lossSum = 0;
  let lossCount = 0;
  let step = 0;
  let accuracy = 0;
  const evaluate = () => {
    accuracy = copyingAccuracy(model, held.inputs, held.targets);
    const point = { step, seconds: elapsed(), loss: lossSum / Math.max(lossCount, 1), accuracy };
    curve.push(point);
    options.onEval?.(point);
    lossSum = 0;
    lossCount = 0;
  };
  try {
    while (step < options.steps && elapsed() < timeLimit) {
      step++;
      const progress = Math.min(1, (step - warmup) / Math.max(1, options.steps - warmup));
      optimizer.lr =
        step <= warmup
          ? (lr * step) / warmup
          : lr * (0.1 + 0.45 * (1 + Math.cos(Math.PI * progress)));
      const request: StepRequest = {
        params: params.map((p) => Float32Array.from(p.toTypedArray() as Float32Array)),
      };
      const remote = Promise.race([
        new Promise<StepReply>((resolve) => replies.push(resolve)),
        failure,
      ]);
      worker.postMessage(
        request,
        request.params.map((p) => p.buffer as ArrayBuffer),
      );
      const localLoss = gradientStep(model, half, data);
      const reply = await remote;
      noGrad(() => {
        params.forEach((p, i) => {
          const mine = p.grad!.toTypedArray() as Float32Array;
          const theirs = reply.grads[i]!;
          for (let j = 0; j < mine.length; j++) mine[j] = (mine[j]! + theirs[j]!) / 2;
          p.grad = tensor(mine, { shape: p.shape }) as Tensor;
        });
      });
      clipGradNorm(params, 1);
      optimizer.step();
      lossSum += (localLoss + reply.loss) / 2;
      lossCount++;
      if (step % evalEvery === 0) {
        evaluate();
        if (accuracy >= target) break;
      }
    }
    if (curve.at(-1)?.step !== step) evaluate();
  } finally {
    await worker.terminate();
  }
  return {
    model,
    curve,
    steps: step,
    seconds: elapsed(),
    accuracy,
    parameters: model.parameterCount(),
  };
}
