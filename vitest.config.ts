import { defineConfig } from 'vitest/config';

/**
 * One `vitest run` covers every workspace. Each package has its own
 * `vitest.config.ts`; tests import sources through the `@x/source` export
 * condition, so nothing needs to be built before testing.
 */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'scripts'],
  },
});
