/**
 * The error function in float64, accurate to about 1e-15 relative: the
 * everywhere-convergent series erf(x) = 2/sqrt(pi) * exp(-x^2) *
 * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)) for |x| < 3 (all terms positive, no
 * cancellation), and the Lentz continued fraction of erfc for |x| >= 3
 * (Abramowitz & Stegun 7.1.6 and 7.1.14).
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/**
 * erf(x) = 2/sqrt(pi) * integral from 0 to x of exp(-t^2) dt.
 * @param x - any number
 * @returns erf(x), in [-1, 1]; NaN for NaN
 * @example erf(1) // 0.8427007929497149
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax >= 3) return Math.sign(x) * (1 - erfcLarge(ax));
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x >= 3 by the continued fraction erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))). */
function erfcLarge(x: number): number {
  if (x > 27) return 0;
  // Modified Lentz for f = x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (ONE_OVER_SQRT_PI * Math.exp(-x * x)) / f;
}
