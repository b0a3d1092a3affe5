/**
 * Crash-safe snapshot files for Node.js: the bytes go to a temporary file
 * in the same folder, which is fsynced, then renamed over the target (an
 * atomic replace on POSIX file systems), then the folder is fsynced so the
 * rename itself is durable. A reader sees the old file or the new one,
 * never a half-written one.
 */

import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SnapshotError } from '../errors.js';
import { InvertedIndex } from '../inverted-index.js';
import type { LoadOptions } from '../snapshot/decode.js';

/**
 * Writes bytes to `path` atomically (temp file, fsync, rename, fsync of the folder).
 * @param path - the target file
 * @param bytes - the content
 * @throws SnapshotError when a step fails (the temporary file is removed)
 * @example
 * ```ts
 * await writeFileAtomic('/data/index.bin', index.save());
 * ```
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = await open(temporary, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (cause) {
    await unlink(temporary).catch(() => {});
    throw new SnapshotError('save', `cannot write ${path}: ${String(cause)}`, { cause });
  }
  try {
    const directory = await open(folder, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  } catch {
    // some platforms (Windows) cannot fsync a folder; the rename is done
  }
}

/**
 * Saves an index to a file atomically.
 * @param index - the index
 * @param path - the target file
 * @returns the snapshot size in bytes
 * @throws SnapshotError when the file cannot be written
 * @example
 * ```ts
 * await saveIndexFile(index, 'scifact.idx'); // 2913456
 * ```
 */
export async function saveIndexFile(index: InvertedIndex, path: string): Promise<number> {
  const bytes = index.save();
  await writeFileAtomic(path, bytes);
  return bytes.length;
}

/**
 * Loads an index from a snapshot file.
 * @param path - the file
 * @param options - analyzers for custom-analyzed fields
 * @returns the index
 * @throws SnapshotError when the file cannot be read
 * @throws CorruptSnapshotError when its bytes are truncated or corrupted
 * @example
 * ```ts
 * const index = await loadIndexFile('scifact.idx');
 * ```
 */
export async function loadIndexFile(
  path: string,
  options: LoadOptions = {},
): Promise<InvertedIndex> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new SnapshotError('load', `cannot read ${path}: ${String(cause)}`, { cause });
  }
  return InvertedIndex.load(bytes, options);
}
