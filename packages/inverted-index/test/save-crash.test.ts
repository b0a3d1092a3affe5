/**
 * Crash safety of saveIndexFile (issue 19's probe): a child saving two
 * versions in turn is killed with SIGKILL mid-save; the file is always one
 * complete version, never a torn one (temporary file, fsync, rename).
 * 5 kills here (a fresh child each, one to three seconds apiece); `npm run fuzz`
 * runs 20 times as many.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeCrashes, killDuringSaves } from '../../../scripts/test-support/save-crash.js';
import { InvertedIndex } from '../src/index.js';

it('a SIGKILL mid-save leaves the old file or the new one', async () => {
  const child = fileURLToPath(new URL('./save-crash-child.ts', import.meta.url));
  const report = await killDuringSaves(child, 5, 19, (bytes) => {
    expect(InvertedIndex.load(bytes).size).toBeGreaterThan(0);
  });
  console.log(describeCrashes('inverted-index saveIndexFile', report));
  expect(report.failures).toEqual([]);
  expect(report.a + report.b).toBe(report.rounds);
}, 300_000);
