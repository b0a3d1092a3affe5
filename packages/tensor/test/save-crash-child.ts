/**
 * Child of save-crash.test.ts: writes the two reference files, then saves
 * them alternately to the target with saveSafetensorsFile until killed.
 */
import { writeFileSync } from 'node:fs';
import { saveSafetensors, tensor } from '../src/index.js';
import { saveSafetensorsFile } from '../src/node/index.js';

const [target, refA, refB] = process.argv.slice(2) as [string, string, string];
const weights = (n: number, value: number) => ({
  w: tensor(new Float32Array(n).fill(value), { shape: [n] }),
});
const a = weights(750_000, 1); // 3 MB
const b = weights(1_250_000, 2); // 5 MB
writeFileSync(refA, saveSafetensors(a));
writeFileSync(refB, saveSafetensors(b));
const start = performance.now();
await saveSafetensorsFile(target, a);
await saveSafetensorsFile(target, b);
process.stdout.write(`ready ${performance.now() - start}\n`);
for (let round = 0; ; round++) await saveSafetensorsFile(target, round % 2 === 0 ? a : b);
