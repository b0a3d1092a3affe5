/**
 * `trainSelectiveCopying`: trains a `MambaLM` (selective or S4D mixer) on the
 * selective copying task with AdamW, a linear warmup and cosine decay,
 * gradient clipping, fresh random batches every step, and periodic
 * evaluation on a fixed held-out set. Shared by the training script
 * (`npm run train:selective-copy`) and the CI test (a smaller instance).
 */
import { AdamW, clipGradNorm, crossEntropy, Generator, noGrad, type Tensor, tidy } from '@x/tensor';
import { MambaLM, type MambaLMOptions } from '../mamba/mamba-lm.js';
import { type SelectiveCopyingOptions, selectiveCopyingBatch } from './selective-copying.js';

/** Options of `trainSelectiveCopying`. */
export interface TrainSelectiveCopyingOptions {
  /** The task (batchSize is the training batch). */
  task: SelectiveCopyingOptions;
  /** The model, without vocabSize (set from the task). */
  model: Omit<MambaLMOptions, 'vocabSize'>;
  /** Largest number of optimizer steps. */
  steps: number;
  /** Peak learning rate. @default 3e-3 */
  lr?: number;
  /** Warmup steps. @default 50 */
  warmup?: number;
  /** Stop when this much wall-clock time has passed, in seconds. @default Infinity */
  timeLimit?: number;
  /** Evaluate every this many steps. @default 50 */
  evalEvery?: number;
  /** Held-out sequences. @default 256 */
  evalSize?: number;
  /** Stop early once held-out accuracy reaches this. @default 1 (never) */
  targetAccuracy?: number;
  /** Data seed. @default 1 */
  seed?: number;
  /** Called after each evaluation. */
  onEval?: (point: CurvePoint) => void;
}

/** One point of the learning curve. */
export interface CurvePoint {
  readonly step: number;
  readonly seconds: number;
  /** Mean training loss since the previous point. */
  readonly loss: number;
  /** Held-out token accuracy at the marker positions. */
  readonly accuracy: number;
}

/** What `trainSelectiveCopying` returns. */
export interface TrainResult {
  readonly model: MambaLM;
  readonly curve: CurvePoint[];
  readonly steps: number;
  readonly seconds: number;
  /** Final held-out accuracy. */
  readonly accuracy: number;
  readonly parameters: number;
}

/**
 * Token accuracy of `model` at the marker positions of a batch.
 * @param model - the model
 * @param inputs - int32 `[b, l]`
 * @param targets - int32 `[b, l]` (-100 where ignored)
 * @returns the fraction of marker positions predicted exactly
 */
export function copyingAccuracy(model: MambaLM, inputs: Tensor, targets: Tensor): number {
  return noGrad(() =>
    tidy(() => {
      const predicted = model.forward(inputs).argmax(-1).toTypedArray();
      const wanted = targets.toTypedArray();
      let hits = 0;
      let total = 0;
      for (let i = 0; i < wanted.length; i++) {
        if (wanted[i] === -100) continue;
        total++;
        if (predicted[i] === wanted[i]) hits++;
      }
      return total === 0 ? 0 : hits / total;
    }),
  );
}

/**
 * Trains a model on selective copying.
 * @param options - task, model, schedule, limits
 * @returns the trained model, its learning curve and final held-out accuracy
 * @example
 * const result = trainSelectiveCopying({ task: { batchSize: 16, sequenceLength: 16, tokensToCopy: 4, vocabSize: 4 },
 *   model: { dModel: 32, nLayers: 2 }, steps: 300 });
 * result.accuracy // about 1 for mixer 'mamba'
 */
export function trainSelectiveCopying(options: TrainSelectiveCopyingOptions): TrainResult {
  const vocab = options.task.vocabSize ?? 16;
  const model = new MambaLM({ ...options.model, vocabSize: vocab + 2 });
  const lr = options.lr ?? 3e-3;
  const warmup = options.warmup ?? 50;
  const evalEvery = options.evalEvery ?? 50;
  const timeLimit = options.timeLimit ?? Number.POSITIVE_INFINITY;
  const target = options.targetAccuracy ?? 1;
  const optimizer = new AdamW(model.parameters(), { lr, betas: [0.9, 0.98], weightDecay: 0 });
  const data = new Generator(options.seed ?? 1);
  const held = selectiveCopyingBatch(
    { ...options.task, batchSize: options.evalSize ?? 256 },
    new Generator((options.seed ?? 1) + 1000),
  );
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
  while (step < options.steps && elapsed() < timeLimit) {
    step++;
    const progress = Math.min(1, (step - warmup) / Math.max(1, options.steps - warmup));
    optimizer.lr =
      step <= warmup
        ? (lr * step) / warmup
        : lr * (0.1 + 0.45 * (1 + Math.cos(Math.PI * progress)));
    const batch = selectiveCopyingBatch(options.task, data);
    lossSum += tidy(() => {
      const loss = crossEntropy(model.forward(batch.inputs), batch.targets);
      optimizer.zeroGrad();
      loss.backward();
      clipGradNorm(model.parameters(), 1);
      optimizer.step();
      return loss.item();
    });
    lossCount++;
    if (step % evalEvery === 0) {
      evaluate();
      if (accuracy >= target) break;
    }
  }
  if (curve.at(-1)?.step !== step) evaluate();
  return {
    model,
    curve,
    steps: step,
    seconds: elapsed(),
    accuracy,
    parameters: model.parameterCount(),
  };
}
