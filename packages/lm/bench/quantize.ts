/**
 * What `quantize` costs on the bundled model: the largest logit change on
 * a probe sequence and the validation loss before and after, on the whole
 * committed tinyshakespeare validation slice (16k characters, windows of
 * 128), for int8 per group of 32 and 64, bfloat16 and float16 weights.
 *
 *   npx tsx --conditions=@x/source bench/quantize.ts
 */
import { readFileSync } from 'node:fs';
import { quantize } from '../src/index.js';
import { loadBundledModel } from '../src/node/index.js';

const slice = readFileSync(
  new URL('../test/fixtures/tinyshakespeare-val-16k.txt', import.meta.url),
  'utf8',
);
const { model, tokenizer } = await loadBundledModel();
const validation = tokenizer.encode(slice);
console.log('| weights | group | max logit error | loss before | loss after | change |');
console.log('|---|---|---|---|---|---|');
const reports = [];
for (const [weights, groupSize] of [
  ['int8', 32],
  ['int8', 64],
  ['bf16', 32],
  ['fp16', 32],
] as const) {
  const r = quantize(model, { weights, groupSize, validation, evaluate: { blockSize: 128 } });
  reports.push(r);
  console.log(
    `| ${weights} | ${weights === 'int8' ? groupSize : '-'} | ${r.maxLogitError.toPrecision(3)} | ${r.baselineLoss!.toFixed(4)} | ${r.quantizedLoss!.toFixed(4)} | ${(100 * r.relativeLossChange!).toFixed(4)}% |`,
  );
}
console.log(JSON.stringify({ bench: '@x/lm quantize', reports }));
