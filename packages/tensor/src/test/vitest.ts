/**
 * `@x/tensor/vitest`: the backend conformance suite, written with vitest's
 * `describe` / `it` / `expect`, so this entry needs vitest installed (an
 * optional peer dependency) and runs inside a vitest test file. The op table,
 * the float64 oracle and `checkCase` it is built on are in `@x/tensor/test`,
 * which needs no test runner.
 *
 * @example
 * ```ts
 * // my-backend.test.ts, run by vitest
 * import { runConformanceSuite } from '@x/tensor/vitest';
 * runConformanceSuite({ backend: 'my-backend' });
 * ```
 */
export { runConformanceSuite } from './conformance.js';
