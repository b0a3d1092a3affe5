/**
 * Prompt lookup against a brute-force reference: every (suffix length,
 * source, end position) with a match, ordered longest match first, then
 * sequence before passages, then the latest occurrence first; the first
 * `branches` distinct non-empty continuations.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MedusaValueError } from '../errors.js';
import { PromptLookup } from './prompt-lookup.js';

function reference(
  sequence: number[],
  passages: number[][],
  o: { maxMatch: number; minMatch: number; length: number; branches: number },
): number[][] {
  const found: number[][] = [];
  const L = sequence.length;
  for (let n = Math.min(o.maxMatch, L); n >= o.minMatch; n--) {
    const suffix = sequence.slice(L - n);
    [sequence, ...passages].forEach((source, s) => {
      // in the sequence, an occurrence must end before the suffix's last token
      const lastStart = s === 0 ? L - 1 - n : source.length - n;
      for (let start = lastStart; start >= 0; start--) {
        if (source.slice(start, start + n).join() === suffix.join())
          found.push(source.slice(start + n, start + n + o.length));
      }
    });
  }
  const out: number[][] = [];
  for (const c of found)
    if (c.length > 0 && !out.some((d) => d.join() === c.join()) && out.length < o.branches)
      out.push(c);
  return out;
}

describe('PromptLookup', () => {
  it('proposes what followed the longest earlier match', () => {
    expect(new PromptLookup({ minMatch: 2, length: 3 }).propose([5, 6, 7, 8, 1, 5, 6])).toEqual([
      [7, 8, 1],
    ]);
    const lookup = new PromptLookup({
      minMatch: 1,
      length: 2,
      branches: 3,
      passages: [[9, 6, 4, 4]],
    });
    expect(lookup.propose([1, 6, 2, 3, 6, 1, 6])).toEqual([
      [2, 3],
      [1, 6],
      [4, 4],
    ]);
    expect(new PromptLookup().propose([1, 2, 3])).toEqual([]);
  });

  it('equals a brute-force search on random sequences', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 20 }), { maxLength: 2 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        (sequence, passages, minMatch, extra, length, branches) => {
          const options = { minMatch, maxMatch: minMatch + extra, length, branches };
          expect(new PromptLookup({ ...options, passages }).propose(sequence)).toEqual(
            reference(sequence, passages, options),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('names bad options', () => {
    expect(() => new PromptLookup({ length: 0 })).toThrow(MedusaValueError);
    expect(() => new PromptLookup({ minMatch: 5, maxMatch: 2 })).toThrow(
      'minMatch 5 is above maxMatch 2',
    );
  });
});
