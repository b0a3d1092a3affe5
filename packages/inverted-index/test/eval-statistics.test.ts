import { describe, expect, it } from 'vitest';
import { averagePrecision, ndcg, ndcgPerQuery, recall } from '../bench/metrics.js';
import { pairedComparison } from '../bench/significance.js';
import { seededRandom } from '../src/test/index.js';

describe('eval metrics (trec_eval definitions, hand-computed)', () => {
  const judged = new Map([
    ['d1', 1],
    ['d3', 2],
    ['d9', 0],
  ]);
  it('nDCG@k uses the grade as gain and a log2 discount', () => {
    // DCG = 1/log2(2) + 2/log2(4) = 2; ideal = 2/log2(2) + 1/log2(3)
    expect(ndcg(['d1', 'd2', 'd3'], judged, 10)).toBeCloseTo(2 / (2 + 1 / Math.log2(3)), 12);
    expect(ndcg(['d3', 'd1'], judged, 10)).toBe(1);
    expect(ndcg(['d2', 'd9'], judged, 10)).toBe(0);
    expect(ndcg(['d2', 'd1'], judged, 1)).toBe(0);
  });
  it('Recall@k and AP@k count only positive grades', () => {
    expect(recall(['d1', 'd2', 'd9'], judged, 100)).toBe(0.5);
    expect(averagePrecision(['d2', 'd1', 'd3'], judged, 100)).toBeCloseTo((1 / 2 + 2 / 3) / 2, 12);
    expect(averagePrecision(['d2', 'd1', 'd3'], judged, 2)).toBeCloseTo(1 / 2 / 2, 12);
  });
  it('per-query nDCG follows the order of the judged queries; a missing run scores 0', () => {
    const qrels = new Map([
      ['q2', new Map([['a', 1]])],
      ['q1', new Map([['b', 1]])],
    ]);
    expect(ndcgPerQuery(new Map([['q1', ['b']]]), qrels)).toEqual([0, 1]);
  });
});

/** The exact two-sided sign-flip p-value, by enumerating all 2^n flips. */
function exactP(diffs: number[]): number {
  const n = diffs.length;
  const observed = Math.abs(diffs.reduce((a, b) => a + b, 0)) - 1e-12;
  let extreme = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += mask & (1 << i) ? -diffs[i]! : diffs[i]!;
    if (Math.abs(sum) >= observed) extreme++;
  }
  return extreme / (1 << n);
}

describe('paired comparison', () => {
  it('the randomization p-value matches exact enumeration of the sign flips', () => {
    const random = seededRandom(7);
    for (const n of [6, 10, 12]) {
      const a = Array.from({ length: n }, () => random());
      const b = a.map((x) => x - 0.15 + 0.4 * random());
      const exact = exactP(a.map((x, i) => x - b[i]!));
      const result = pairedComparison(a, b, { rounds: 40_000, seed: n });
      // 40k rounds: the binomial standard error is at most 0.0025
      expect(Math.abs(result.p - exact)).toBeLessThan(0.01);
    }
  });
  it('the bootstrap interval is close to mean ± 1.96 standard errors on many queries', () => {
    const random = seededRandom(3);
    const a = Array.from({ length: 2000 }, () => random());
    const b = a.map((x) => x - 0.02 + 0.3 * (random() - 0.5));
    const result = pairedComparison(a, b, { rounds: 5000 });
    expect(result.meanDiff).toBeCloseTo(a.reduce((s, x, i) => s + x - b[i]!, 0) / 2000, 12);
    const half = 1.96 * result.standardError;
    expect(result.ci95[0]).toBeCloseTo(result.meanDiff - half, 2);
    expect(result.ci95[1]).toBeCloseTo(result.meanDiff + half, 2);
    expect(result.p).toBeLessThan(0.001);
  });
  it('identical systems: no difference, p = 1; the same seed gives the same figures', () => {
    const a = [0.1, 0.5, 0.9, 0.3];
    const same = pairedComparison(a, a);
    expect(same.meanDiff).toBe(0);
    expect(same.p).toBe(1);
    expect(pairedComparison(a, [0.2, 0.1, 0.5, 0.3])).toEqual(
      pairedComparison(a, [0.2, 0.1, 0.5, 0.3]),
    );
  });
  it('rejects lists of different lengths with both lengths in the message', () => {
    expect(() => pairedComparison([1, 2], [1])).toThrow(/2 and 1/);
    expect(() => pairedComparison([], [])).toThrow(RangeError);
  });
});
