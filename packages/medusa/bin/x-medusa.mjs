#!/usr/bin/env node
// The x-medusa command: the built CLI when the package is installed, or the TypeScript sources
// (through tsx, with the workspace's @x/source condition) in a repository checkout without a build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/cli/run.js', import.meta.url);
if (existsSync(fileURLToPath(dist))) await import(dist.href);
else {
  const source = fileURLToPath(new URL('../src/cli/run.ts', import.meta.url));
  const result = spawnSync(
    process.execPath,
    ['--conditions=@x/source', '--import', 'tsx/esm', source, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(result.status ?? 1);
}
