// The demo's pattern in your own app, with the packages' public APIs only: BM25 and
// vector recall, reciprocal rank fusion, then a continuation grounded in the top
// passages with Medusa decoding (the passages also feed its n-gram branches).
// Run from apps/demo: npx tsx --conditions=@x/source examples/compose.ts
import { HnswIndex } from '@x/ann';
import { InvertedIndex } from '@x/inverted-index';
import { loadBundledModel } from '@x/lm/node';
import { generateMedusa } from '@x/medusa';
import { loadBundledHeads } from '@x/medusa/node';
import { noGrad, tidy } from '@x/tensor';

const passages = [
  { id: 'p1', title: 'ROMEO', text: 'But, soft! what light through yonder window breaks?' },
  { id: 'p2', title: 'JULIET', text: 'O Romeo, Romeo! wherefore art thou Romeo?' },
  { id: 'p3', title: 'MERCUTIO', text: "A plague o' both your houses! I am sped." },
  { id: 'p4', title: 'HAMLET', text: 'To be, or not to be, that is the question.' },
];
const { model, tokenizer } = await loadBundledModel();
const heads = await loadBundledHeads(model);

// any embedding works; here the model's own mean-pooled hidden states (no second model)
function embed(text: string): Float32Array {
  const pool = () =>
    model
      .forward([tokenizer.encode(text)])
      .hidden.mean(1)
      .reshape([-1]);
  return noGrad(() => tidy(() => pool().toTypedArray() as Float32Array)); // tidy frees the tensors
}

const bm25 = new InvertedIndex({ fields: ['title', 'text'], storeFields: ['title', 'text'] });
bm25.addAll(passages);
const vectors = new HnswIndex({ dimension: model.config.hiddenSize, metric: 'cosine' });
passages.forEach((p, i) => vectors.add(i, embed(p.text))); // id = the passage's position

const query = 'what light breaks through the window';
const lists = [
  bm25.search(query, { k: 100 }).map((hit) => String(hit.id)),
  [...vectors.search(embed(query), 100).ids].map((i) => passages[i]!.id),
];
// reciprocal rank fusion, k = 60
const fused = new Map<string, number>();
for (const list of lists)
  list.forEach((id, rank) => fused.set(id, (fused.get(id) ?? 0) + 1 / (60 + rank + 1)));
const top = [...fused]
  .sort((a, b) => b[1] - a[1])
  .map(([id]) => passages.find((p) => p.id === id)!);
console.log('fused:', top.map((p) => p.id).join(' '));

const prompt = `${top[0]!.title}:\n${top[0]!.text}\n`;
const answer = await generateMedusa(model, heads, tokenizer, prompt, {
  maxTokens: 60,
  passages: top.slice(0, 3).map((p) => p.text),
});
console.log(JSON.stringify(prompt + answer.text));
console.log(`${answer.stats.tokensPerStep.toFixed(2)} tokens per forward pass`);
