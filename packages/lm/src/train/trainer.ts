/**
 * `Trainer`: next-token training of any model of this package on a stream
 * of token ids, nanoGPT's recipe — AdamW (weight decay on matrices only),
 * linear warmup then cosine decay to a floor, gradient clipping, gradient
 * accumulation, periodic validation — with mixed precision through
 * @x/tensor's autocast (float16 with dynamic loss scaling, or bfloat16) and
 * checkpoints that resume exactly: the model, the optimizer's moments, the
 * batch generator's state, the loss scale and the history are saved, so a
 * resumed run's loss curve equals the uninterrupted one.
 *
 * Browser-safe: checkpoints are in-memory file maps (`TrainerCheckpoint`);
 * `@x/lm/node` writes them to folders and draws the progress bar.
 */
import {
  AdamW,
  autocast,
  clipGradNorm,
  crossEntropy,
  GradScaler,
  noGrad,
  type Tensor,
  tidy,
} from '@x/tensor';
import { LmValueError } from '../errors.js';
import type { LanguageModel } from '../models/language-model.js';
import { BatchSampler, evaluationBatch, evaluationOffsets } from './batches.js';
import type { TrainerCheckpoint } from './trainer-checkpoint.js';
import { trainerCheckpoint } from './trainer-checkpoint.js';

/** Numeric precision of the forward and backward passes. */
export type TrainingPrecision = 'float32' | 'float16' | 'bfloat16';

/** Options of `Trainer` (nanoGPT's names in the docs). */
export interface TrainerOptions {
  /** Optimizer steps to train (`max_iters`). */
  steps: number;
  /** Sequences per micro-batch (`batch_size`). @default 12 */
  batchSize?: number;
  /** Tokens per sequence (`block_size`). @default 64 */
  blockSize?: number;
  /** Peak learning rate (`learning_rate`). @default 1e-3 */
  learningRate?: number;
  /** Learning rate at the end of the cosine decay (`min_lr`). @default learningRate / 10 */
  minLearningRate?: number;
  /** Linear warmup steps (`warmup_iters`). @default 100 */
  warmupSteps?: number;
  /** Decoupled weight decay of matrices (`weight_decay`; biases, norms and gains get none). @default 0.1 */
  weightDecay?: number;
  /** AdamW betas. @default [0.9, 0.99] */
  betas?: readonly [number, number];
  /** Clip the global gradient norm to this (`grad_clip`; 0: off). @default 1 */
  gradClip?: number;
  /** Micro-batches per step (`gradient_accumulation_steps`). @default 1 */
  accumulation?: number;
  /** Mixed precision: float16 (with dynamic loss scaling) or bfloat16 autocast. @default 'float32' */
  precision?: TrainingPrecision;
  /** Validate every this many steps (`eval_interval`; 0: only at the end). @default 250 */
  evalInterval?: number;
  /** Batches per validation (`eval_iters`). @default 20 */
  evalBatches?: number;
  /** Take a checkpoint every this many steps (0: only at the end). @default 0 */
  checkpointInterval?: number;
  /** Seed of the batch offsets. @default 1337 */
  seed?: number;
}

/** A point of the loss curve. */
export interface LossPoint {
  /** Optimizer steps completed. */
  readonly step: number;
  /** Training loss of that step (nats per token). */
  readonly train: number;
  /** Validation loss, at validation steps. */
  readonly val?: number;
  /** Learning rate used by that step. */
  readonly lr: number;
}

/** What `onProgress` receives after each step. */
export interface ProgressEvent {
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  readonly lr: number;
  /** Training tokens per second over the run so far. */
  readonly tokensPerSecond: number;
  readonly elapsedMs: number;
  /** Estimated time left. */
  readonly etaMs: number;
  /** Set at validation steps. */
  readonly valLoss?: number;
}

/** Callbacks of `Trainer.run`. */
export interface RunCallbacks {
  /** After every step. */
  onProgress?: (event: ProgressEvent) => void;
  /** At each checkpoint (every `checkpointInterval` steps and at the end); awaited. */
  onCheckpoint?: (checkpoint: TrainerCheckpoint, step: number) => void | Promise<void>;
  /** Stops between steps (the run ends with a checkpoint). */
  signal?: AbortSignal;
}

/** The result of `Trainer.run`. */
export interface TrainResult {
  readonly steps: number;
  readonly trainLoss: number;
  readonly valLoss: number | null;
  readonly history: readonly LossPoint[];
  readonly wallMs: number;
  readonly tokensPerSecond: number;
}

/** The data: training tokens and optional validation tokens. */
export interface TrainingData {
  readonly train: Int32Array;
  readonly val?: Int32Array;
}

type Resolved = Required<TrainerOptions>;

function resolve(options: TrainerOptions): Resolved {
  const lr = options.learningRate ?? 1e-3;
  const r: Resolved = {
    steps: options.steps,
    batchSize: options.batchSize ?? 12,
    blockSize: options.blockSize ?? 64,
    learningRate: lr,
    minLearningRate: options.minLearningRate ?? lr / 10,
    warmupSteps: options.warmupSteps ?? 100,
    weightDecay: options.weightDecay ?? 0.1,
    betas: options.betas ?? [0.9, 0.99],
    gradClip: options.gradClip ?? 1,
    accumulation: options.accumulation ?? 1,
    precision: options.precision ?? 'float32',
    evalInterval: options.evalInterval ?? 250,
    evalBatches: options.evalBatches ?? 20,
    checkpointInterval: options.checkpointInterval ?? 0,
    seed: options.seed ?? 1337,
  };
  const positive = ['steps', 'batchSize', 'blockSize', 'accumulation', 'evalBatches'] as const;
  for (const key of positive)
    if (!Number.isSafeInteger(r[key]) || r[key] < 1)
      throw new LmValueError(
        'Trainer',
        `${key} must be a positive integer, got ${r[key]}`,
        key,
        r[key],
      );
  for (const key of ['warmupSteps', 'evalInterval', 'checkpointInterval'] as const)
    if (!Number.isSafeInteger(r[key]) || r[key] < 0)
      throw new LmValueError(
        'Trainer',
        `${key} must be a non-negative integer, got ${r[key]}`,
        key,
        r[key],
      );
  for (const key of ['learningRate', 'minLearningRate', 'weightDecay', 'gradClip'] as const)
    if (!(r[key] >= 0) || !Number.isFinite(r[key]))
      throw new LmValueError(
        'Trainer',
        `${key} must be a non-negative number, got ${r[key]}`,
        key,
        r[key],
      );
  if (!['float32', 'float16', 'bfloat16'].includes(r.precision))
    throw new LmValueError(
      'Trainer',
      `precision must be float32, float16 or bfloat16, got ${r.precision}`,
      'precision',
      r.precision,
    );
  return r;
}

/** Trains a language model on token ids. */
export class Trainer {
  readonly options: Resolved;
  readonly optimizer: AdamW;
  /** The loss curve so far. */
  readonly history: LossPoint[] = [];
  /** Optimizer steps completed. */
  step = 0;
  private readonly sampler: BatchSampler;
  private readonly scaler: GradScaler;
  private readonly evalOffsets: number[][] | null;

  /**
   * @param model - the model to train (its parameters are updated in place)
   * @param data - training and validation token ids
   * @param options - schedule, batch, precision, validation and checkpoint settings
   * @throws LmValueError for invalid options, or data shorter than one window or with ids outside the vocabulary
   */
  constructor(
    readonly model: LanguageModel,
    readonly data: TrainingData,
    options: TrainerOptions,
  ) {
    this.options = resolve(options);
    const { blockSize, batchSize, evalBatches, weightDecay, betas } = this.options;
    if (model.config.architecture !== 'mamba' && blockSize > model.config.maxPositions)
      throw new LmValueError(
        'Trainer',
        `blockSize ${blockSize} exceeds the model's context of ${model.config.maxPositions}`,
        'blockSize',
        blockSize,
      );
    for (const [name, ids] of [
      ['train', data.train],
      ['val', data.val],
    ] as const) {
      if (!ids) continue;
      for (let i = 0; i < ids.length; i++)
        if (ids[i]! < 0 || ids[i]! >= model.config.vocabSize)
          throw new LmValueError(
            'Trainer',
            `${name}[${i}] = ${ids[i]} is outside the vocabulary [0, ${model.config.vocabSize})`,
            name,
            ids[i],
          );
    }
    this.sampler = new BatchSampler(data.train, blockSize, batchSize, this.options.seed);
    this.evalOffsets =
      data.val && data.val.length > blockSize + 1
        ? evaluationOffsets(data.val, blockSize, batchSize, evalBatches)
        : null;
    const params = model.parameters();
    this.optimizer = new AdamW(
      [
        { params: params.filter((p) => p.rank >= 2), weightDecay },
        { params: params.filter((p) => p.rank < 2), weightDecay: 0 },
      ].filter((g) => g.params.length > 0),
      { lr: this.options.learningRate, betas: [betas[0], betas[1]] },
    );
    this.scaler = new GradScaler({ enabled: this.options.precision === 'float16' });
  }

  /**
   * The learning rate of step `step` (0-based): linear warmup, then cosine decay to the floor.
   * @param step - the step about to run
   */
  learningRateAt(step: number): number {
    const { learningRate: peak, minLearningRate: floor, warmupSteps, steps } = this.options;
    if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
    const progress = Math.min(1, (step - warmupSteps) / Math.max(1, steps - warmupSteps));
    return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  private loss(inputs: Tensor, targets: Tensor): Tensor {
    const run = () => {
      const { logits } = this.model.forward(inputs);
      const V = logits.shape[2]!;
      return crossEntropy(logits.reshape([-1, V]), targets.reshape([-1]));
    };
    const { precision } = this.options;
    return precision === 'float32' ? run() : autocast(run, { dtype: precision });
  }

  /**
   * One optimizer step (over `accumulation` micro-batches).
   * @returns the step's mean training loss
   */
  trainStep(): number {
    const { accumulation, gradClip } = this.options;
    const lr = this.learningRateAt(this.step);
    for (const group of this.optimizer.paramGroups) group.lr = lr;
    this.model.train();
    let total = 0;
    for (let micro = 0; micro < accumulation; micro++) {
      total += tidy(() => {
        const { inputs, targets } = this.sampler.next(this.model.embeddingWeight().backend);
        const loss = this.loss(inputs, targets);
        this.scaler.scale(loss.div(accumulation)).backward();
        return loss.item();
      });
    }
    tidy(() => {
      if (gradClip > 0) {
        this.scaler.unscale_(this.optimizer);
        clipGradNorm(this.model.parameters(), gradClip);
      }
      this.scaler.step(this.optimizer);
      this.scaler.update();
    });
    this.optimizer.zeroGrad();
    this.step++;
    const loss = total / accumulation;
    this.history.push({ step: this.step, train: loss, lr });
    return loss;
  }

  /**
   * Mean loss over the fixed validation batches (null without validation data).
   * @returns nats per token
   */
  evaluate(): number | null {
    if (!this.evalOffsets || !this.data.val) return null;
    const val = this.data.val;
    this.model.eval();
    let total = 0;
    noGrad(() => {
      for (const offsets of this.evalOffsets!) {
        total += tidy(() => {
          const { inputs, targets } = evaluationBatch(
            val,
            offsets,
            this.options.blockSize,
            this.model.embeddingWeight().backend,
          );
          return this.loss(inputs, targets).item();
        });
      }
    });
    this.model.train();
    return total / this.evalOffsets.length;
  }

  /**
   * Trains until `options.steps`, validating and checkpointing on schedule.
   * @param callbacks - progress, checkpoint sink, abort signal
   * @returns losses, history and throughput
   */
  async run(callbacks: RunCallbacks = {}): Promise<TrainResult> {
    const { steps, evalInterval, checkpointInterval, batchSize, blockSize, accumulation } =
      this.options;
    const started = performance.now();
    const firstStep = this.step;
    const tokensPerStep = batchSize * blockSize * accumulation;
    let valLoss: number | null = null;
    let trainLoss = Number.NaN;
    while (this.step < steps && !callbacks.signal?.aborted) {
      trainLoss = this.trainStep();
      const atEval = (evalInterval > 0 && this.step % evalInterval === 0) || this.step === steps;
      let val: number | undefined;
      if (atEval) {
        val = this.evaluate() ?? undefined;
        if (val !== undefined) {
          valLoss = val;
          const last = this.history[this.history.length - 1]!;
          this.history[this.history.length - 1] = { ...last, val };
        }
      }
      const elapsedMs = performance.now() - started;
      const done = this.step - firstStep;
      callbacks.onProgress?.({
        step: this.step,
        steps,
        loss: trainLoss,
        lr: this.history[this.history.length - 1]!.lr,
        tokensPerSecond: (done * tokensPerStep) / (elapsedMs / 1000),
        elapsedMs,
        etaMs: (elapsedMs / done) * (steps - this.step),
        ...(val !== undefined ? { valLoss: val } : {}),
      });
      if (
        callbacks.onCheckpoint &&
        checkpointInterval > 0 &&
        this.step % checkpointInterval === 0 &&
        this.step < steps
      )
        await callbacks.onCheckpoint(await this.checkpoint(), this.step);
      // let the event loop breathe (signals, servers, progress rendering)
      if (this.step % 8 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (callbacks.onCheckpoint) await callbacks.onCheckpoint(await this.checkpoint(), this.step);
    const wallMs = performance.now() - started;
    return {
      steps: this.step,
      trainLoss,
      valLoss,
      history: this.history,
      wallMs,
      tokensPerSecond: ((this.step - firstStep) * tokensPerStep) / (wallMs / 1000),
    };
  }

  /** The trainer's state as checkpoint files (see `trainer-checkpoint.ts`). */
  async checkpoint(): Promise<TrainerCheckpoint> {
    return trainerCheckpoint(this, {
      sampler: this.sampler.getState(),
      scaler: this.scaler.stateDict(),
    });
  }

  /**
   * Restores the batch generator, loss scale, step and history (internal to `restoreTrainer`).
   * @param state - the saved values
   */
  restoreState(state: {
    step: number;
    history: LossPoint[];
    sampler: number[];
    scaler: unknown;
  }): void {
    this.step = state.step;
    this.history.splice(0, this.history.length, ...state.history);
    this.sampler.setState(state.sampler);
    if (state.scaler && Object.keys(state.scaler as object).length > 0)
      this.scaler.loadStateDict(state.scaler as Parameters<GradScaler['loadStateDict']>[0]);
  }
}
