/**
 * The README's first example: heads for a model in about a minute, then
 * Medusa decoding next to plain decoding (same text, fewer passes).
 *
 *   npm run example -w @x/medusa                      # the bundled model of @x/lm
 *   npm run example -w @x/medusa -- --model DIR       # any GPT-2 / Llama checkpoint folder
 */
import { generate } from '@x/lm';
import { loadModel, loadTokenizer } from '@x/lm/node';
import { generateMedusa, trainMedusa } from '@x/medusa';
import { saveHeads } from '@x/medusa/node';

const at = process.argv.indexOf('--model');
const dir =
  at > 0
    ? process.argv[at + 1]!
    : new URL('../../lm/models/char-shakespeare/', import.meta.url).pathname;
const model = await loadModel(dir);
const tokenizer = await loadTokenizer(dir);

// 1. heads by self-distillation: the model writes text (no corpus: from its own prompts), the
//    heads learn its continuations; held-out accuracy is measured on other samples
const { heads, accuracy } = await trainMedusa(model, null, {
  heads: 4,
  sequences: 64,
  continuationLength: 64,
  steps: 300,
});
console.log('head top-1:', accuracy.top1.map((a) => a.toFixed(2)).join(' '));
await saveHeads('./medusa-heads', heads);

// 2. decode: the tree is chosen for this machine; greedy output equals plain greedy decoding
const prompt = 'JULIET:\nO Romeo, Romeo! wherefore art thou';
const plain = await generate(model, tokenizer, prompt, { maxTokens: 60 });
const medusa = await generateMedusa(model, heads, tokenizer, prompt, { maxTokens: 60 });
console.log(JSON.stringify(medusa.text));
console.log('same text as plain decoding:', medusa.text === plain.text);
console.log(
  `${medusa.stats.tokensPerStep.toFixed(2)} tokens per pass; ${medusa.stats.decodeTokensPerSecond.toFixed(0)} tok/s vs ${plain.stats.decodeTokensPerSecond.toFixed(0)} plain`,
);
