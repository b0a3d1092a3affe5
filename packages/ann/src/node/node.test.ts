import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CorruptIndexError, InvalidArgumentError, TruncatedIndexError } from '../errors.js';
import { HnswIndex } from '../hnsw/hnsw-index.js';
import { writeFvecs, writeIvecs } from '../io/vecs.js';
import { randomVectors } from '../test/helpers.js';
import { loadIndexFile, readFvecsFile, readIvecsFile, saveIndexFile } from './index.js';

const directory = mkdtempSync(join(tmpdir(), 'x-ann-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('@x/ann/node', () => {
  it('saves atomically (no temporary file left) and loads an identical index', async () => {
    const index = new HnswIndex({ dimension: 8 });
    index.addBatch(randomVectors(300, 8, 1));
    const path = join(directory, 'index.xann');
    expect(await saveIndexFile(path, index)).toBe(index.save().length);
    await saveIndexFile(new URL(`file://${path}`), index);
    expect(readdirSync(directory)).toEqual(['index.xann']);
    const loaded = await loadIndexFile(path);
    const queries = randomVectors(5, 8, 2);
    expect([...loaded.searchBatch(queries, 5).ids]).toEqual([...index.searchBatch(queries, 5).ids]);
  });

  it('rejects a truncated or corrupted file with a named error', async () => {
    const index = new HnswIndex({ dimension: 8 });
    index.addBatch(randomVectors(100, 8, 3));
    const bytes = index.save();
    const truncated = join(directory, 'truncated.xann');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 100));
    await expect(loadIndexFile(truncated)).rejects.toBeInstanceOf(TruncatedIndexError);
    const corrupted = join(directory, 'corrupted.xann');
    const damaged = bytes.slice();
    damaged[100]! ^= 1;
    writeFileSync(corrupted, damaged);
    await expect(loadIndexFile(corrupted)).rejects.toBeInstanceOf(CorruptIndexError);
    expect(readFileSync(corrupted).length).toBe(bytes.length);
  });

  it('reads fvecs and ivecs files', async () => {
    const path = join(directory, 'v.fvecs');
    writeFileSync(path, writeFvecs([1, 2, 3, 4, 5, 6], 3));
    expect(await readFvecsFile(path, { offset: 1 })).toEqual({
      data: Float32Array.of(4, 5, 6),
      count: 1,
      dimension: 3,
    });
    const ipath = join(directory, 'v.ivecs');
    writeFileSync(ipath, writeIvecs([7, 8], 1));
    expect((await readIvecsFile(ipath)).count).toBe(2);
  });

  it('names the wrong argument: (index, path) is not the order', async () => {
    const index = new HnswIndex({ dimension: 4 });
    const path = join(directory, 'wrong.xann');
    const swapped = saveIndexFile(index as unknown as string, path as unknown as HnswIndex);
    await expect(swapped).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(swapped).rejects.toThrow(
      /path \(argument 1\).*order is saveIndexFile\(path, index\)/,
    );
    await expect(saveIndexFile(path, {} as HnswIndex)).rejects.toThrow(
      /index \(argument 2\) must be a VectorIndex/,
    );
    await expect(loadIndexFile(7 as unknown as string)).rejects.toThrow(
      /loadIndexFile: path \(argument 1\)/,
    );
  });
});
