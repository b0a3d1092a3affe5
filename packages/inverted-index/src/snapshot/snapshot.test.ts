import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rewriteSnapshotHeader } from '../__fixtures__/snapshot-bytes.js';
import { ZH_SENTENCES } from '../__fixtures__/zh-sentences.js';
import { composeAnalyzer } from '../analysis/analyzer.js';
import { loadJiebaSegmenter } from '../analysis/jieba-segmenter.js';
import { standardTokenize } from '../analysis/standard-tokenizer.js';
import { CorruptSnapshotError, SnapshotError, SnapshotVersionError } from '../errors.js';
import { InvertedIndex } from '../inverted-index.js';
import { randomTexts, seededRandom } from '../test/index.js';
import { crc32 } from './crc32.js';

const VOCABULARY =
  'alpha beta gamma delta epsilon zeta eta theta iota kappa 学而 时习 ελλ 😀x'.split(' ');

function sampleIndex(seed: number, count = 60): InvertedIndex {
  const random = seededRandom(seed);
  const index = new InvertedIndex({
    fields: ['title', 'text'],
    storeFields: ['title', 'tag'],
    positions: { title: false },
    boost: { title: 2 },
    k1: 1.1,
  });
  const titles = randomTexts(random, count, VOCABULARY, 5);
  const texts = randomTexts(random, count, VOCABULARY, 60);
  for (let i = 0; i < count; i++) {
    index.add({ id: i % 2 ? i : `d${i}`, title: titles[i], text: texts[i], tag: { n: i } });
  }
  return index;
}

const QUERIES = ['alpha beta', '"gamma delta"~1', 'title:eta^2 -kappa', 'alp*', 'thta~1', '学而'];

describe('snapshot', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('round-trips to an equal index (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 20 }), (seed, deletes) => {
        const index = sampleIndex(seed);
        for (let i = 0; i < deletes; i++) index.remove(i % 2 ? i : `d${i}`);
        const bytes = index.save();
        const loaded = InvertedIndex.load(bytes);
        expect(loaded.size).toBe(index.size);
        expect(loaded.tokenCount()).toBe(index.tokenCount());
        for (const query of QUERIES) expect(loaded.search(query)).toEqual(index.search(query));
        expect(loaded.get(3)).toEqual(index.get(3));
        expect(loaded.save()).toEqual(bytes);
        // a loaded index keeps accepting updates
        loaded.add({ id: 'new', text: 'alpha omega' });
        expect(loaded.search('omega').map((hit) => hit.id)).toEqual(['new']);
      }),
      { numRuns: 25 },
    );
  });

  it('loads from an ArrayBuffer (the browser path)', () => {
    const bytes = sampleIndex(1).save();
    const buffer = bytes.buffer.slice(
      bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength,
    ) as ArrayBuffer;
    expect(InvertedIndex.load(buffer).size).toBe(60);
  });

  it('rejects truncated, corrupted, foreign and future snapshots with named errors', () => {
    const bytes = sampleIndex(2).save();
    const truncated = bytes.subarray(0, bytes.length - 10);
    expect(() => InvertedIndex.load(truncated)).toThrow(CorruptSnapshotError);
    expect(() => InvertedIndex.load(truncated)).toThrow(/truncated/);
    expect(() => InvertedIndex.load(bytes.subarray(0, 5))).toThrow(/too short/);
    for (const at of [20, Math.floor(bytes.length / 2), bytes.length - 5]) {
      const corrupted = bytes.slice();
      corrupted[at]! ^= 0x40;
      try {
        InvertedIndex.load(corrupted);
        expect.unreachable();
      } catch (error) {
        expect(CorruptSnapshotError.isInstance(error)).toBe(true);
        expect((error as CorruptSnapshotError).reason).toBe('checksum');
      }
    }
    const foreign = bytes.slice();
    foreign[0] = 0x50;
    expect(() => InvertedIndex.load(foreign)).toThrow(/bad magic/);
    const future = bytes.slice();
    new DataView(future.buffer).setUint32(4, 99, true);
    expect(() => InvertedIndex.load(future)).toThrow(SnapshotVersionError);
    expect(() => InvertedIndex.load(future)).toThrow(
      'load: snapshot format version 99 was written by a newer @x/inverted-index; this build reads versions up to 2: upgrade the package to load it',
    );
    expect(SnapshotError.isInstance(new SnapshotVersionError(99, 1))).toBe(true);
  });

  it('loads version 1 snapshots with the defaults of their time', () => {
    // a version 1 header: analyzer settings only where given, no repeatedTerms
    const old = new InvertedIndex({
      fields: ['text'],
      storeFields: ['text'],
      preset: 'anserini',
      lengthNorm: 'exact',
    });
    old.addAll([
      { id: 1, text: 'What is the effect of vitamin D on bones? Vitamin D.' },
      { id: 2, text: 'Which drugs have side effects?' },
      { id: 3, text: 'the the the' },
    ]);
    const v1 = rewriteSnapshotHeader(
      old.save(),
      (header) => {
        const { repeatedTerms: _repeated, ...rest } = header;
        return { ...rest, analyzers: [{ cjk: 'bigram' }] };
      },
      1,
    );
    const loaded = InvertedIndex.load(v1);
    expect(loaded.options.repeatedTerms).toBe('sum');
    expect(loaded.options.analyzers[0]!.config?.stopwords).toBe('lucene');
    for (const query of ['what effect', 'vitamin vitamin d', 'which side effects'])
      expect(loaded.search(query, { syntax: 'plain' })).toEqual(
        old.search(query, { syntax: 'plain' }),
      );
    // re-saved, it is a version 2 snapshot with every setting explicit
    const again = InvertedIndex.load(loaded.save());
    expect(again.search('what effect')).toEqual(old.search('what effect'));
    expect(new DataView(loaded.save().buffer).getUint32(4, true)).toBe(2);
  });

  it('rejects every truncation (property)', () => {
    const bytes = sampleIndex(3, 10).save();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (length) => {
        expect(() => InvertedIndex.load(bytes.subarray(0, length))).toThrow(CorruptSnapshotError);
      }),
      { numRuns: 100 },
    );
  });

  it('asks for custom analyzers and segmenters at load time', async () => {
    const custom = composeAnalyzer(standardTokenize, []);
    const index = new InvertedIndex({ fields: ['text'], analyzer: custom });
    index.add({ id: 1, text: 'Keep Case' });
    const bytes = index.save();
    expect(() => InvertedIndex.load(bytes)).toThrow(/custom analyzer/);
    expect(InvertedIndex.load(bytes, { analyzers: { text: custom } }).search('Case')).toHaveLength(
      1,
    );

    const segmenter = await loadJiebaSegmenter();
    const zh = new InvertedIndex({ fields: ['text'], analyzer: { cjk: 'dictionary', segmenter } });
    ZH_SENTENCES.slice(0, 10).forEach((text, id) => zh.add({ id, text }));
    const loaded = InvertedIndex.load(zh.save(), { segmenter });
    expect(loaded.search('君子')).toEqual(zh.search('君子'));
    expect(() => InvertedIndex.load(zh.save())).toThrow(/pass options.segmenter/);
  });
});

describe('error brands', () => {
  it('tell subclasses apart', () => {
    const error = new CorruptSnapshotError('checksum', 'x');
    expect(CorruptSnapshotError.isInstance(error)).toBe(true);
    expect(SnapshotError.isInstance(error)).toBe(true);
    expect(SnapshotVersionError.isInstance(error)).toBe(false);
    expect(CorruptSnapshotError.isInstance(new SnapshotVersionError(2, 1))).toBe(false);
    expect(CorruptSnapshotError.isInstance(new Error('x'))).toBe(false);
  });
});
