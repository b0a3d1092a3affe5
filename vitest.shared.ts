import { defaultServerConditions, type UserConfig } from 'vite';
import { defineProject } from 'vitest/config';

/**
 * The vitest project settings every workspace shares: tests import the
 * TypeScript sources of sibling packages through the `@x/source` export
 * condition, so no build is needed before `vitest run`.
 */
export function xProject(name: string, overrides: UserConfig['test'] = {}) {
  return defineProject({
    resolve: { conditions: ['@x/source', ...defaultServerConditions] },
    ssr: { resolve: { conditions: ['@x/source', ...defaultServerConditions] } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 60_000,
      ...overrides,
    },
  });
}
