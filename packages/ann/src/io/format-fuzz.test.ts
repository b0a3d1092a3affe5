/**
 * Fuzz of the saved-index format of every index kind (issue 19's probe):
 * truncations at every 1/64 and seeded random byte flips, raw (the length
 * and checksum checks must catch every one) and resealed with a recomputed
 * checksum (the body readers' structural checks must catch them, or the
 * bytes load to an index that searches and round-trips). Every case ends in
 * an AnnError within one second: no hang, crash, allocation sized by a
 * corrupt length, or silent wrong result. 5 x 664 cases here; `npm run
 * fuzz` runs 20 times the flips.
 */
import { describe, expect, it } from 'vitest';
import {
  describeFuzz,
  fuzzCases,
  fuzzScale,
  runFuzz,
} from '../../../../scripts/test-support/format-fuzz.js';
import { INDEX_KINDS } from '../__fixtures__/index-kinds.js';
import { AnnError } from '../errors.js';
import { loadIndex } from '../load-index.js';
import { randomVectors } from '../test/helpers.js';
import { crc32 } from './crc32.js';

function reseal(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(out.length - 4, crc32(out, 0, out.length - 4), true);
  return out;
}

describe.each(INDEX_KINDS)('$name file', ({ name, build }) => {
  it('every truncated or corrupted file gets a named error, or loads to a usable index', () => {
    const original = build(120, 8).save();
    const queries = randomVectors(3, 8, 77);
    const report = runFuzz(
      fuzzCases(original, { seed: 19 + original.length, flips: 300, reseal }),
      (bytes) => loadIndex(bytes),
      (error) => AnnError.isInstance(error),
      (index, fuzzCase) => {
        if (!fuzzCase.resealed) throw new Error('a damaged file loaded without an error');
        try {
          const result = index.searchBatch(queries, 5);
          const again = loadIndex(index.save()).searchBatch(queries, 5);
          expect([...again.ids]).toEqual([...result.ids]);
        } catch (error) {
          if (!AnnError.isInstance(error)) throw error;
        }
      },
    );
    console.log(describeFuzz(`${name}`, report));
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(64 + 600 * fuzzScale());
  });
});
