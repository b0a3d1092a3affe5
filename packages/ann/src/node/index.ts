/**
 * Node.js helpers of @x/ann (`@x/ann/node`): saving an index to a file
 * atomically (temporary file in the same directory, fsync, rename over the
 * target, fsync of the directory: a crash leaves the old file or the new one,
 * never a torn one), loading it back, and reading fvecs / ivecs / bvecs files.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@x/tensor/node';
import {
  readBvecs,
  readFvecs,
  readIvecs,
  type VecsData,
  type VecsReadOptions,
} from '../io/vecs.js';
import { loadIndex } from '../load-index.js';
import type { VectorIndex } from '../vector-index.js';

export { writeFileAtomic } from '@x/tensor/node';

/**
 * Writes `index.save()` to `path` atomically.
 * @param path - destination file
 * @param index - any index
 * @example await saveIndexFile('sift.hnsw', index);
 */
export async function saveIndexFile(path: string, index: VectorIndex): Promise<void> {
  await writeFileAtomic(path, index.save());
}

/**
 * Reads an index file written by `saveIndexFile` (or `save()`).
 * @param path - the file
 * @returns the index, of the kind recorded in the file
 * @throws TruncatedIndexError, CorruptIndexError, UnsupportedVersionError for a damaged file
 * @example const index = await loadIndexFile('sift.hnsw');
 */
export async function loadIndexFile(path: string): Promise<VectorIndex> {
  return loadIndex(await readFile(path));
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
