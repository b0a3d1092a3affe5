/**
 * `@x/ssm/test` is for examples and tests run by any runner: it must not
 * import vitest (or any test runner), directly or through another @x entry.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { externalImports } from '../../../../scripts/test-support/entry-imports.js';

it('@x/ssm/test imports no test runner', async () => {
  const imports = await externalImports(fileURLToPath(new URL('./index.ts', import.meta.url)));
  expect(imports.filter((name) => /^(vitest|@vitest\/|jest|mocha)/.test(name))).toEqual([]);
});
