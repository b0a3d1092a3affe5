#!/usr/bin/env node
// The x-demo command. The app is private and runs from its TypeScript sources: through tsx,
// with the workspace's @x/source condition, so a fresh checkout needs no build step.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/cli/run.ts', import.meta.url));
const result = spawnSync(
  process.execPath,
  ['--conditions=@x/source', '--import', 'tsx/esm', source, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
if (result.signal) process.kill(process.pid, result.signal);
process.exit(result.status ?? 1);
