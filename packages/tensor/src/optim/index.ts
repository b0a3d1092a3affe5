/** Optimizers, learning-rate schedules and gradient clipping. */
export { AdamW, type AdamWOptions } from './adamw.js';
export { clipGradNorm } from './clip-grad.js';
export {
  type BaseOptions,
  Optimizer,
  type OptimizerState,
  type ParamGroup,
  type ParamGroupInput,
} from './optimizer.js';
export { cosineSchedule, LRScheduler, linearWarmup, type Schedule } from './schedules.js';
export { SGD, type SGDOptions } from './sgd.js';
