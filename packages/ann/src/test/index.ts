/**
 * `@x/ann/test`: helpers for tests and examples that need no test runner:
 * seeded random and clustered vectors, a naive float64 brute force and
 * recall. The vitest conformance suite that checks an index against them is
 * in `@x/ann/vitest`.
 */
export {
  bruteForce,
  clusteredVectors,
  naiveDistance,
  randomVectors,
  recallOf,
} from './helpers.js';
