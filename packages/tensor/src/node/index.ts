/**
 * Node.js-only helpers of @x/tensor (`@x/tensor/node`): safetensors files
 * read from and written to disk, atomically.
 */
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '../errors.js';
import { loadSafetensors, type SafetensorsContent, saveSafetensors } from '../io/safetensors.js';
import { Tensor } from '../tensor.js';
import { type FilePath, filePathArgument, writeFileAtomic } from './atomic-write.js';

export { type FilePath, writeFileAtomic } from './atomic-write.js';

/**
 * Writes tensors to a `.safetensors` file atomically (temporary file, fsync,
 * rename, fsync of the directory). The arguments follow
 * `fs.writeFile(path, data)`, as every save function of the toolkit does.
 * @param path - destination (a string or a `file:` URL)
 * @param tensors - tensors by name (e.g. `module.stateDict()`)
 * @param metadata - optional string map stored as `__metadata__`
 * @returns the file size in bytes
 * @throws InvalidArgumentError when `path` is not a path or `tensors` not a map of tensors
 * @example await saveSafetensorsFile('model.safetensors', model.stateDict(), { format: 'pt' }); // 1048664
 */
export async function saveSafetensorsFile(
  path: FilePath,
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string>,
): Promise<number> {
  const order = 'saveSafetensorsFile(path, tensors, metadata?)';
  const target = filePathArgument('saveSafetensorsFile', path, order);
  if (
    typeof tensors !== 'object' ||
    tensors === null ||
    tensors instanceof Tensor ||
    Array.isArray(tensors)
  ) {
    throw new InvalidArgumentError(
      'saveSafetensorsFile',
      'tensors (argument 2)',
      tensors,
      `an object of tensors by name (the order is ${order})`,
    );
  }
  const bytes = saveSafetensors(tensors, metadata);
  await writeFileAtomic(target, bytes);
  return bytes.length;
}

/**
 * Reads a `.safetensors` file.
 * @param path - the file (a string or a `file:` URL)
 * @param options - `backend` to place the tensors on
 * @returns the tensors and the metadata
 * @throws InvalidArgumentError when `path` is not a path
 * @throws SafetensorsError for a truncated or corrupt file
 * @example const { tensors } = await loadSafetensorsFile('model.safetensors');
 */
export async function loadSafetensorsFile(
  path: FilePath,
  options: { backend?: string } = {},
): Promise<SafetensorsContent> {
  const source = filePathArgument(
    'loadSafetensorsFile',
    path,
    'loadSafetensorsFile(path, options?)',
  );
  return loadSafetensors(await readFile(source), options);
}
