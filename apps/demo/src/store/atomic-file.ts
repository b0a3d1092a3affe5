/**
 * Atomic file writes (temporary file in the same folder, fsync, rename, fsync of the
 * folder), so that a crash leaves either the old file or the new one, never half of one.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `bytes` to `path` atomically.
 * @param path - the destination
 * @param bytes - the content
 * @example
 * writeFileAtomic('data/manifest.json', new TextEncoder().encode('{}'));
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const fd = openSync(temporary, 'w');
  try {
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  try {
    const dir = openSync(dirname(path), 'r');
    fsyncSync(dir);
    closeSync(dir);
  } catch {
    // some platforms (Windows) cannot fsync a folder: the rename is still atomic there
  }
}
