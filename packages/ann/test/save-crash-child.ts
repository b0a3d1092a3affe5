/**
 * Child of save-crash.test.ts: writes the two reference files, then saves
 * two flat indexes alternately to the target with saveIndexFile until killed.
 */
import { writeFileSync } from 'node:fs';
import { FlatIndex } from '../src/index.js';
import { saveIndexFile } from '../src/node/index.js';
import { randomVectors } from '../src/test/index.js';

const [target, refA, refB] = process.argv.slice(2) as [string, string, string];
function version(count: number, seed: number): FlatIndex {
  const index = new FlatIndex({ dimension: 64 });
  index.addBatch(randomVectors(count, 64, seed));
  return index;
}
const a = version(12_000, 1); // 3 MB
const b = version(20_000, 2); // 5 MB
writeFileSync(refA, a.save());
writeFileSync(refB, b.save());
const start = performance.now();
await saveIndexFile(target, a);
await saveIndexFile(target, b);
process.stdout.write(`ready ${performance.now() - start}\n`);
for (let round = 0; ; round++) await saveIndexFile(target, round % 2 === 0 ? a : b);
