/**
 * The toolkit's embedded default job (until the demo app lands): train a tiny
 * character-level language model with @x/tensor on the bundled slice of
 * tinyshakespeare and watch its loss fall, then sample from it.
 *
 *   npm ci && npm start
 *
 * Model: the previous 3 characters -> embeddings (3 x 16) -> Linear(48, 128)
 * -> tanh -> Linear(128, vocabulary) (Bengio et al. 2003's MLP language model),
 * trained with AdamW and a cosine schedule on random mini-batches.
 */
import { readFileSync } from 'node:fs';
import {
  AdamW,
  cosineSchedule,
  crossEntropy,
  Embedding,
  Generator,
  Linear,
  LRScheduler,
  Module,
  manualSeed,
  noGrad,
  randint,
  type Tensor,
  tensor,
  tidy,
} from '@x/tensor';

const CONTEXT = 3;
const steps = Number(process.argv[process.argv.indexOf('--steps') + 1]) || 600;

const text = readFileSync(
  new URL('../packages/tensor/test/fixtures/tinyshakespeare-head.txt', import.meta.url),
  'utf8',
);
const vocabulary = [...new Set(text)].sort();
const ids = Int32Array.from(text, (ch) => vocabulary.indexOf(ch));
const windows = ids.length - CONTEXT;
const contexts = new Int32Array(windows * CONTEXT);
for (let i = 0; i < windows; i++) contexts.set(ids.subarray(i, i + CONTEXT), i * CONTEXT);
const inputs = tensor(contexts, { shape: [windows, CONTEXT] });
const targets = tensor(ids.subarray(CONTEXT));

class CharMLP extends Module {
  embed = new Embedding(vocabulary.length, 16);
  hidden = new Linear(CONTEXT * 16, 128);
  out = new Linear(128, vocabulary.length);
  forward(context: Tensor): Tensor {
    const e = this.embed.forward(context).reshape(context.shape[0]!, CONTEXT * 16);
    return this.out.forward(this.hidden.forward(e).tanh());
  }
}

manualSeed(42);
const model = new CharMLP();
const optimizer = new AdamW(model.parameters(), { lr: 0.01, weightDecay: 0.01 });
const scheduler = new LRScheduler(
  optimizer,
  cosineSchedule({ totalSteps: steps, warmupSteps: 20, minFactor: 0.1 }),
);
const batches = new Generator(7);
console.log(
  `training a ${model.parameterCount()}-parameter character model on ${text.length} characters of Shakespeare (vocabulary ${vocabulary.length})`,
);
const started = performance.now();
let first = Number.NaN;
let last = Number.NaN;
for (let step = 0; step <= steps; step++) {
  const loss = tidy(() => {
    const batch = randint(0, windows, [256], { generator: batches });
    const l = crossEntropy(
      model.forward(inputs.indexSelect(0, batch)),
      targets.indexSelect(0, batch),
    );
    optimizer.zeroGrad();
    l.backward();
    optimizer.step();
    return l.item();
  });
  scheduler.step();
  if (step === 0) first = loss;
  if (step % 100 === 0)
    console.log(
      `step ${String(step).padStart(4)}  loss ${loss.toFixed(3)}  lr ${optimizer.lr.toExponential(2)}`,
    );
}
const fullLoss = noGrad(() => tidy(() => crossEntropy(model.forward(inputs), targets).item()));
last = fullLoss;
const seconds = (performance.now() - started) / 1000;
console.log(
  `loss over the whole text: ${fullLoss.toFixed(3)} nats (uniform guessing: ${Math.log(vocabulary.length).toFixed(3)}), ${seconds.toFixed(1)} s`,
);

// Sample 200 characters, temperature 0.8.
const sampler = new Generator(1);
let context = Array.from(ids.subarray(0, CONTEXT));
let sample = context.map((i) => vocabulary[i]).join('');
noGrad(() => {
  for (let i = 0; i < 200; i++) {
    const probs = tidy(() =>
      model
        .forward(tensor([context], { dtype: 'int32' }))
        .div(0.8)
        .softmax(-1)
        .toTypedArray(),
    );
    let u = sampler.uniform();
    let next = 0;
    while (next < probs.length - 1 && u >= probs[next]!) u -= probs[next++]!;
    sample += vocabulary[next];
    context = [...context.slice(1), next];
  }
});
console.log(`--- sample ---\n${sample}\n--------------`);
console.log(
  JSON.stringify({
    example: 'train-tiny',
    steps,
    firstLoss: Number(first.toFixed(4)),
    finalLoss: Number(last.toFixed(4)),
    seconds: Number(seconds.toFixed(2)),
  }),
);
