/**
 * Heads folders on disk (Node.js): `config.json`, `medusa_lm_head.safetensors`
 * and, when measured, `accuracy.json`, each written atomically.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LanguageModel } from '@x/lm';
import { writeFileAtomic } from '@x/tensor/node';
import { HeadsFormatError } from '../errors.js';
import { HEADS_FILES, headsCheckpoint, headsFromCheckpoint } from '../heads/heads-checkpoint.js';
import type { MedusaHeads } from '../heads/medusa-heads.js';

const encode = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

/**
 * Writes heads as a folder.
 * @param dir - destination (created if needed)
 * @param heads - the heads
 * @example
 * await saveHeads('./heads', heads);
 */
export async function saveHeads(dir: string, heads: MedusaHeads): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { config, weights, accuracy } = headsCheckpoint(heads);
  await writeFileAtomic(join(dir, HEADS_FILES.weights), weights);
  if (accuracy) await writeFileAtomic(join(dir, HEADS_FILES.accuracy), encode(accuracy));
  await writeFileAtomic(join(dir, HEADS_FILES.config), encode(config));
}

async function readJson(dir: string, file: string, required: boolean): Promise<unknown> {
  const path = join(dir, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!required) return null;
    throw new HeadsFormatError(
      'loadHeads',
      `cannot read ${path}: ${(error as Error).message}`,
      file,
      {
        cause: error,
      },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HeadsFormatError(
      'loadHeads',
      `${path} is not valid JSON: ${(error as Error).message}`,
      file,
      {
        cause: error,
      },
    );
  }
}

/**
 * Loads heads from a folder onto their base model.
 * @param dir - a folder written by `saveHeads` (or `x-medusa train`)
 * @param model - the base model they were trained on
 * @returns the heads, with their measured accuracy when the folder has it
 * @throws HeadsFormatError for a missing folder or file, invalid JSON, missing or misshaped tensors
 * @throws BaseModelMismatchError when `model` is not the heads' base model
 * @example
 * const heads = await loadHeads('./heads', await loadModel('./model'));
 */
export async function loadHeads(dir: string, model: LanguageModel): Promise<MedusaHeads> {
  const exists = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!exists) throw new HeadsFormatError('loadHeads', `${dir} is not a folder`, dir);
  const config = await readJson(dir, HEADS_FILES.config, true);
  const accuracy = await readJson(dir, HEADS_FILES.accuracy, false);
  let weights: Uint8Array;
  try {
    weights = await readFile(join(dir, HEADS_FILES.weights));
  } catch (error) {
    throw new HeadsFormatError(
      'loadHeads',
      `cannot read ${join(dir, HEADS_FILES.weights)}: ${(error as Error).message}`,
      HEADS_FILES.weights,
      { cause: error },
    );
  }
  return headsFromCheckpoint(config, weights, model, accuracy);
}
