/**
 * Node.js-only helpers of @x/lm (`@x/lm/node`): model checkpoint folders
 * read from and written to disk. The main entry stays browser-safe.
 */
export { loadModel, saveModel } from './model-files.js';
