/**
 * The backend conformance suite: runs every op of `OP_CASES` on a backend,
 * with inputs in several memory layouts (contiguous, transposed views,
 * strided slices), and compares with the float64 reference. Exported from
 * `@x/tensor/vitest` so every backend package runs the same checks:
 *
 *   import { runConformanceSuite } from '@x/tensor/vitest';
 *   runConformanceSuite({ backend: 'wasm' });
 */
import { describe, expect, it } from 'vitest';
import { OP_CASES } from './cases.js';
import { type ConformanceOptions, checkCase } from './check-case.js';

/**
 * Registers vitest tests that run every op on `options.backend` in every
 * layout and compare with the float64 reference.
 */
export function runConformanceSuite(options: ConformanceOptions): void {
  const layouts = options.layouts ?? ['contiguous', 'transposed', 'strided'];
  describe(`conformance: ${options.backend} (${options.dtype ?? 'float32'})`, () => {
    for (const c of OP_CASES) {
      if (options.skip?.includes(c.name)) continue;
      it.each(layouts)(`${c.name} [%s]`, (layout) => {
        const { out, expected, comparison, tolerance } = checkCase(c, options, layout);
        expect(out.shape).toEqual(expected.shape);
        if (!comparison.ok) {
          const actual = out.toTypedArray()[comparison.at];
          expect.fail(
            `${c.name} [${layout}]: element ${comparison.at} is ${actual}, reference ${expected.data[comparison.at]} (relative error ${comparison.worst.toExponential(2)} > ${tolerance})`,
          );
        }
      });
    }
  });
}
