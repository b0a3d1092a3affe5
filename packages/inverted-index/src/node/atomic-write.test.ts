import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptSnapshotError, SnapshotError } from '../errors.js';
import { InvertedIndex } from '../inverted-index.js';
import { loadIndexFile, saveIndexFile, writeFileAtomic } from './atomic-write.js';

describe('atomic snapshot files', () => {
  let folder = '';
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'inverted-index-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('saves and loads an index, replacing an old file and leaving no temp file', async () => {
    const path = join(folder, 'index.bin');
    await writeFile(path, 'old content');
    const index = new InvertedIndex({ fields: ['text'], storeFields: ['text'] });
    index.add({ id: 1, text: 'atomic rename after fsync' });
    const size = await saveIndexFile(index, path);
    expect(size).toBe((await readFile(path)).length);
    expect(await readdir(folder)).toEqual(['index.bin']);
    const loaded = await loadIndexFile(path);
    expect(loaded.search('fsync')).toEqual(index.search('fsync'));
  });

  it('reports a missing folder or file as SnapshotError, a damaged file as CorruptSnapshotError', async () => {
    await expect(
      writeFileAtomic(join(folder, 'no/such/dir/x.bin'), new Uint8Array(1)),
    ).rejects.toThrow(SnapshotError);
    await expect(loadIndexFile(join(folder, 'missing.bin'))).rejects.toThrow(/cannot read/);
    const path = join(folder, 'bad.bin');
    const index = new InvertedIndex({ fields: ['text'] });
    index.add({ id: 1, text: 'x' });
    await writeFile(path, index.save().subarray(0, 30));
    await expect(loadIndexFile(path)).rejects.toThrow(CorruptSnapshotError);
  });
});
