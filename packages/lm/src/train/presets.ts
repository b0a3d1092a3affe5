/**
 * Named training recipes for character-level GPTs (`x-lm train --preset`):
 * the model shape and the trainer settings together.
 *
 * - `char-tiny`: seconds, for CI and smoke tests.
 * - `char-baby`: nanoGPT's CPU configuration of `train_shakespeare_char`
 *   (README "I only have a macbook": 4 layers, 4 heads, 128 wide, block 64,
 *   batch 12, 2,000 iterations, lr 1e-3 decaying to 1e-4, no dropout),
 *   which reaches a validation loss of about 1.88 there.
 * - `char-small`: the recipe of the bundled model (packages/lm/models),
 *   sized to train within an hour on two cores.
 */
import type { TrainerOptions } from './trainer.js';

/** A model shape and its training settings. */
export interface TrainingPreset {
  /** What it is for. */
  readonly description: string;
  /** GPT-2 shape: layers, heads, width; the context is `blockSize`. */
  readonly model: { readonly layers: number; readonly heads: number; readonly width: number };
  /** Trainer settings (steps included). */
  readonly trainer: Omit<TrainerOptions, 'seed'>;
}

/** The presets by name. */
export const PRESETS = {
  'char-tiny': {
    description: 'a few seconds: 2 layers x 64 wide, block 32, 60 steps (CI)',
    model: { layers: 2, heads: 2, width: 64 },
    trainer: {
      steps: 60,
      batchSize: 8,
      blockSize: 32,
      learningRate: 3e-3,
      minLearningRate: 3e-4,
      warmupSteps: 10,
      evalInterval: 30,
      evalBatches: 4,
    },
  },
  'char-baby': {
    description:
      "nanoGPT's CPU recipe: 4 layers x 128 wide, 4 heads, block 64, batch 12, 2000 steps",
    model: { layers: 4, heads: 4, width: 128 },
    trainer: {
      steps: 2000,
      batchSize: 12,
      blockSize: 64,
      learningRate: 1e-3,
      minLearningRate: 1e-4,
      warmupSteps: 100,
      weightDecay: 0.1,
      betas: [0.9, 0.99],
      gradClip: 1,
      evalInterval: 250,
      evalBatches: 20,
    },
  },
  'char-small': {
    description: 'the bundled model: 4 layers x 256 wide, 4 heads, block 128, batch 16, 1600 steps',
    model: { layers: 4, heads: 4, width: 256 },
    trainer: {
      steps: 1600,
      batchSize: 16,
      blockSize: 128,
      learningRate: 2e-3,
      minLearningRate: 2e-4,
      warmupSteps: 100,
      weightDecay: 0.1,
      betas: [0.9, 0.99],
      gradClip: 1,
      evalInterval: 200,
      evalBatches: 20,
    },
  },
} as const satisfies Record<string, TrainingPreset>;

/** A preset name. */
export type PresetName = keyof typeof PRESETS;
