/**
 * Every workspace README's first example (see readme-example.ts for the rule),
 * run on the sources (the `@x/source` export condition, no build) as
 * `npx tsx example.ts` would run it, and its output compared with the output
 * the README prints. `npm run release:check` runs the same examples against
 * the packages installed from a registry, in Node and in headless Chromium.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareOutput, readmeExample } from './readme-example.js';
import { runExample } from './run-example.js';
import { listWorkspaces, repositoryRoot } from './workspace.js';

const workspaces = listWorkspaces().map((workspace) => {
  const readmePath = join(workspace.dir, 'README.md');
  const example = existsSync(readmePath) ? readmeExample(readFileSync(readmePath, 'utf8')) : null;
  return { ...workspace, example };
});

describe('README examples', () => {
  const without = workspaces.filter((w) => w.example === null).map((w) => w.manifest.name);
  if (without.length > 0) console.log(`README examples: none yet in ${without.join(', ')}`);

  for (const workspace of workspaces.filter((w) => w.example !== null)) {
    const example = workspace.example!;
    it(`${workspace.manifest.name}: the first example runs and prints what the README shows`, async () => {
      const run = await runExample(
        join(repositoryRoot, '.readme-check', workspace.relativeDir.replaceAll('/', '-')),
        example.code,
        example.language,
        { conditions: ['@x/source'] },
      );
      expect(run.exitCode, `${run.file} failed:\n${run.stderr}`).toBe(0);
      if (example.expected !== null) {
        const difference = compareOutput(example.expected, run.stdout, example.tolerances);
        expect(
          difference,
          `${workspace.relativeDir}/README.md vs what it printed:\n${run.stdout}`,
        ).toBeNull();
      }
    });
  }
});
