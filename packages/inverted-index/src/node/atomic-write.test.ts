import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CorruptSnapshotError, InvalidArgumentError, SnapshotError } from '../errors.js';
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
    const size = await saveIndexFile(path, index);
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

  it('takes (path, index) as fs.writeFile does, a file: URL too; the old (index, path) order warns once', async () => {
    const index = new InvertedIndex({ fields: ['text'] });
    index.add({ id: 1, text: 'argument order' });
    const path = join(folder, 'order.bin');
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      expect(await saveIndexFile(pathToFileURL(path), index)).toBe(index.save().length);
      expect(warn).not.toHaveBeenCalled();
      await saveIndexFile(index, path);
      await saveIndexFile(index, path);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/saveIndexFile\(path, index\)/);
      expect(warn.mock.calls[0]![1]).toMatchObject({ type: 'DeprecationWarning' });
    } finally {
      warn.mockRestore();
    }
    expect((await loadIndexFile(pathToFileURL(path))).search('order')[0]!.id).toBe(1);
  });

  it('names the wrong argument with InvalidArgumentError', async () => {
    const index = new InvertedIndex({ fields: ['text'] });
    const path = join(folder, 'x.bin');
    const cases: [() => Promise<unknown>, RegExp][] = [
      [
        () => saveIndexFile(path, {} as InvertedIndex),
        /index \(argument 2\) must be an InvertedIndex/,
      ],
      [() => saveIndexFile(42 as unknown as string, index), /path \(argument 1\) must be/],
      [() => saveIndexFile('', index), /path \(argument 1\)/],
      [
        () => saveIndexFile(index, index as unknown as string),
        /path \(argument 1\).*order is saveIndexFile\(path, index\)/,
      ],
      [
        () => loadIndexFile(undefined as unknown as string),
        /loadIndexFile: path \(argument 1\) must be .*got undefined/,
      ],
      [
        () => writeFileAtomic(path, 'text' as unknown as Uint8Array),
        /bytes \(argument 2\) must be a Uint8Array/,
      ],
    ];
    for (const [call, message] of cases) {
      const error = await call().then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect(String((error as Error).message)).toMatch(message);
    }
  });
});
