/**
 * The data directory: indexes built once and reused, rebuilt when the corpus changes,
 * and a truncated or corrupted snapshot answered with IndexSnapshotError until
 * `rebuild` recovers.
 */
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusHash } from '../src/corpus/hash.js';
import { loadCorpus } from '../src/corpus/ingest.js';
import type { Corpus } from '../src/corpus/passage.js';
import { IndexSnapshotError } from '../src/errors.js';
import { openIndexes } from '../src/store/index-store.js';

function smallCorpus(count: number): Corpus {
  const passages = loadCorpus().passages.slice(0, count);
  return { name: 'small', passages, hash: corpusHash(passages), skipped: [] };
}

const scratch = () => mkdtempSync(join(tmpdir(), 'x-demo-store-'));

describe('openIndexes', () => {
  const corpus = smallCorpus(400);
  const options = { dims: 32 };

  it('builds, persists, and reuses what it built (same answers from both)', () => {
    const dataDir = scratch();
    const reasons: string[] = [];
    const first = openIndexes(corpus, { ...options, dataDir, onRebuild: (r) => reasons.push(r) });
    expect(first.reused).toBe(false);
    expect(reasons).toEqual(['no index yet']);
    const second = openIndexes(corpus, { ...options, dataDir, onRebuild: (r) => reasons.push(r) });
    expect(second.reused).toBe(true);
    expect(reasons).toHaveLength(1);
    const query = 'the king is dead';
    expect(second.bm25.search(query, { k: 10 })).toEqual(first.bm25.search(query, { k: 10 }));
    const v = first.lsa!.embed(query);
    expect(Array.from(second.lsa!.embed(query))).toEqual(Array.from(v));
    expect(second.vectors.search(v, 10)).toEqual(first.vectors.search(v, 10));
  });

  it('re-indexes a changed corpus and a changed setting, saying why', () => {
    const dataDir = scratch();
    openIndexes(corpus, { ...options, dataDir });
    const changed = smallCorpus(401);
    const reasons: string[] = [];
    expect(
      openIndexes(changed, { ...options, dataDir, onRebuild: (r) => reasons.push(r) }).reused,
    ).toBe(false);
    expect(reasons[0]).toMatch(/the corpus changed \(content hash/);
    expect(
      openIndexes(changed, { dims: 24, dataDir, onRebuild: (r) => reasons.push(r) }).reused,
    ).toBe(false);
    expect(reasons[1]).toBe('the setting dims changed');
  });

  it.each([
    ['a flipped byte in the BM25 snapshot', 'bm25.snapshot', 'flip'],
    ['a truncated LSA file', 'lsa.bin', 'truncate'],
    ['a truncated HNSW file', 'vectors.hnsw', 'truncate'],
    ['a manifest that is not JSON', 'manifest.json', 'garbage'],
  ])('%s is an IndexSnapshotError naming the file; rebuild recovers', (_, file, damage) => {
    const dataDir = scratch();
    openIndexes(corpus, { ...options, dataDir });
    const path = join(dataDir, file);
    if (damage === 'flip') {
      const bytes = readFileSync(path);
      bytes[bytes.length >> 1] ^= 0xff;
      writeFileSync(path, bytes);
    } else if (damage === 'truncate') truncateSync(path, readFileSync(path).length >> 1);
    else writeFileSync(path, '{"version": 1, "corp');
    let error: unknown;
    try {
      openIndexes(corpus, { ...options, dataDir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IndexSnapshotError);
    expect((error as IndexSnapshotError).path).toBe(path);
    expect((error as Error).message).toMatch(/x-demo index --rebuild/);
    const rebuilt = openIndexes(corpus, { ...options, dataDir, rebuild: true });
    expect(rebuilt.reused).toBe(false);
    expect(openIndexes(corpus, { ...options, dataDir }).reused).toBe(true);
  });
});
