import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptIndexError, TruncatedIndexError } from '../errors.js';
import { crc32 } from './crc32.js';
import { openEnvelope, writeEnvelope } from './envelope.js';
import { readBvecs, readFvecs, readIvecs, writeBvecs, writeFvecs, writeIvecs } from './vecs.js';

/** Bitwise CRC-32, the textbook definition (no tables). */
function crc32Bitwise(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('crc32', () => {
  it('matches the published check value and a bitwise reference', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog'))).toBe(
      0x414fa339,
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, cut) => {
        const split = Math.min(cut, bytes.length);
        expect(crc32(bytes)).toBe(crc32Bitwise(bytes));
        expect(crc32(bytes, split, bytes.length, crc32(bytes, 0, split))).toBe(crc32(bytes));
      }),
    );
  });
});

describe('envelope', () => {
  it('round-trips header and body and rejects every truncation', () => {
    const bytes = writeEnvelope('flat', 'ip', 7, (w) => {
      w.u32(42);
      w.f32Array(Float32Array.of(1.5, -2));
    });
    const { header, reader, finish } = openEnvelope('test', bytes);
    expect(header).toEqual({ version: 1, kind: 'flat', metric: 'ip', dimension: 7 });
    expect(reader.u32()).toBe(42);
    expect([...reader.f32Array(2)]).toEqual([1.5, -2]);
    finish();
    expect(() => reader.u8()).toThrow(CorruptIndexError);
    for (let length = 4; length < bytes.length; length++)
      expect(() => openEnvelope('test', bytes.slice(0, length))).toThrow(TruncatedIndexError);
    expect(() => openEnvelope('test', bytes, 'hnsw')).toThrow(/holds a flat index, not hnsw/);
    expect(() => openEnvelope('test', bytes.buffer as ArrayBuffer)).not.toThrow();
  });

  it('refuses a body that stops before the checksum', () => {
    const bytes = writeEnvelope('flat', 'l2', 3, (w) => w.u32(1));
    const { finish } = openEnvelope('test', bytes);
    expect(finish).toThrow(/4 bytes before the checksum/);
  });
});

describe('fvecs / ivecs / bvecs', () => {
  it('round-trip any rows, with offset and limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 12 }),
        fc.nat(14),
        fc.nat(14),
        (d, n, offset, limit) => {
          const floats = Float32Array.from({ length: n * d }, (_, i) =>
            Math.fround(Math.sin(i) * 100),
          );
          const ints = Int32Array.from({ length: n * d }, (_, i) => ((i * 7919) % 1000) - 500);
          const bytes = Uint8Array.from({ length: n * d }, (_, i) => (i * 31) % 256);
          const f = readFvecs(writeFvecs(floats, d), { offset, limit });
          const first = Math.min(offset, n);
          const count = Math.min(limit, n - first);
          expect(f.count).toBe(n === 0 ? 0 : count);
          expect([...f.data]).toEqual([...floats.subarray(first * d, (first + f.count) * d)]);
          expect([...readIvecs(writeIvecs(ints, d)).data]).toEqual([...ints]);
          expect([...readBvecs(writeBvecs(bytes, d)).data]).toEqual([...bytes]);
        },
      ),
    );
  });

  it('rejects truncated files and records of mixed dimensions', () => {
    const bytes = writeFvecs(Float32Array.of(1, 2, 3, 4, 5, 6), 3);
    expect(() => readFvecs(bytes.slice(0, bytes.length - 2))).toThrow(TruncatedIndexError);
    const mixed = new Uint8Array(
      [...writeIvecs([1, 2], 2), ...writeIvecs([1, 2, 3], 3)].slice(0, 24),
    );
    expect(() => readIvecs(mixed)).toThrow(/record 1 declares dimension 3, record 0 declares 2/);
    expect(() => readFvecs(new Uint8Array(8))).toThrow(/record 0 declares dimension 0/);
    expect(() => writeFvecs([1, 2, 3], 2)).toThrow(CorruptIndexError);
  });

  const data = new URL('../../../../../shared/data/ann/siftsmall/', import.meta.url);
  if (!existsSync(data))
    console.log(`skipping the siftsmall file test: no data at ${data.pathname}`);
  it.skipIf(!existsSync(data))(
    'reads the TEXMEX siftsmall files (skipped when ../shared/data is absent)',
    () => {
      const base = readFvecs(readFileSync(new URL('siftsmall_base.fvecs', data)));
      expect(base.count).toBe(10_000);
      expect(base.dimension).toBe(128);
      expect([...base.data.subarray(0, 10)]).toEqual([0, 16, 35, 5, 32, 31, 14, 10, 11, 78]);
      const truth = readIvecs(readFileSync(new URL('siftsmall_groundtruth.ivecs', data)));
      expect(truth.count).toBe(100);
      expect(truth.dimension).toBe(100);
    },
  );
});
