/**
 * Stands in for vitest in the browser bundle: `@x/tensor/test` imports it at
 * the top for `runConformanceSuite`, which the browser check never calls (it
 * runs the op table through `checkCase`).
 */
const unused = (): never => {
  throw new Error('vitest is not available in the browser check');
};
export const describe = unused;
export const it = unused;
export const expect = unused;
