/**
 * Node.js-only helpers of @x/lm (`@x/lm/node`): model checkpoint folders
 * and trainer checkpoints read from and written to disk, and a training
 * progress bar. The main entry stays browser-safe.
 */
export { loadModel, saveModel } from './model-files.js';
export { trainingProgressBar } from './progress.js';
export { readTrainerCheckpoint, writeTrainerCheckpoint } from './trainer-files.js';
