/**
 * Is a difference between two systems more than noise? Paired tests over
 * per-query scores, as IR evaluations report them (Smucker, Allan and
 * Carterette 2007): Fisher's randomization test (random sign flips of the
 * per-query differences, two-sided, with the +1 correction of Phipson and
 * Smyth) and a percentile bootstrap confidence interval of the mean
 * difference. Seeded, so a run prints the same figures every time.
 */

import { seededRandom } from '../src/test/index.js';

/** The outcome of comparing system A with system B on the same queries. */
export interface PairedComparison {
  /** Number of queries. */
  n: number;
  /** Mean of A - B. */
  meanDiff: number;
  /** Standard error of the mean difference. */
  standardError: number;
  /** Two-sided p-value of the randomization test. */
  p: number;
  /** 95% bootstrap confidence interval of the mean difference. */
  ci95: [number, number];
}

/**
 * Compares two systems query by query.
 * @param a - per-query scores of system A
 * @param b - per-query scores of system B, same queries in the same order
 * @param options - `rounds` of resampling (default 20,000) and the `seed`
 * @returns the mean difference A - B, its standard error, p and 95% interval
 * @throws RangeError when the arrays differ in length or are empty
 * @example
 * ```ts
 * pairedComparison([0.5, 0.7, 0.9], [0.4, 0.7, 0.6]).meanDiff; // 0.1333...
 * ```
 */
export function pairedComparison(
  a: readonly number[],
  b: readonly number[],
  options: { rounds?: number; seed?: number } = {},
): PairedComparison {
  if (a.length !== b.length || a.length === 0) {
    throw new RangeError(
      `need two equally long, non-empty score lists, got ${a.length} and ${b.length}`,
    );
  }
  const n = a.length;
  const rounds = options.rounds ?? 20_000;
  const random = seededRandom(options.seed ?? 1);
  const diffs = a.map((x, i) => x - b[i]!);
  const mean = diffs.reduce((sum, d) => sum + d, 0) / n;
  const variance = n > 1 ? diffs.reduce((sum, d) => sum + (d - mean) ** 2, 0) / (n - 1) : 0;
  // randomization: under the null hypothesis each difference's sign is a coin flip
  const observed = Math.abs(mean) - 1e-12;
  let asExtreme = 0;
  for (let round = 0; round < rounds; round++) {
    let sum = 0;
    for (const d of diffs) sum += random() < 0.5 ? d : -d;
    if (Math.abs(sum / n) >= observed) asExtreme++;
  }
  // bootstrap: resample queries with replacement
  const means = new Float64Array(rounds);
  for (let round = 0; round < rounds; round++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[Math.floor(random() * n)]!;
    means[round] = sum / n;
  }
  means.sort();
  const at = (q: number) => means[Math.min(rounds - 1, Math.max(0, Math.round(q * (rounds - 1))))]!;
  return {
    n,
    meanDiff: mean,
    standardError: Math.sqrt(variance / n),
    p: (asExtreme + 1) / (rounds + 1),
    ci95: [at(0.025), at(0.975)],
  };
}
