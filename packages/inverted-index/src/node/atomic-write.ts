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
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, SnapshotError } from '../errors.js';
import { InvertedIndex } from '../inverted-index.js';
import type { LoadOptions } from '../snapshot/decode.js';

/**
 * Writes bytes to `path` atomically (temp file, fsync, rename, fsync of the folder).
 * @param target - the target file (a string or a `file:` URL)
 * @param bytes - the content
 * @throws InvalidArgumentError when `target` is not a path or `bytes` not a Uint8Array
 * @throws SnapshotError when a step fails (the temporary file is removed)
 * @example
 * ```ts
 * await writeFileAtomic('/data/index.bin', index.save());
 * ```
 */
export async function writeFileAtomic(target: FilePath, bytes: Uint8Array): Promise<void> {
  const path = checkPath('writeFileAtomic', target);
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidArgumentError('writeFileAtomic', 'bytes (argument 2)', bytes, 'a Uint8Array');
  }
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

/** The path argument of the file functions: a file system path or a `file:` URL, as `node:fs` takes. */
export type FilePath = string | URL;

const DEPRECATION_KEY = Symbol.for('@x/inverted-index.saveIndexFile.argumentOrder');

function isIndex(value: unknown): value is InvertedIndex {
  return value instanceof InvertedIndex;
}

function isPath(value: unknown): value is FilePath {
  return (typeof value === 'string' && value.length > 0) || value instanceof URL;
}

/**
 * Checks a path argument.
 * @param op - the function
 * @param value - the argument
 * @returns the path as a string
 * @throws InvalidArgumentError when it is not a non-empty string or a `file:` URL
 */
function checkPath(op: string, value: unknown): string {
  if (typeof value === 'string' && value.length > 0) return value;
  if (value instanceof URL && value.protocol === 'file:') return fileURLToPath(value);
  const hint = isIndex(value)
    ? ` (the order is ${op}(path, index), as fs.writeFile(path, data))`
    : '';
  throw new InvalidArgumentError(
    op,
    'path (argument 1)',
    value,
    `a non-empty file path string or a file: URL${hint}`,
  );
}

/**
 * Saves an index to a file atomically (temp file, fsync, rename, fsync of the
 * folder): a crash leaves the old file or the new one, never a torn one. The
 * arguments follow `fs.writeFile(path, data)`, as every save function of the
 * toolkit does (`@x/ann/node`'s `saveIndexFile`, `@x/tensor/node`'s
 * `saveSafetensorsFile`). The old order `saveIndexFile(index, path)` still
 * works in this release, with a one-time `DeprecationWarning`
 * (code `X_INVERTED_INDEX_SAVE_ARGUMENT_ORDER`).
 * @param path - the target file (a string or a `file:` URL)
 * @param index - the index
 * @returns the snapshot size in bytes
 * @throws InvalidArgumentError when `path` is not a path or `index` is not an InvertedIndex
 * @throws SnapshotError when the file cannot be written
 * @example
 * ```ts
 * await saveIndexFile('scifact.idx', index); // 2913456
 * ```
 */
export async function saveIndexFile(path: FilePath, index: InvertedIndex): Promise<number>;
/**
 * @deprecated the old argument order; use `saveIndexFile(path, index)`.
 * @param index - the index
 * @param path - the target file
 * @returns the snapshot size in bytes
 */
export async function saveIndexFile(index: InvertedIndex, path: FilePath): Promise<number>;
export async function saveIndexFile(first: unknown, second: unknown): Promise<number> {
  let path = first;
  let index = second;
  if (isIndex(first) && isPath(second)) {
    warnArgumentOrder();
    path = second;
    index = first;
  }
  const target = checkPath('saveIndexFile', path);
  if (!isIndex(index)) {
    throw new InvalidArgumentError(
      'saveIndexFile',
      'index (argument 2)',
      index,
      'an InvertedIndex (the order is saveIndexFile(path, index))',
    );
  }
  const bytes = index.save();
  await writeFileAtomic(target, bytes);
  return bytes.length;
}

function warnArgumentOrder(): void {
  const registry = globalThis as { [DEPRECATION_KEY]?: boolean };
  if (registry[DEPRECATION_KEY]) return;
  registry[DEPRECATION_KEY] = true;
  process.emitWarning(
    'saveIndexFile(index, path) is deprecated: use saveIndexFile(path, index), the order of fs.writeFile and of every save function of the x toolkit. The old order stops working in the next minor release.',
    { type: 'DeprecationWarning', code: 'X_INVERTED_INDEX_SAVE_ARGUMENT_ORDER' },
  );
}

/**
 * Loads an index from a snapshot file.
 * @param path - the file (a string or a `file:` URL)
 * @param options - analyzers for custom-analyzed fields
 * @returns the index
 * @throws InvalidArgumentError when `path` is not a path
 * @throws SnapshotError when the file cannot be read
 * @throws CorruptSnapshotError when its bytes are truncated or corrupted
 * @throws SnapshotVersionError when a newer format version wrote it
 * @example
 * ```ts
 * const index = await loadIndexFile('scifact.idx');
 * ```
 */
export async function loadIndexFile(
  path: FilePath,
  options: LoadOptions = {},
): Promise<InvertedIndex> {
  const source = checkPath('loadIndexFile', path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(source);
  } catch (cause) {
    throw new SnapshotError('load', `cannot read ${source}: ${String(cause)}`, { cause });
  }
  return InvertedIndex.load(bytes, options);
}
