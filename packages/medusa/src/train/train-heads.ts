/**
 * Training Medusa heads on a frozen base model (Medusa-1): the base model's
 * hidden states are computed once (`distillationData`), so each step only
 * runs the heads. Loss = sum over heads of lambda_k * cross-entropy(head k,
 * target k), with lambda_k = decay^k (the paper's 0.8^k; decay 1 weighs
 * every head alike). AdamW with linear warmup and cosine decay (@x/tensor's
 * optimizer and schedule); progress events in @x/lm's `ProgressEvent` shape,
 * so `trainingProgressBar` from `@x/lm/node` draws them.
 */
import type { ProgressEvent } from '@x/lm';
import {
  AdamW,
  cosineSchedule,
  crossEntropy,
  Generator,
  LRScheduler,
  type Tensor,
  tensor,
  tidy,
} from '@x/tensor';
import { MedusaValueError } from '../errors.js';
import type { MedusaHeads } from '../heads/medusa-heads.js';
import { type DistillationData, IGNORE } from './distill-data.js';

/** Options of `trainHeads`. */
export interface TrainHeadsOptions {
  /** Optimizer steps. @default 600 */
  steps?: number;
  /** Positions per step. @default 256 */
  batchSize?: number;
  /** Peak learning rate (the reference trains heads at 1e-3). @default 1e-3 */
  learningRate?: number;
  /** Linear warmup steps. @default 40 */
  warmupSteps?: number;
  /** AdamW weight decay. @default 0 */
  weightDecay?: number;
  /** Per-head loss weight decay: head k weighs decay^k (the paper's 0.8). @default 0.8 */
  decay?: number;
  /** Seed of the batches. @default 0 */
  seed?: number;
  /** After each step. */
  onProgress?: (event: ProgressEvent & { readonly headLosses: readonly number[] }) => void;
  /** Stops between steps. */
  signal?: AbortSignal;
}

/** One point of the heads' loss curve. */
export interface HeadsLossPoint {
  readonly step: number;
  /** Weighted sum over heads. */
  readonly loss: number;
  /** Each head's cross-entropy. */
  readonly headLosses: readonly number[];
  readonly lr: number;
}

/** The result of `trainHeads`. */
export interface TrainHeadsResult {
  readonly steps: number;
  readonly history: readonly HeadsLossPoint[];
  readonly wallMs: number;
}

function check(name: string, value: number, ok: boolean, range: string): void {
  if (!ok || !Number.isFinite(value))
    throw new MedusaValueError('trainHeads', `${name} must be ${range}, got ${value}`, name, value);
}

/**
 * Trains the heads on distillation data (the base model stays frozen).
 * @param heads - the heads (updated in place)
 * @param data - hidden states and targets from `distillationData`
 * @param options - schedule, batch, decay, progress, signal
 * @returns the loss curve
 * @throws MedusaValueError for options out of range, or data of another width or head count
 * @example
 * const { history } = await trainHeads(heads, data, { steps: 500 });
 * history.at(-1)!.headLosses // [0.9, 1.4, 1.8, 2.1]
 */
export async function trainHeads(
  heads: MedusaHeads,
  data: DistillationData,
  options: TrainHeadsOptions = {},
): Promise<TrainHeadsResult> {
  const steps = options.steps ?? 600;
  const batchSize = options.batchSize ?? 256;
  const learningRate = options.learningRate ?? 1e-3;
  const warmupSteps = Math.min(options.warmupSteps ?? 40, steps);
  const weightDecay = options.weightDecay ?? 0;
  const decay = options.decay ?? 0.8;
  check('steps', steps, Number.isSafeInteger(steps) && steps >= 1, 'a positive integer');
  check(
    'batchSize',
    batchSize,
    Number.isSafeInteger(batchSize) && batchSize >= 1,
    'a positive integer',
  );
  check('learningRate', learningRate, learningRate > 0, '> 0');
  check(
    'warmupSteps',
    warmupSteps,
    Number.isSafeInteger(warmupSteps) && warmupSteps >= 0,
    'a non-negative integer',
  );
  check('weightDecay', weightDecay, weightDecay >= 0, '>= 0');
  check('decay', decay, decay > 0 && decay <= 1, 'in (0, 1]');
  const K = heads.config.numHeads;
  const D = heads.config.hiddenSize;
  if (data.hiddenSize !== D || data.heads !== K)
    throw new MedusaValueError(
      'trainHeads',
      `the data is for ${data.heads} heads of width ${data.hiddenSize}, the heads are ${K} of width ${D}`,
      'data',
      data.heads,
    );
  // positions whose first head has a target (the others may be ignored near the end)
  const usable: number[] = [];
  for (let i = 0; i < data.positions; i++) if (data.targets[i * K] !== IGNORE) usable.push(i);
  if (usable.length === 0)
    throw new MedusaValueError('trainHeads', 'the data has no position with a target', 'data', 0);
  const weights = Array.from({ length: K }, (_, k) => decay ** k);
  heads.train();
  const params = heads.parameters();
  const optimizer = new AdamW(params, { lr: learningRate, weightDecay, betas: [0.9, 0.999] });
  const scheduler = new LRScheduler(
    optimizer,
    cosineSchedule({ totalSteps: steps, warmupSteps, minFactor: 0.1 }),
  );
  const generator = new Generator(options.seed ?? 0);
  const history: HeadsLossPoint[] = [];
  const started = performance.now();
  const x = new Float32Array(batchSize * D);
  const y = new Int32Array(batchSize * K);
  for (let step = 0; step < steps && !options.signal?.aborted; step++) {
    for (let b = 0; b < batchSize; b++) {
      const i = usable[generator.integer(0, usable.length)]!;
      x.set(data.hidden.subarray(i * D, (i + 1) * D), b * D);
      y.set(data.targets.subarray(i * K, (i + 1) * K), b * K);
    }
    const lr = optimizer.paramGroups[0]!.lr;
    const { loss, headLosses } = tidy(() => {
      const hidden = tensor(x, { shape: [batchSize, D] });
      const targets = tensor(y, { shape: [batchSize, K], dtype: 'int32' });
      let total: Tensor | null = null;
      const each: number[] = [];
      for (let k = 0; k < K; k++) {
        const target = targets.narrow(1, k, 1).reshape([batchSize]).contiguous();
        const lossK = crossEntropy(heads.logits(k, hidden), target, { ignoreIndex: IGNORE });
        each.push(lossK.item());
        const weighted = lossK.mul(weights[k]!);
        total = total ? total.add(weighted) : weighted;
      }
      total!.backward();
      optimizer.step();
      optimizer.zeroGrad();
      return { loss: total!.item(), headLosses: each };
    });
    scheduler.step();
    history.push({ step: step + 1, loss, headLosses, lr });
    const elapsedMs = performance.now() - started;
    options.onProgress?.({
      step: step + 1,
      steps,
      loss,
      lr,
      tokensPerSecond: ((step + 1) * batchSize) / (elapsedMs / 1000),
      elapsedMs,
      etaMs: (elapsedMs / (step + 1)) * (steps - step - 1),
      headLosses,
    });
    if ((step + 1) % 16 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  heads.eval();
  return { steps: history.length, history, wallMs: performance.now() - started };
}
