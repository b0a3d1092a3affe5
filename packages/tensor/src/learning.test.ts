import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AdamW,
  crossEntropy,
  Embedding,
  Generator,
  Linear,
  Module,
  manualSeed,
  noGrad,
  randint,
  type Tensor,
  tensor,
} from './index.js';

/** The 3-class spiral of CS231n: 100 points per class, radius 0..1, angle noise 0.2. */
function spiral(perClass: number, classes: number, seed: number) {
  const g = new Generator(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < perClass; i++) {
      const r = i / (perClass - 1);
      const t = c * 4 + (4 * i) / (perClass - 1) + g.normal() * 0.2;
      x.push([r * Math.sin(t), r * Math.cos(t)]);
      y.push(c);
    }
  }
  return { x: tensor(x), y: tensor(y, { dtype: 'int32' }) };
}

class MLP extends Module {
  fc1 = new Linear(2, 64);
  fc2 = new Linear(64, 3);
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.fc1.forward(x).relu());
  }
}

describe('learning', () => {
  it('a 2-layer MLP fits the 3-class spiral to >= 95% training accuracy with AdamW', () => {
    manualSeed(0);
    const { x, y } = spiral(100, 3, 1);
    const model = new MLP();
    const optimizer = new AdamW(model.parameters(), { lr: 0.02, weightDecay: 0 });
    const losses: number[] = [];
    for (let step = 0; step < 400; step++) {
      const loss = crossEntropy(model.forward(x), y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      losses.push(loss.item());
    }
    const accuracy = noGrad(() => model.forward(x).argmax(1).eq(y).to('float32').mean().item());
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 5);
  });

  it('a char-level bigram model on tinyshakespeare reaches a loss below 2.6 nats', () => {
    const text = readFileSync(
      new URL('../test/fixtures/tinyshakespeare-head.txt', import.meta.url),
      'utf8',
    );
    const vocabulary = [...new Set(text)].sort();
    const ids = Int32Array.from(text, (ch) => vocabulary.indexOf(ch));
    const inputs = tensor(ids.subarray(0, -1));
    const targets = tensor(ids.subarray(1));
    manualSeed(0);
    const table = new Embedding(vocabulary.length, vocabulary.length);
    const optimizer = new AdamW(table.parameters(), { lr: 0.3, weightDecay: 0 });
    const g = new Generator(2);
    let loss = Number.NaN;
    for (let step = 0; step < 150; step++) {
      const batch = randint(0, inputs.size, [4096], { generator: g });
      const l = crossEntropy(
        table.forward(inputs.indexSelect(0, batch)),
        targets.indexSelect(0, batch),
      );
      optimizer.zeroGrad();
      l.backward();
      optimizer.step();
    }
    loss = noGrad(() => crossEntropy(table.forward(inputs), targets).item());
    // Uniform guessing costs log(V) = ~4.1 nats; the bigram optimum on this text is ~2.45.
    expect(loss).toBeLessThan(2.6);
  });
});
