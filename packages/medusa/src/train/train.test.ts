/**
 * Self-distillation: the data is the base model's own greedy continuation
 * (equal to @x/lm's `generate`), the targets are the base model's argmax k +
 * 2 ahead (checked against a separate full forward per sequence), training
 * lowers every head's loss and raises held-out accuracy, and the accuracy
 * equals ranks counted by sorting each row.
 */
import { generate, type LanguageModel } from '@x/lm';
import { noGrad, tensor } from '@x/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { split, tinyModel, tokenizer } from '../../test/models.js';
import { MedusaValueError } from '../errors.js';
import { MedusaHeads } from '../heads/medusa-heads.js';
import { distillationData, IGNORE, withTargets } from './distill-data.js';
import { headAccuracy } from './head-accuracy.js';
import { trainHeads } from './train-heads.js';

let model: LanguageModel;
beforeAll(async () => {
  model = await tinyModel(100);
}, 120_000);

describe('distillationData', () => {
  it("holds the base model's greedy continuations and its argmax k + 2 ahead", async () => {
    const data = await distillationData(model, split.train, 3, {
      sequences: 3,
      promptLength: 8,
      continuationLength: 20,
      batchSize: 2,
    });
    expect(data.sequences).toHaveLength(3);
    expect(data.positions).toBe(3 * 28);
    for (const [s, sequence] of data.sequences.entries()) {
      const prompt = sequence.slice(0, 8);
      const plain = await generate(model, tokenizer, tokenizer.decode(prompt), {
        maxTokens: 20,
        stopIds: [],
      });
      expect(sequence.slice(8)).toEqual(plain.ids);
      // targets against a full forward of this sequence alone
      const logits = noGrad(() => model.forward([sequence]).logits.toArray() as number[][][]);
      const argmax = logits[0]!.map((row) => row.indexOf(Math.max(...row)));
      for (let t = 0; t < 28; t++) {
        for (let k = 0; k < 3; k++) {
          const want = t + k + 1 < 28 ? argmax[t + k + 1]! : IGNORE;
          expect(data.targets[(s * 28 + t) * 3 + k]).toBe(want);
        }
        expect(data.generated[s * 28 + t]).toBe(t >= 7 ? 1 : 0);
      }
      const hidden = noGrad(() => model.forward([sequence]).hidden.toTypedArray());
      const stored = data.hidden.subarray(s * 28 * 48, (s + 1) * 28 * 48);
      for (let i = 0; i < stored.length; i++) expect(stored[i]).toBeCloseTo(hidden[i]!, 5);
    }
    // without a corpus the model writes its own prompts
    const own = await distillationData(model, null, 2, {
      sequences: 2,
      promptLength: 4,
      continuationLength: 4,
    });
    expect(own.sequences.map((s) => s.length)).toEqual([8, 8]);
    await expect(distillationData(model, [1, 2], 2, { promptLength: 4 })).rejects.toThrow(
      'the corpus has 2 tokens, fewer than a prompt of 4 + 1',
    );
    await expect(distillationData(model, null, 0)).rejects.toThrow(MedusaValueError);
  });
});

describe('trainHeads and headAccuracy', () => {
  it('lowers every head loss and raises held-out accuracy; accuracy equals sorted ranks', async () => {
    const data = await distillationData(model, split.train, 3, {
      sequences: 16,
      promptLength: 8,
      continuationLength: 40,
      batchSize: 16,
    });
    const held = await distillationData(model, split.val, 3, {
      sequences: 6,
      promptLength: 8,
      continuationLength: 40,
      seed: 4,
    });
    const heads = new MedusaHeads(model, { heads: 3 });
    const before = headAccuracy(heads, held);
    const events: number[] = [];
    const { history } = await trainHeads(heads, data, {
      steps: 120,
      batchSize: 64,
      learningRate: 5e-3,
      onProgress: (e) => events.push(e.step),
    });
    expect(events).toHaveLength(120);
    const first = history[0]!.headLosses;
    const last = history.slice(-10).map((h) => h.headLosses);
    for (let k = 0; k < 3; k++) {
      const late = last.reduce((a, h) => a + h[k]!, 0) / last.length;
      expect(late, `head ${k}`).toBeLessThan(first[k]! * 0.8);
    }
    const after = headAccuracy(heads, held);
    for (let k = 0; k < 3; k++)
      expect(after.top1[k]!, `head ${k}`).toBeGreaterThan(before.top1[k]!);
    // against ranks from sorting each row of logits
    const V = tokenizer.vocabSize;
    const counts = [Array(10).fill(0), Array(10).fill(0), Array(10).fill(0)];
    const measured = [0, 0, 0];
    noGrad(() => {
      const hidden = tensor(held.hidden, { shape: [held.positions, 48] });
      for (let k = 0; k < 3; k++) {
        const logits = heads.logits(k, hidden).toTypedArray();
        for (let i = 0; i < held.positions; i++) {
          const target = held.targets[i * 3 + k]!;
          if (target === IGNORE || !held.generated[i]) continue;
          measured[k]!++;
          const order = Array.from({ length: V }, (_, j) => j).sort(
            (a, b) => logits[i * V + b]! - logits[i * V + a]! || a - b,
          );
          const rank = order.indexOf(target);
          if (rank < 10) counts[k]![rank]++;
        }
      }
    });
    for (let k = 0; k < 3; k++) {
      counts[k]!.forEach((c, r) => expect(after.rank[k]![r]).toBeCloseTo(c / measured[k]!, 12));
      expect(after.top5[k]).toBeCloseTo(
        counts[k]!.slice(0, 5).reduce((a, b) => a + b, 0) / measured[k]!,
        12,
      );
    }
    expect(after.positions).toBe(Math.min(...measured));
    await expect(trainHeads(heads, data, { decay: 0 })).rejects.toThrow('decay must be in (0, 1]');
    await expect(trainHeads(new MedusaHeads(model, { heads: 2 }), data)).rejects.toThrow(
      'the data is for 3 heads of width 48, the heads are 2 of width 48',
    );
  });

  it('withTargets marks nothing generated from position 0 on, all by default', () => {
    const data = withTargets(model, [[1, 2, 3]], 2);
    expect([...data.generated]).toEqual([1, 1, 1]);
    expect([...data.targets.subarray(4)]).toEqual([IGNORE, IGNORE]);
  });
});
