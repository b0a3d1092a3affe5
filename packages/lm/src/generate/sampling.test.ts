/**
 * Sampling against brute-force definitions: the filtered distribution of
 * top-k / top-p / min-p with temperature equals the one computed from the
 * full sorted softmax, the draws follow it, the repetition penalty follows
 * CTRL's rule, and bad settings are named.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LmValueError } from '../errors.js';
import {
  applyRepetitionPenalty,
  argmax,
  filteredDistribution,
  resolveSampling,
  Sampler,
} from './sampling.js';

/** The definition, by sorting the whole softmax (float64). */
function bruteForce(
  logits: number[],
  temperature: number,
  topK: number,
  topP: number,
  minP: number,
) {
  const z = logits.map((l) => l / temperature);
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const order = e.map((_, i) => i).sort((a, b) => e[b]! - e[a]! || a - b);
  let kept = topK > 0 ? order.slice(0, topK) : order;
  if (topP < 1) {
    const total = kept.reduce((s, i) => s + e[i]!, 0);
    let mass = 0;
    const out: number[] = [];
    for (const i of kept) {
      out.push(i);
      mass += e[i]! / total;
      if (mass >= topP) break;
    }
    kept = out;
  }
  const top = e[order[0]!]!;
  kept = kept.filter((i) => e[i]! >= minP * top);
  const sum = kept.reduce((s, i) => s + e[i]!, 0);
  return { ids: kept, probs: kept.map((i) => e[i]! / sum) };
}

describe('filteredDistribution', () => {
  it('equals the brute-force definition (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.integer({ min: 0, max: 10 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (logits, temperature, topK, topP, minP) => {
          const got = filteredDistribution(Float64Array.from(logits), {
            temperature,
            topK,
            topP,
            minP,
          });
          const want = bruteForce(logits, temperature, topK, topP, minP);
          expect([...got.ids]).toEqual(want.ids);
          got.probs.forEach((p, i) => {
            expect(Math.abs(p - want.probs[i]!)).toBeLessThan(1e-12);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('draws follow the distribution (chi-square over 20,000 draws)', () => {
    const logits = Float32Array.from([2, 1, 0.5, 0, -1, -3]);
    const settings = { temperature: 0.8, topK: 5, topP: 0.95, minP: 0.02 };
    const { ids, probs } = filteredDistribution(logits, settings);
    const sampler = new Sampler({ ...settings, seed: 7 });
    const counts = new Map<number, number>();
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const id = sampler.next(Float32Array.from(logits), []);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect([...counts.keys()].every((id) => ids.includes(id))).toBe(true);
    let chi2 = 0;
    ids.forEach((id, i) => {
      const expected = probs[i]! * n;
      chi2 += ((counts.get(id) ?? 0) - expected) ** 2 / expected;
    });
    // 99.9th percentile of chi-square with <= 4 degrees of freedom is 18.5
    expect(chi2).toBeLessThan(18.5);
  });
});

describe('Sampler', () => {
  it('temperature 0 is argmax; the same seed gives the same draws', () => {
    const logits = Float32Array.from([0.1, 3, 2.9, -1]);
    expect(new Sampler().next(logits.slice(), [])).toBe(1);
    expect(argmax([1, Number.NaN, 1])).toBe(0);
    const draw = (seed: number) => {
      const s = new Sampler({ temperature: 1, seed });
      return Array.from({ length: 50 }, () => s.next(logits.slice(), []));
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });

  it('repetition penalty divides positive and multiplies negative logits of seen tokens, once each', () => {
    const logits = Float32Array.from([2, -2, 4, 1]);
    applyRepetitionPenalty(logits, [0, 1, 1, 0], 2);
    expect([...logits]).toEqual([1, -4, 4, 1]);
    const greedy = new Sampler({ repetitionPenalty: 3 });
    expect(greedy.next(Float32Array.from([3, 2.5]), [0])).toBe(1);
  });

  it('names a setting out of range', () => {
    expect(() => resolveSampling({ temperature: -1 })).toThrow(
      'generate: temperature must be >= 0, got -1',
    );
    expect(() => resolveSampling({ topP: 0 })).toThrow(LmValueError);
    expect(() => resolveSampling({ topK: 1.5 })).toThrow('topK must be an integer >= 0');
    expect(() => resolveSampling({ minP: 2 })).toThrow('minP must be in [0, 1]');
    expect(() => resolveSampling({ repetitionPenalty: 0 })).toThrow(
      'repetitionPenalty must be > 0',
    );
  });
});
