/**
 * Node.js-only helpers of @x/tensor (`@x/tensor/node`): safetensors files
 * read from and written to disk, atomically.
 */
import { readFile } from 'node:fs/promises';
import { loadSafetensors, type SafetensorsContent, saveSafetensors } from '../io/safetensors.js';
import type { Tensor } from '../tensor.js';
import { writeFileAtomic } from './atomic-write.js';

export { writeFileAtomic } from './atomic-write.js';

/**
 * Writes tensors to a `.safetensors` file atomically.
 * @param path - destination
 * @param tensors - tensors by name (e.g. `module.stateDict()`)
 * @param metadata - optional string map stored as `__metadata__`
 * @example await saveSafetensorsFile('model.safetensors', model.stateDict(), { format: 'pt' });
 */
export async function saveSafetensorsFile(
  path: string,
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string>,
): Promise<void> {
  await writeFileAtomic(path, saveSafetensors(tensors, metadata));
}

/**
 * Reads a `.safetensors` file.
 * @throws SafetensorsError for a truncated or corrupt file
 * @example const { tensors } = await loadSafetensorsFile('model.safetensors');
 */
export async function loadSafetensorsFile(
  path: string,
  options: { backend?: string } = {},
): Promise<SafetensorsContent> {
  return loadSafetensors(await readFile(path), options);
}
