/**
 * The data directory's manifest: which corpus the indexes were built from (its content
 * hash), when, with which settings, and the SHA-256 of every index file, so that a
 * changed corpus is re-indexed and a damaged file is a named error, never a wrong answer.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IndexSnapshotError } from '../errors.js';
import { writeFileAtomic } from './atomic-file.js';

/** The manifest's format version (bumped when a file's layout changes). */
export const MANIFEST_VERSION = 1;

/** What `manifest.json` holds. */
export interface Manifest {
  version: number;
  corpus: string;
  corpusHash: string;
  documents: number;
  /** Settings the indexes depend on (a change rebuilds them). */
  settings: Record<string, string | number>;
  indexedAt: string;
  /** File name to SHA-256 (hex). */
  files: Record<string, string>;
}

const MANIFEST = 'manifest.json';

/**
 * SHA-256 of bytes, hex.
 * @param bytes - the content
 * @returns the digest
 */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads the manifest of a data directory.
 * @param dir - the data directory
 * @returns the manifest, or null when there is none
 * @throws IndexSnapshotError when it is not valid JSON of this version
 */
export function readManifest(dir: string): Manifest | null {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) return null;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    throw new IndexSnapshotError('the index manifest is not valid JSON', path);
  }
  if (
    typeof manifest !== 'object' ||
    manifest === null ||
    typeof manifest.corpusHash !== 'string' ||
    typeof manifest.files !== 'object'
  )
    throw new IndexSnapshotError('the index manifest lacks its fields', path);
  if (manifest.version !== MANIFEST_VERSION)
    throw new IndexSnapshotError(
      `the index manifest has version ${String(manifest.version)}, this app reads ${MANIFEST_VERSION}`,
      path,
    );
  return manifest;
}

/**
 * Reads one index file and checks it against the manifest's digest.
 * @param dir - the data directory
 * @param manifest - its manifest
 * @param name - the file's name
 * @returns the bytes
 * @throws IndexSnapshotError when the file is missing, truncated or changed
 */
export function readCheckedFile(dir: string, manifest: Manifest, name: string): Uint8Array {
  const path = join(dir, name);
  const expected = manifest.files[name];
  if (expected === undefined)
    throw new IndexSnapshotError(`the manifest does not list ${name}`, path);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new IndexSnapshotError('an index file is missing', path);
  }
  if (sha256(bytes) !== expected)
    throw new IndexSnapshotError(
      'an index file is truncated or corrupted (its SHA-256 differs from the manifest)',
      path,
    );
  return bytes;
}

/**
 * Writes the index files, then the manifest last (so a crash in between leaves the old
 * manifest, whose digests then fail, rather than a manifest that vouches for half-written files).
 * @param dir - the data directory (must exist)
 * @param files - file name to bytes
 * @param manifest - everything but `files` and `version`
 * @returns the manifest written
 */
export function writeIndexFiles(
  dir: string,
  files: Record<string, Uint8Array>,
  manifest: Omit<Manifest, 'files' | 'version'>,
): Manifest {
  const digests: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(files)) {
    writeFileAtomic(join(dir, name), bytes);
    digests[name] = sha256(bytes);
  }
  const full: Manifest = { version: MANIFEST_VERSION, ...manifest, files: digests };
  writeFileAtomic(join(dir, MANIFEST), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}
