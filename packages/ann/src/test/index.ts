/**
 * `@x/ann/test`: the `VectorIndex` conformance suite (vitest) and the
 * helpers it checks against: seeded random and clustered vectors, and a naive
 * float64 brute force. Third-party indexes run the same suite.
 */
export { type ConformanceSubject, runIndexConformance } from './conformance.js';
export {
  bruteForce,
  clusteredVectors,
  naiveDistance,
  randomVectors,
  recallOf,
} from './helpers.js';
