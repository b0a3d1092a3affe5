/**
 * Atomic file writes for Node.js: write a temporary file in the target's
 * directory, fsync it, rename it over the target, then fsync the directory,
 * so a crash leaves either the old file or the new one, never a torn one.
 */
import { randomBytes } from 'node:crypto';
import { close, fsync, open, rename, unlink, write } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const openAsync = promisify(open);
const writeAsync = promisify(write);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);
const renameAsync = promisify(rename);
const unlinkAsync = promisify(unlink);

/**
 * Writes `bytes` to `path` atomically (temp file, fsync, rename, fsync of the directory).
 * @param path - destination file
 * @param bytes - the complete new content, or its parts in order (written one after another, never joined in memory)
 */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array | readonly Uint8Array[],
): Promise<void> {
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
