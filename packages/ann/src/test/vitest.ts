/**
 * `@x/ann/vitest`: the `VectorIndex` conformance suite, written with vitest's
 * `describe` / `it` / `expect`, so this entry needs vitest installed (an
 * optional peer dependency) and runs inside a vitest test file. The helpers
 * it checks against (seeded vectors, brute force) are in `@x/ann/test`,
 * which needs no test runner.
 *
 * @example
 * ```ts
 * // my-index.test.ts, run by vitest
 * import { runIndexConformance } from '@x/ann/vitest';
 * runIndexConformance({ name: 'my-index', create: ..., load: ... });
 * ```
 */
export { type ConformanceSubject, runIndexConformance } from './conformance.js';
