/**
 * Child of save-crash.test.ts: writes the two reference snapshots, then
 * saves them alternately to the target with saveIndexFile until killed.
 */
import { writeFileSync } from 'node:fs';
import { InvertedIndex } from '../src/index.js';
import { saveIndexFile } from '../src/node/index.js';
import { randomTexts, seededRandom } from '../src/test/index.js';

const [target, refA, refB] = process.argv.slice(2) as [string, string, string];
const vocabulary = Array.from({ length: 300 }, (_, i) => `w${i.toString(36)}`);
/** A small index with a large stored field, so a save spends its time writing. */
function version(seed: number, count: number, blobBytes: number): InvertedIndex {
  const index = new InvertedIndex({ fields: ['text'], storeFields: ['text', 'blob'] });
  randomTexts(seededRandom(seed), count, vocabulary, 50).forEach((text, id) =>
    index.add({ id, text, blob: id === 0 ? 'x'.repeat(blobBytes) : '' }),
  );
  return index;
}
const a = version(1, 200, 3_000_000);
const b = version(2, 300, 5_000_000);
writeFileSync(refA, a.save());
writeFileSync(refB, b.save());
const start = performance.now();
await saveIndexFile(target, a);
await saveIndexFile(target, b);
process.stdout.write(`ready ${performance.now() - start}\n`);
for (let round = 0; ; round++) await saveIndexFile(target, round % 2 === 0 ? a : b);
