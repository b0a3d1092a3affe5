/**
 * Atomic file writes for Node.js: write a temporary file in the target's
 * directory, fsync it, rename it over the target, then fsync the directory,
 * so a crash leaves either the old file or the new one, never a torn one.
 */
import { randomBytes } from 'node:crypto';
import { close, fsync, open, rename, unlink, write } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { InvalidArgumentError } from '../errors.js';

const openAsync = promisify(open);
const writeAsync = promisify(write);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);
const renameAsync = promisify(rename);
const unlinkAsync = promisify(unlink);

/** The path argument of the file functions: a file system path or a `file:` URL, as `node:fs` takes. */
export type FilePath = string | URL;

/**
 * Checks the path argument of a file function.
 * @param op - the function
 * @param value - the argument
 * @param order - the function's signature, named in the error (for example `saveSafetensorsFile(path, tensors)`)
 * @returns the path as a string
 * @throws InvalidArgumentError when it is not a non-empty string or a `file:` URL
 * @example filePathArgument('saveSafetensorsFile', 'w.safetensors', 'saveSafetensorsFile(path, tensors)'); // 'w.safetensors'
 */
export function filePathArgument(op: string, value: unknown, order: string): string {
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
 * Writes `bytes` to `path` atomically (temp file, fsync, rename, fsync of the directory).
 * @param target - destination file (a string or a `file:` URL)
 * @param bytes - the complete new content, or its parts in order (written one after another, never joined in memory)
 * @throws InvalidArgumentError when `target` is not a path or `bytes` not a Uint8Array (or a list of them)
 * @example await writeFileAtomic('model.safetensors', bytes);
 */
export async function writeFileAtomic(
  target: FilePath,
  bytes: Uint8Array | readonly Uint8Array[],
): Promise<void> {
  const path = filePathArgument('writeFileAtomic', target, 'writeFileAtomic(path, bytes)');
  const valid =
    bytes instanceof Uint8Array ||
    (Array.isArray(bytes) && bytes.every((part) => part instanceof Uint8Array));
  if (!valid) {
    throw new InvalidArgumentError(
      'writeFileAtomic',
      'bytes (argument 2)',
      bytes,
      'a Uint8Array or a list of them',
    );
  }
  const directory = dirname(path);
  const temporary = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = await openAsync(temporary, 'w', 0o644);
  try {
    for (const part of bytes instanceof Uint8Array ? [bytes] : bytes) {
      let written = 0;
      while (written < part.length) {
        const { bytesWritten } = await writeAsync(fd, part, written, part.length - written, null);
        written += bytesWritten;
      }
    }
    await fsyncAsync(fd);
  } catch (error) {
    await closeAsync(fd).catch(() => {});
    await unlinkAsync(temporary).catch(() => {});
    throw error;
  }
  await closeAsync(fd);
  try {
    await renameAsync(temporary, path);
  } catch (error) {
    await unlinkAsync(temporary).catch(() => {});
    throw error;
  }
  const dirFd = await openAsync(directory, 'r').catch(() => null);
  if (dirFd !== null) {
    await fsyncAsync(dirFd).catch(() => {});
    await closeAsync(dirFd);
  }
}
