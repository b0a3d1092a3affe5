/**
 * Data-parallel training of the selective copying models on two threads
 * (Node worker_threads): every step, the main thread and one worker each
 * draw half a batch from their own data stream and run forward and backward
 * on a replica of the model (the worker receives the current parameters);
 * the main thread averages the two gradients, clips and steps AdamW. It is
 * the algorithm of `trainSelectiveCopying` with the same batch size (two
 * halves), so it changes only the wall time. Node-only, so it lives with the
 * scripts, not in the package sources.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Generator, noGrad, type Tensor, tensor } from '@x/tensor';
import { MambaLM, type MambaLMOptions } from '../src/mamba/mamba-lm.js';
import { selectiveCopyingBatch } from '../src/tasks/selective-copying.js';
import {
  SelectiveCopyingRun,
  selectiveCopyingGradients,
  type TrainResult,
  type TrainSelectiveCopyingOptions,
} from '../src/tasks/train-selective-copying.js';

interface WorkerSetup {
  role: 'ssm-trainer';
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

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === 'ssm-trainer') {
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
    const loss = selectiveCopyingGradients(model, selectiveCopyingBatch(setup.task, data));
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
  const run = new SelectiveCopyingRun(options);
  const params = run.model.parameters();
  const half = { ...options.task, batchSize: Math.max(1, Math.floor(options.task.batchSize / 2)) };
  const seed = options.seed ?? 1;
  const data = new Generator(seed);
  const setup: WorkerSetup = {
    role: 'ssm-trainer',
    entry: import.meta.url,
    model: { ...options.model, vocabSize: (options.task.vocabSize ?? 16) + 2 },
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
  try {
    while (!run.finished) {
      run.beginStep();
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
      const localLoss = selectiveCopyingGradients(run.model, selectiveCopyingBatch(half, data));
      const reply = await remote;
      noGrad(() => {
        params.forEach((p, i) => {
          const mine = Float32Array.from(p.grad!.toTypedArray() as Float32Array);
          const theirs = reply.grads[i]!;
          for (let j = 0; j < mine.length; j++) mine[j] = (mine[j]! + theirs[j]!) / 2;
          p.grad = tensor(mine, { shape: p.shape }) as Tensor;
        });
      });
      run.endStep((localLoss + reply.loss) / 2);
    }
    return run.result();
  } finally {
    await worker.terminate();
  }
}
