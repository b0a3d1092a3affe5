/**
 * Node.js helpers of @x/ann (`@x/ann/node`): saving an index to a file
 * atomically (temporary file in the same directory, fsync, rename over the
 * target, fsync of the directory: a crash leaves the old file or the new one,
 * never a torn one), loading it back, and reading fvecs / ivecs / bvecs files.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type FilePath, writeFileAtomic } from '@x/tensor/node';
import { InvalidArgumentError } from '../errors.js';
import {
  readBvecs,
  readFvecs,
  readIvecs,
  type VecsData,
  type VecsReadOptions,
} from '../io/vecs.js';
import { loadIndex } from '../load-index.js';
import type { VectorIndex } from '../vector-index.js';

export { type FilePath, writeFileAtomic } from '@x/tensor/node';

function pathArgument(op: string, value: unknown, order: string): string {
  if (typeof value === 'string' && value.length > 0) return value;
  if (value instanceof URL && value.protocol === 'file:') return fileURLToPath(value);
  throw new InvalidArgumentError(
    op,
    'path (argument 1)',
    value,
    `a non-empty file path string or a file: URL (the order is ${order}, as fs.writeFile(path, data))`,
  );
}

/**
 * Writes `index.save()` to `path` atomically (temporary file, fsync, rename,
 * fsync of the directory). The arguments follow `fs.writeFile(path, data)`,
 * as every save function of the toolkit does.
 * @param path - destination file (a string or a `file:` URL)
 * @param index - any index
 * @returns the file size in bytes
 * @throws InvalidArgumentError when `path` is not a path or `index` has no `save()`
 * @example await saveIndexFile('sift.hnsw', index); // 5342208
 */
export async function saveIndexFile(path: FilePath, index: VectorIndex): Promise<number> {
  const order = 'saveIndexFile(path, index)';
  const target = pathArgument('saveIndexFile', path, order);
  if (typeof (index as { save?: unknown } | null)?.save !== 'function') {
    throw new InvalidArgumentError(
      'saveIndexFile',
      'index (argument 2)',
      index,
      `a VectorIndex (the order is ${order})`,
    );
  }
  const bytes = index.save();
  await writeFileAtomic(target, bytes);
  return bytes.length;
}

/**
 * Reads an index file written by `saveIndexFile` (or `save()`).
 * @param path - the file (a string or a `file:` URL)
 * @returns the index, of the kind recorded in the file
 * @throws InvalidArgumentError when `path` is not a path
 * @throws TruncatedIndexError, CorruptIndexError, UnsupportedVersionError for a damaged file
 * @example const index = await loadIndexFile('sift.hnsw');
 */
export async function loadIndexFile(path: FilePath): Promise<VectorIndex> {
  return loadIndex(await readFile(pathArgument('loadIndexFile', path, 'loadIndexFile(path)')));
}

/**
 * Reads an `.fvecs` file.
 * @example const { data, count, dimension } = await readFvecsFile('siftsmall_base.fvecs');
 */
export async function readFvecsFile(
  path: string,
  options?: VecsReadOptions,
): Promise<VecsData<Float32Array>> {
  return readFvecs(await readFile(path), options);
}

/** Reads an `.ivecs` file. */
export async function readIvecsFile(
  path: string,
  options?: VecsReadOptions,
): Promise<VecsData<Int32Array>> {
  return readIvecs(await readFile(path), options);
}

/** Reads a `.bvecs` file. */
export async function readBvecsFile(
  path: string,
  options?: VecsReadOptions,
): Promise<VecsData<Uint8Array>> {
  return readBvecs(await readFile(path), options);
}
