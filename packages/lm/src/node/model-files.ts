/**
 * Model checkpoint folders on disk (Node.js): `config.json` plus
 * `model.safetensors`, or shards listed in `model.safetensors.index.json`,
 * as Hugging Face writes them. Nothing is downloaded: a user fetches a
 * checkpoint folder themselves (e.g. `huggingface-cli download gpt2`).
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@x/tensor/node';
import { CheckpointError, ConfigError } from '../errors.js';
import {
  checkpointOf,
  type LoadModelOptions,
  modelFromBytes,
  type SaveModelOptions,
} from '../io/checkpoint.js';
import type { LanguageModel } from '../models/language-model.js';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function shardFiles(dir: string): Promise<string[]> {
  const single = join(dir, 'model.safetensors');
  if (await exists(single)) return [single];
  const indexPath = join(dir, 'model.safetensors.index.json');
  if (await exists(indexPath)) {
    let index: { weight_map?: Record<string, string> };
    try {
      index = JSON.parse(await readFile(indexPath, 'utf8'));
    } catch (error) {
      throw new CheckpointError(
        'loadModel',
        `${indexPath} is not valid JSON: ${(error as Error).message}`,
      );
    }
    if (typeof index.weight_map !== 'object' || index.weight_map === null)
      throw new CheckpointError('loadModel', `${indexPath} has no "weight_map"`);
    const files = [...new Set(Object.values(index.weight_map))];
    for (const file of files)
      if (typeof file !== 'string' || file.includes('/') || file.includes('\\'))
        throw new CheckpointError(
          'loadModel',
          `${indexPath} names an invalid shard ${JSON.stringify(file)}`,
        );
    return files.map((file) => join(dir, file));
  }
  const hint = (await exists(join(dir, 'pytorch_model.bin')))
    ? " (it holds pytorch_model.bin: convert it to safetensors first, e.g. with transformers' save_pretrained(..., safe_serialization=True))"
    : '';
  throw new CheckpointError(
    'loadModel',
    `${dir} holds neither model.safetensors nor model.safetensors.index.json${hint}`,
  );
}

/**
 * Loads a model from a Hugging Face checkpoint folder.
 * @param dir - a folder with `config.json` and `model.safetensors` (or sharded safetensors)
 * @param options - dtype in memory (`float32` default; `float16` / `bfloat16` keep 16-bit weights)
 * @returns the model, in eval mode
 * @throws ConfigError when config.json is missing, not JSON, or names an unsupported model
 * @throws CheckpointError for missing files, corrupt safetensors, or tensors that do not fit the config
 * @example
 * import { loadModel } from '@x/lm/node';
 * const model = await loadModel('./gpt2');
 */
export async function loadModel(
  dir: string,
  options: LoadModelOptions = {},
): Promise<LanguageModel> {
  const configPath = join(dir, 'config.json');
  if (!(await exists(configPath)))
    throw new ConfigError('loadModel', `${configPath} does not exist`);
  const configText = await readFile(configPath, 'utf8');
  const files = await shardFiles(dir);
  const shards: Uint8Array[] = [];
  for (const file of files) {
    try {
      shards.push(await readFile(file));
    } catch (error) {
      throw new CheckpointError(
        'loadModel',
        `cannot read ${file}: ${(error as Error).message}`,
        {},
        { cause: error },
      );
    }
  }
  return modelFromBytes(configText, shards, options);
}

/**
 * Writes a model as a Hugging Face checkpoint folder (`config.json` and
 * `model.safetensors`, each written atomically), loadable by `loadModel`
 * and by transformers' `from_pretrained`.
 * @param dir - destination folder (created if needed)
 * @param model - the model
 * @param options - dtype written, metadata
 * @example
 * await saveModel('./my-model', model, { dtype: 'float16' });
 */
export async function saveModel(
  dir: string,
  model: LanguageModel,
  options: SaveModelOptions = {},
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { config, weights } = checkpointOf(model, options);
  await writeFileAtomic(join(dir, 'model.safetensors'), weights);
  await writeFileAtomic(
    join(dir, 'config.json'),
    new TextEncoder().encode(`${JSON.stringify(config, null, 2)}\n`),
  );
}
