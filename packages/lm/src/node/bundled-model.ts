/**
 * The model this package ships: a character-level GPT trained here on
 * tinyshakespeare (packages/lm/models/char-shakespeare: config.json,
 * model.safetensors in float16, tokenizer.json), the demo's default
 * generator. How it was trained, and how to train it again, is in the README.
 */
import { fileURLToPath } from 'node:url';
import type { LoadModelOptions } from '../io/checkpoint.js';
import type { LanguageModel } from '../models/language-model.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { loadModel } from './model-files.js';
import { loadTokenizer } from './tokenizer-files.js';

/** The bundled model's folder (inside the installed package). */
export const BUNDLED_MODEL_DIR = fileURLToPath(
  new URL('../../models/char-shakespeare/', import.meta.url),
);

/**
 * Loads the bundled character-level Shakespeare model and its tokenizer.
 * @param options - dtype in memory (float32 default; `float16` keeps the shipped 16-bit weights)
 * @returns the model (eval mode) and its tokenizer
 * @example
 * const { model, tokenizer } = await loadBundledModel();
 * const { text } = await generate(model, tokenizer, 'ROMEO:', { maxTokens: 60 });
 */
export async function loadBundledModel(
  options: LoadModelOptions = {},
): Promise<{ model: LanguageModel; tokenizer: Tokenizer }> {
  const [model, tokenizer] = await Promise.all([
    loadModel(BUNDLED_MODEL_DIR, options),
    loadTokenizer(BUNDLED_MODEL_DIR),
  ]);
  return { model, tokenizer };
}
