/**
 * Crash safety of @x/ann/node's saveIndexFile (issue 19's probe): a child
 * saving two versions in turn is killed with SIGKILL mid-save; the file is
 * always one complete version, never a torn one. 3 kills here (the same
 * writeFileAtomic is killed 5 more times by @x/tensor's test); `npm run
 * fuzz` runs 20 times as many.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeCrashes, killDuringSaves } from '../../../scripts/test-support/save-crash.js';
import { loadIndex } from '../src/index.js';

it('a SIGKILL mid-save leaves the old file or the new one', async () => {
  const child = fileURLToPath(new URL('./save-crash-child.ts', import.meta.url));
  const report = await killDuringSaves(child, 3, 29, (bytes) => {
    expect(loadIndex(bytes).size).toBeGreaterThan(0);
  });
  console.log(describeCrashes('ann saveIndexFile', report));
  expect(report.failures).toEqual([]);
  expect(report.a + report.b).toBe(report.rounds);
}, 300_000);
