/**
 * The heads this package ships for @x/lm's bundled model (heads/char-shakespeare:
 * four ResBlock heads with projections of their own, trained by
 * `x-medusa train --model packages/lm/models/char-shakespeare --data
 * tinyshakespeare/input.txt --out heads/char-shakespeare` with the defaults).
 */
import { fileURLToPath } from 'node:url';
import type { LanguageModel } from '@x/lm';
import type { MedusaHeads } from '../heads/medusa-heads.js';
import { loadHeads } from './heads-files.js';

/** The bundled heads' folder (inside the installed package). */
export const BUNDLED_HEADS_DIR = fileURLToPath(
  new URL('../../heads/char-shakespeare/', import.meta.url),
);

/**
 * Loads the heads trained for @x/lm's bundled model (`loadBundledModel()`).
 * @param model - the bundled model (another model is a `BaseModelMismatchError`)
 * @returns the heads
 * @example
 * const { model, tokenizer } = await loadBundledModel();
 * const heads = await loadBundledHeads(model);
 */
export async function loadBundledHeads(model: LanguageModel): Promise<MedusaHeads> {
  return loadHeads(BUNDLED_HEADS_DIR, model);
}
