/**
 * Crash safety of saveSafetensorsFile and writeFileAtomic (which @x/ann's
 * saveIndexFile also uses), issue 19's probe: a child saving two versions in
 * turn is killed with SIGKILL mid-save; the file is always one complete
 * version, never a torn one. 5 kills here; `npm run fuzz` runs 20 times as many.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeCrashes, killDuringSaves } from '../../../scripts/test-support/save-crash.js';
import { loadSafetensors } from '../src/index.js';

it('a SIGKILL mid-save leaves the old file or the new one', async () => {
  const child = fileURLToPath(new URL('./save-crash-child.ts', import.meta.url));
  const report = await killDuringSaves(child, 5, 23, (bytes) => {
    expect(Object.keys(loadSafetensors(bytes).tensors)).toEqual(['w']);
  });
  console.log(describeCrashes('tensor saveSafetensorsFile', report));
  expect(report.failures).toEqual([]);
  expect(report.a + report.b).toBe(report.rounds);
}, 300_000);
