/**
 * One training run of the mixed-precision experiment in one of the regimes
 * of Micikevicius et al. 2018:
 *
 * - `fp32`: float32 parameters, activations and gradients.
 * - `mixed`: float16 parameters under `autocast` (matmuls in fp16; softmax,
 *   loss and reductions in fp32), fp32 master weights updated by the
 *   optimizer (`MasterWeights`), dynamic loss scaling (`GradScaler`).
 * - `fp16`: the same float16 model under the same `autocast`, but the
 *   optimizer updates the fp16 parameters directly and the loss is not scaled.
 * - `fp16-master` (ablation): fp32 master weights but no loss scaling, to
 *   separate the two failure modes of `fp16`.
 *
 * Every run starts from the same initial weights (the fp16 runs from their
 * fp16 rounding) and sees the same batches in the same order. Every
 * `measureEvery` steps it records where the activation gradients (each
 * layer's output, via `retainGrad`) land in fp16, and how many nonzero-gradient
 * weights an fp16 weight would not move.
 */
import { float32ToFloat16 } from '@x/precision';
import {
  autocast,
  crossEntropy,
  Generator,
  GradScaler,
  MasterWeights,
  noGrad,
  SGD,
  type Tensor,
  tidy,
} from '../src/index.js';
import { type Batch, sampleBatch } from './data.js';
import { GradientCensus, lostUpdates } from './gradient-census.js';
import { CharMLP, type ModelOptions } from './model.js';

/** The regimes. */
export const REGIMES = {
  fp32: { label: 'fp32', half: false, master: false, scaling: false },
  mixed: { label: 'fp16 + master weights + loss scaling', half: true, master: true, scaling: true },
  fp16: { label: 'pure fp16 (no master, no scaling)', half: true, master: false, scaling: false },
  'fp16-master': {
    label: 'fp16 + master weights, no scaling',
    half: true,
    master: true,
    scaling: false,
  },
} as const;

/** A regime's name. */
export type RegimeName = keyof typeof REGIMES;

/** Everything that defines a run besides its regime. */
export interface Setting {
  model: ModelOptions;
  steps: number;
  /** Tokens (windows) per step. */
  batch: number;
  /**
   * Tokens the loss is normalized by: each step's loss is the sum over its
   * `batch` tokens divided by `globalTokens`, as in a job whose global batch of
   * `globalTokens` tokens is split into micro-batches of `batch` (Megatron-LM and
   * DeepSpeed divide each micro-batch's mean loss by the accumulation count
   * before backward). The step uses lr * globalTokens / batch, so in float32
   * (a power-of-two ratio) the run is bit for bit mean-loss SGD at `lr`.
   */
  globalTokens: number;
  /** SGD learning rate for the mean loss over the batch, at step 1. */
  lr: number;
  /** The learning rate decays along a half cosine to `lr * minLrFraction` at the last step. */
  minLrFraction: number;
  /** GradScaler initial scale (2^16, PyTorch's default). */
  initScale: number;
  /** Seed of the batch order. */
  batchSeed: number;
  /** Steps between held-out evaluations. */
  evalEvery: number;
  /** Steps between gradient censuses. */
  measureEvery: number;
}

/** What a run produced. */
export interface RunResult {
  regime: RegimeName;
  /** Training loss of every step (float32, as each regime computed it). */
  trainLoss: number[];
  /** Held-out loss on the curve set (float32 evaluation of the model's weights) at steps 0, evalEvery, ..., steps. */
  heldOut: { step: number; loss: number }[];
  /** Final held-out loss on the whole held-out slice (float32 evaluation). */
  finalLoss: number;
  /** The model's final weights, as float32 values. */
  finalWeights: Float32Array[];
  /** One census per measured layer output (hidden layers in order, then the logits). */
  activationCensus: GradientCensus[];
  /** Weights with a nonzero gradient, and those whose fp16 value did not move (see `lostUpdates`). */
  updates: { nonzero: number; lost: number };
  /** Steps the GradScaler skipped (inf / NaN gradients). */
  skippedSteps: number;
  finalScale: number;
  seconds: number;
}

/** Held-out batches: a small set for the curve, the whole held-out slice for the final loss. */
export interface EvalSets {
  curve: Batch[];
  final: Batch[];
}

/**
 * Trains one model in `regime`.
 * @param train - training text as ids
 * @param evalSets - held-out batches, evaluated in float32
 * @returns the run's curves, censuses and final loss
 */
export function trainRun(
  regimeName: RegimeName,
  setting: Setting,
  train: Int32Array,
  evalSets: EvalSets,
): RunResult {
  const regime = REGIMES[regimeName];
  const start = performance.now();
  const model = new CharMLP(setting.model);
  const evalModel = new CharMLP(setting.model);
  if (regime.half) model.to('float16');
  const params = model.parameters();
  const master = regime.master ? new MasterWeights(params) : null;
  const accumulation = setting.globalTokens / setting.batch;
  const optimizer = new SGD(master ? master.parameters() : params, {
    lr: setting.lr * accumulation,
  });
  const scaler = regime.scaling ? new GradScaler({ initScale: setting.initScale }) : null;
  const batches = new Generator(setting.batchSeed);
  const result: RunResult = {
    regime: regimeName,
    trainLoss: [],
    heldOut: [],
    finalLoss: Number.NaN,
    finalWeights: [],
    activationCensus: Array.from({ length: setting.model.depth + 1 }, () => new GradientCensus()),
    updates: { nonzero: 0, lost: 0 },
    skippedSteps: 0,
    finalScale: 1,
    seconds: 0,
  };
  const evaluate = (step: number) =>
    result.heldOut.push({ step, loss: heldOutLoss(model, evalModel, evalSets.curve) });

  evaluate(0);
  for (let step = 1; step <= setting.steps; step++) {
    const measure = step % setting.measureEvery === 0 || step === 1;
    const progress = setting.steps === 1 ? 0 : (step - 1) / (setting.steps - 1);
    const decay =
      setting.minLrFraction +
      (1 - setting.minLrFraction) * 0.5 * (1 + Math.cos(Math.PI * progress));
    optimizer.lr = setting.lr * decay * accumulation;
    tidy(() => {
      const { x, y } = sampleBatch(train, setting.model.context, setting.batch, batches);
      const { mean, loss, activations } = autocast(
        () => {
          const out = model.forward(x);
          const mean = crossEntropy(out.logits, y);
          return { mean, loss: mean.div(accumulation), activations: out.activations };
        },
        { enabled: regime.half },
      );
      if (measure) for (const a of activations) a.retainGrad();
      (scaler ? scaler.scale(loss) : loss).backward();
      result.trainLoss.push(mean.item());
      if (measure) countActivationGradients(activations, result.activationCensus);
      if (master) master.gradsToMaster();
      const before = measure ? snapshot(optimizer.paramGroups[0]!.params) : null;
      if (scaler) {
        if (!scaler.step(optimizer)) result.skippedSteps++;
      } else optimizer.step();
      if (before) countLostUpdates(regimeName, before, params, optimizer, result.updates);
      scaler?.update();
      master?.masterToModel();
      optimizer.zeroGrad();
    });
    if (step % setting.evalEvery === 0 || step === setting.steps) evaluate(step);
  }
  result.finalLoss = heldOutLoss(model, evalModel, evalSets.final);
  result.finalWeights = snapshot(params);
  result.finalScale = scaler ? scaler.getScale() : 1;
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

/** Mean held-out cross-entropy (nats per character) of `model`'s weights, computed in float32. */
export function heldOutLoss(model: CharMLP, evalModel: CharMLP, evalSet: Batch[]): number {
  return noGrad(() =>
    tidy(() => {
      const from = model.parameters();
      evalModel.parameters().forEach((p, i) => p.copy_(from[i]!));
      let total = 0;
      let count = 0;
      for (const { x, y } of evalSet) {
        total += crossEntropy(evalModel.forward(x).logits, y, { reduction: 'sum' }).item();
        count += y.size;
      }
      return total / count;
    }),
  );
}

function countActivationGradients(activations: Tensor[], census: GradientCensus[]): void {
  activations.forEach((a, i) => {
    const g = a.grad!;
    if (g.dtype === 'float16')
      census[i]!.addFloat16Codes(g.toRawArray() as Uint16Array, g.toTypedArray() as Float32Array);
    else census[i]!.addFloat32(g.toTypedArray() as Float32Array);
    g.dispose();
    a.grad = null;
  });
}

function snapshot(params: Tensor[]): Float32Array[] {
  return params.map((p) => p.toTypedArray() as Float32Array);
}

/**
 * fp32 runs: how many nonzero updates an fp16 weight would lose; pure fp16:
 * how many weights with a nonzero gradient kept their fp16 value. Master-weight
 * runs keep every update in fp32, so nothing is counted for them.
 */
function countLostUpdates(
  regime: RegimeName,
  before: Float32Array[],
  modelParams: Tensor[],
  optimizer: SGD,
  into: { nonzero: number; lost: number },
): void {
  if (regime === 'fp32') {
    optimizer.paramGroups[0]!.params.forEach((p, i) => {
      const after = p.toTypedArray() as Float32Array;
      const delta = before[i]!.map((b, j) => b - after[j]!);
      const { nonzero, lost } = lostUpdates(before[i]!, delta);
      into.nonzero += nonzero;
      into.lost += lost;
    });
  } else if (regime === 'fp16') {
    modelParams.forEach((p, i) => {
      const grad = p.grad!.toTypedArray();
      const was = float32ToFloat16(before[i]!);
      const now = p.toRawArray() as Uint16Array;
      for (let j = 0; j < grad.length; j++) {
        if (grad[j] === 0) continue;
        into.nonzero++;
        if (was[j] === now[j]) into.lost++;
      }
    });
  }
}
