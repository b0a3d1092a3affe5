/**
 * `trainSelectiveCopying`: trains a `MambaLM` (selective or S4D mixer) on the
 * selective copying task with AdamW, a linear warmup and cosine decay,
 * gradient clipping, fresh random batches every step, and periodic
 * evaluation on a fixed held-out set. Shared by the training script
 * (`npm run train:selective-copy`) and the CI test (a smaller instance).
 */
import { AdamW, clipGradNorm, crossEntropy, Generator, noGrad, type Tensor, tidy } from '@x/tensor';
import { MambaLM, type MambaLMOptions } from '../mamba/mamba-lm.js';
import {
  type SelectiveCopyingBatch,
  type SelectiveCopyingOptions,
  selectiveCopyingBatch,
} from './selective-copying.js';

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
  /** Stop when this much wall-clock time has passed, in seconds (the learning rate decays over it). @default Infinity */
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
 * One training run's state: the model, AdamW, the learning-rate schedule
 * (linear warmup, then cosine decay to 10% over the step budget or the time
 * budget, whichever runs out first), the held-out set and the curve. Shared by
 * `trainSelectiveCopying` and the data-parallel trainer of the training
 * script, which differ only in how a step's gradients are computed.
 */
export class SelectiveCopyingRun {
  readonly model: MambaLM;
  readonly optimizer: AdamW;
  readonly curve: CurvePoint[] = [];
  /** Optimizer steps taken. */
  step = 0;
  /** Latest held-out accuracy. */
  accuracy = 0;
  private readonly options: TrainSelectiveCopyingOptions;
  private readonly held: SelectiveCopyingBatch;
  private readonly start = performance.now();
  private lossSum = 0;
  private lossCount = 0;

  /** @param options - task, model, schedule, limits */
  constructor(options: TrainSelectiveCopyingOptions) {
    this.options = options;
    const vocab = options.task.vocabSize ?? 16;
    this.model = new MambaLM({ ...options.model, vocabSize: vocab + 2 });
    this.optimizer = new AdamW(this.model.parameters(), {
      lr: options.lr ?? 3e-3,
      betas: [0.9, 0.98],
      weightDecay: 0,
    });
    this.held = selectiveCopyingBatch(
      { ...options.task, batchSize: options.evalSize ?? 256 },
      new Generator((options.seed ?? 1) + 1000),
    );
  }

  /** Seconds since the run was created. */
  elapsed(): number {
    return (performance.now() - this.start) / 1000;
  }

  /** Whether the step budget, the time budget or the target accuracy is reached. */
  get finished(): boolean {
    const { steps, timeLimit, targetAccuracy } = this.options;
    const reached = this.curve.length > 0 && this.accuracy >= (targetAccuracy ?? 1);
    return (
      reached || this.step >= steps || this.elapsed() >= (timeLimit ?? Number.POSITIVE_INFINITY)
    );
  }

  /** Starts a step: counts it and sets the learning rate. */
  beginStep(): void {
    this.step++;
    const { steps, timeLimit } = this.options;
    const lr = this.options.lr ?? 3e-3;
    const warmup = this.options.warmup ?? 50;
    const progress = Math.min(
      1,
      Math.max(
        (this.step - warmup) / Math.max(1, steps - warmup),
        timeLimit !== undefined && Number.isFinite(timeLimit) ? this.elapsed() / timeLimit : 0,
      ),
    );
    this.optimizer.lr =
      this.step <= warmup
        ? (lr * this.step) / warmup
        : lr * (0.1 + 0.45 * (1 + Math.cos(Math.PI * progress)));
  }

  /**
   * Ends a step whose gradients are in the parameters' `.grad`: clips them
   * to norm 1, steps AdamW, and evaluates every `evalEvery` steps.
   * @param loss - the step's training loss
   */
  endStep(loss: number): void {
    clipGradNorm(this.model.parameters(), 1);
    this.optimizer.step();
    this.lossSum += loss;
    this.lossCount++;
    if (this.step % (this.options.evalEvery ?? 50) === 0) this.evaluate();
  }

  /** Measures held-out accuracy and appends a curve point. */
  evaluate(): void {
    this.accuracy = copyingAccuracy(this.model, this.held.inputs, this.held.targets);
    const point = {
      step: this.step,
      seconds: this.elapsed(),
      loss: this.lossSum / Math.max(this.lossCount, 1),
      accuracy: this.accuracy,
    };
    this.curve.push(point);
    this.options.onEval?.(point);
    this.lossSum = 0;
    this.lossCount = 0;
  }

  /** Evaluates once more if the last step was not evaluated, and returns the result. */
  result(): TrainResult {
    if (this.curve.at(-1)?.step !== this.step) this.evaluate();
    return {
      model: this.model,
      curve: this.curve,
      steps: this.step,
      seconds: this.elapsed(),
      accuracy: this.accuracy,
      parameters: this.model.parameterCount(),
    };
  }
}

/**
 * Forward and backward of the model on one batch; the gradients are left in
 * the parameters' `.grad` (zeroed first).
 * @param model - the model
 * @param batch - the batch
 * @returns the loss
 */
export function selectiveCopyingGradients(model: MambaLM, batch: SelectiveCopyingBatch): number {
  return tidy(() => {
    model.zeroGrad();
    const loss = crossEntropy(model.forward(batch.inputs), batch.targets);
    loss.backward();
    return loss.item();
  });
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
  const run = new SelectiveCopyingRun(options);
  const data = new Generator(options.seed ?? 1);
  while (!run.finished) {
    run.beginStep();
    run.endStep(selectiveCopyingGradients(run.model, selectiveCopyingBatch(options.task, data)));
  }
  return run.result();
}
