/**
 * Node.js-only helpers of @x/lm (`@x/lm/node`): model checkpoint folders,
 * tokenizer files and trainer checkpoints read from and written to disk, and
 * a training progress bar. The main entry stays free of `node:` imports so
 * that it bundles for browsers.
 */
export { BUNDLED_MODEL_DIR, loadBundledModel } from './bundled-model.js';
export { type ExportGgufOptions, exportGguf, exportOnnx } from './export-files.js';
export { loadModel, saveModel } from './model-files.js';
export { trainingProgressBar } from './progress.js';
export { loadTokenizer, readTokenizerFiles, saveTokenizer } from './tokenizer-files.js';
export { readTrainerCheckpoint, writeTrainerCheckpoint } from './trainer-files.js';
