import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteBuffer, ByteReader } from './byte-buffer.js';
import { NO_MORE_DOCS, PostingCursor } from './posting-cursor.js';
import { BLOCK_SIZE, PostingList } from './posting-list.js';

interface Entry {
  doc: number;
  positions: number[];
  length: number;
}

/** Sorted distinct doc numbers with random positions, as a reference. */
const entriesArbitrary = fc
  .uniqueArray(fc.integer({ min: 0, max: 5000 }), { minLength: 0, maxLength: 700 })
  .chain((docs) =>
    fc.tuple(
      fc.constant([...docs].sort((a, b) => a - b)),
      fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 6 }), {
        minLength: docs.length,
        maxLength: docs.length,
      }),
      fc.array(fc.integer({ min: 1, max: 400 }), {
        minLength: docs.length,
        maxLength: docs.length,
      }),
    ),
  )
  .map(([docs, positions, lengths]) =>
    docs.map(
      (doc, i): Entry => ({
        doc,
        positions: [...positions[i]!].sort((a, b) => a - b),
        length: Math.max(lengths[i]!, positions[i]!.length),
      }),
    ),
  );

function build(entries: Entry[]): PostingList {
  const list = new PostingList(true);
  for (const entry of entries) list.append(entry.doc, entry.positions, entry.length);
  return list;
}

describe('ByteBuffer varints', () => {
  it('round-trips integers up to 2^32 - 1', () => {
    const values = [0, 1, 127, 128, 300, 16_383, 16_384, 2 ** 31 - 1, 2 ** 32 - 1];
    const buffer = new ByteBuffer(1);
    for (const value of values) buffer.writeVarint(value);
    const reader = new ByteReader(buffer.toBytes());
    expect(values.map(() => reader.readVarint())).toEqual(values);
    expect(reader.offset).toBe(buffer.length);
  });
});

describe('PostingList and PostingCursor', () => {
  it('seals full blocks and keeps the rest in the tail', () => {
    const list = build(
      Array.from({ length: 300 }, (_, i) => ({ doc: i * 3, positions: [i % 7], length: 10 })),
    );
    expect(list.blockCount).toBe(2);
    expect(list.tailDocs.length).toBe(300 - 2 * BLOCK_SIZE);
    expect(list.blockLastDoc[0]).toBe((BLOCK_SIZE - 1) * 3);
  });

  it('iterates docs, frequencies and positions exactly as appended', () => {
    fc.assert(
      fc.property(entriesArbitrary, (entries) => {
        const cursor = new PostingCursor(build(entries));
        for (const entry of entries) {
          expect(cursor.nextDoc()).toBe(entry.doc);
          expect(cursor.freq()).toBe(entry.positions.length);
          expect([...cursor.positions()]).toEqual(entry.positions);
        }
        expect(cursor.nextDoc()).toBe(NO_MORE_DOCS);
      }),
      { numRuns: 60 },
    );
  });

  it('advances to the first doc at or after each target', () => {
    fc.assert(
      fc.property(
        entriesArbitrary,
        fc.array(fc.integer({ min: 0, max: 5200 }), { maxLength: 40 }),
        (entries, rawTargets) => {
          const cursor = new PostingCursor(build(entries));
          const targets = [...rawTargets].sort((a, b) => a - b);
          for (const target of targets) {
            const expected = entries.find((entry) => entry.doc >= Math.max(target, cursor.doc));
            const reached = cursor.advance(target);
            expect(reached).toBe(expected ? expected.doc : NO_MORE_DOCS);
            if (expected) expect([...cursor.positions()]).toEqual(expected.positions);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives block bounds that hold for every doc in the block', () => {
    fc.assert(
      fc.property(entriesArbitrary, fc.integer({ min: 0, max: 5000 }), (entries, target) => {
        const cursor = new PostingCursor(build(entries));
        const end = cursor.shallowAdvance(target);
        const inBlock = entries.filter((entry) => entry.doc >= target && entry.doc <= end);
        for (const entry of inBlock) {
          expect(entry.positions.length).toBeLessThanOrEqual(cursor.blockMaxFreq());
          expect(entry.length).toBeGreaterThanOrEqual(cursor.blockMinLength());
        }
        if (!entries.some((entry) => entry.doc >= target)) expect(end).toBe(NO_MORE_DOCS);
      }),
      { numRuns: 60 },
    );
  });
});
