/**
 * Learning-rate schedules: pure functions from the step number to a factor
 * of the base learning rate, and `LRScheduler`, which applies one to an
 * optimizer at every `step()`.
 */
import { ValueError } from '../errors.js';
import type { BaseOptions, Optimizer } from './optimizer.js';

/** Maps a step number (0-based) to a factor of the base learning rate. */
export type Schedule = (step: number) => number;

/**
 * Linear warmup from ~0 to 1 over `warmupSteps`, then constant.
 * @example linearWarmup(10)(4) // 0.5
 */
export function linearWarmup(warmupSteps: number): Schedule {
  if (!(warmupSteps >= 0))
    throw new ValueError(
      'linearWarmup',
      `warmupSteps must be >= 0, got ${warmupSteps}`,
      warmupSteps,
    );
  return (step) => (step < warmupSteps ? (step + 1) / warmupSteps : 1);
}

/**
 * Cosine decay (Loshchilov & Hutter 2017) from 1 to `minFactor` over `totalSteps`,
 * after an optional linear warmup; constant `minFactor` afterwards.
 * @example cosineSchedule({ totalSteps: 100 })(50) // 0.5
 */
export function cosineSchedule(options: {
  totalSteps: number;
  warmupSteps?: number;
  minFactor?: number;
}): Schedule {
  const { totalSteps, warmupSteps = 0, minFactor = 0 } = options;
  if (!(totalSteps > 0 && warmupSteps >= 0 && warmupSteps <= totalSteps)) {
    throw new ValueError(
      'cosineSchedule',
      `need 0 <= warmupSteps <= totalSteps and totalSteps > 0, got ${warmupSteps}, ${totalSteps}`,
      options,
    );
  }
  return (step) => {
    if (step < warmupSteps) return (step + 1) / warmupSteps;
    const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
    return minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  };
}

/**
 * Applies a schedule to an optimizer: after each `step()`, every group's lr is
 * its base lr times `schedule(stepCount)`. The factor for step 0 is applied at construction.
 * @example
 * const scheduler = new LRScheduler(opt, cosineSchedule({ totalSteps: 1000, warmupSteps: 100 }));
 * // each iteration: opt.step(); scheduler.step();
 */
export class LRScheduler {
  private readonly baseLrs: number[];
  /** Number of `step()` calls so far. */
  stepCount = 0;

  constructor(
    private readonly optimizer: Optimizer<BaseOptions>,
    private readonly schedule: Schedule,
  ) {
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
    this.apply();
  }

  /** Advances one step and updates the learning rates. */
  step(): void {
    this.stepCount++;
    this.apply();
  }

  /** The current learning rate of each group. */
  get lrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  private apply(): void {
    const factor = this.schedule(this.stepCount);
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = this.baseLrs[i]! * factor;
    });
  }
}
