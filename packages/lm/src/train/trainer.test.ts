/**
 * The trainer: loss falls on real text; a run resumed from a checkpoint
 * continues exactly as the uninterrupted run; accumulation of two
 * micro-batches equals one batch twice as large; mixed precision trains;
 * the schedule follows its formula; bad options are named.
 */
import { noGrad } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { split } from '../../test/char-data.js';
import { LmValueError } from '../errors.js';
import { createModel } from '../models/build.js';
import { parseModelConfig } from '../models/config.js';
import { lossCurveSvg } from './loss-plot.js';
import { restoreTrainer } from './restore-trainer.js';
import { Trainer, type TrainerOptions } from './trainer.js';

const V = 62;
const tiny = (seed = 0) =>
  createModel(
    parseModelConfig({
      model_type: 'gpt2',
      vocab_size: V,
      n_positions: 32,
      n_embd: 32,
      n_layer: 2,
      n_head: 2,
    }),
    { seed },
  );

describe('Trainer', () => {
  it('the loss falls from uniform guessing on Shakespeare characters', async () => {
    expect(Math.max(...split.train) < V).toBe(true);
    const trainer = new Trainer(tiny(), split, {
      steps: 60,
      batchSize: 16,
      blockSize: 32,
      learningRate: 3e-3,
      warmupSteps: 5,
      evalInterval: 30,
      evalBatches: 4,
    });
    const result = await trainer.run();
    const first = result.history[0]!.train;
    expect(first).toBeGreaterThan(Math.log(V) - 0.5);
    expect(result.valLoss!).toBeLessThan(first - 1.0);
    expect(result.history.filter((p) => p.val !== undefined).map((p) => p.step)).toEqual([30, 60]);
    expect(result.tokensPerSecond).toBeGreaterThan(0);
    const svg = lossCurveSvg(result.history, {
      title: 'tiny',
      references: [{ value: 2.5, label: 'goal' }],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('validation');
  });

  it('a run resumed from a checkpoint continues exactly as the uninterrupted run', async () => {
    const options: TrainerOptions = {
      steps: 12,
      batchSize: 4,
      blockSize: 16,
      learningRate: 2e-3,
      warmupSteps: 3,
      evalInterval: 4,
      evalBatches: 2,
      checkpointInterval: 6,
    };
    const saved: Record<number, Record<string, Uint8Array>> = {};
    const straight = new Trainer(tiny(), split, options);
    await straight.run({
      onCheckpoint: (files, step) => {
        saved[step] = files;
      },
    });
    expect(Object.keys(saved).map(Number)).toEqual([6, 12]);
    const resumed = await restoreTrainer(saved[6]!, split);
    expect(resumed.step).toBe(6);
    await resumed.run();
    expect(resumed.history).toEqual(straight.history);
    const a = straight.model.stateDict();
    const b = resumed.model.stateDict();
    for (const key of Object.keys(a))
      expect(b[key]!.toTypedArray()).toEqual(a[key]!.toTypedArray());
  });

  it('two micro-batches of B equal one batch of 2B', () => {
    const base = { steps: 1, blockSize: 16, warmupSteps: 0, learningRate: 1e-2 };
    const one = new Trainer(tiny(1), split, { ...base, batchSize: 8 });
    const two = new Trainer(tiny(1), split, { ...base, batchSize: 4, accumulation: 2 });
    const l1 = one.trainStep();
    const l2 = two.trainStep();
    expect(Math.abs(l1 - l2)).toBeLessThan(1e-5);
    const a = one.model.stateDict();
    const b = two.model.stateDict();
    let worst = 0;
    for (const key of Object.keys(a)) {
      const x = a[key]!.toTypedArray();
      const y = b[key]!.toTypedArray();
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it('mixed precision (float16 with loss scaling, bfloat16) trains', async () => {
    for (const precision of ['float16', 'bfloat16'] as const) {
      const trainer = new Trainer(tiny(), split, {
        steps: 30,
        batchSize: 8,
        blockSize: 32,
        learningRate: 3e-3,
        warmupSteps: 5,
        precision,
      });
      const reference = new Trainer(tiny(), split, {
        steps: 30,
        batchSize: 8,
        blockSize: 32,
        learningRate: 3e-3,
        warmupSteps: 5,
      });
      const first = trainer.trainStep();
      expect(Math.abs(first - reference.trainStep())).toBeLessThan(0.02);
      for (let i = 1; i < 15; i++) trainer.trainStep();
      expect(trainer.history[14]!.train).toBeLessThan(first - 0.5);
      noGrad(() =>
        expect(trainer.model.parameters().every((p) => p.dtype === 'float32')).toBe(true),
      );
    }
  });

  it('warmup then cosine decay to the floor', () => {
    const t = new Trainer(tiny(), split, {
      steps: 110,
      warmupSteps: 10,
      learningRate: 1e-3,
      minLearningRate: 1e-4,
      blockSize: 16,
    });
    expect(t.learningRateAt(0)).toBeCloseTo(1e-4, 12);
    expect(t.learningRateAt(9)).toBeCloseTo(1e-3, 12);
    expect(t.learningRateAt(60)).toBeCloseTo(1e-4 + 0.9e-3 * 0.5, 12);
    expect(t.learningRateAt(110)).toBeCloseTo(1e-4, 12);
  });

  it('names bad options and data', () => {
    expect(() => new Trainer(tiny(), split, { steps: 0 })).toThrow(
      'Trainer: steps must be a positive integer, got 0',
    );
    expect(() => new Trainer(tiny(), split, { steps: 1, blockSize: 64 })).toThrow(
      "blockSize 64 exceeds the model's context of 32",
    );
    expect(
      () =>
        new Trainer(tiny(), { train: Int32Array.from([1, 2, 99, 3]) }, { steps: 1, blockSize: 2 }),
    ).toThrow('train[2] = 99 is outside the vocabulary');
    expect(() => new Trainer(tiny(), split, { steps: 1, precision: 'int8' as never })).toThrow(
      LmValueError,
    );
  });
});
