/**
 * Text generation with Medusa end to end: streamed steps add up to the
 * result; stop strings, stop ids, budgets, the context end and abort give
 * what @x/lm's `generate` gives; passages feed the n-gram branches; typical
 * acceptance samples reproducibly; bad options get named errors.
 */
import { createModel, generate, type LanguageModel, parseModelConfig, streamText } from '@x/lm';
import { beforeAll, describe, expect, it } from 'vitest';
import { shakespeare, tinyHeads, tinyModel, tokenizer } from '../../test/models.js';
import { MedusaValueError, TreeError } from '../errors.js';
import { MedusaHeads } from '../heads/medusa-heads.js';
import { medusaTree } from '../tree/medusa-tree.js';
import { generateMedusa, streamMedusa } from './generate-medusa.js';

let model: LanguageModel;
let heads: MedusaHeads;
beforeAll(async () => {
  model = await tinyModel(80);
  heads = await tinyHeads(model, { steps: 100 });
}, 180_000);

const tree = () => medusaTree([[0], [1], [0, 0], [0, 1], [0, 0, 0]]);
const prompt = 'ROMEO:\nWhat';

describe('streamMedusa', () => {
  it('streams steps whose text and ids add up to the result, with per-step statistics', async () => {
    const stream = streamMedusa(model, heads, tokenizer, prompt, { maxTokens: 60, tree: tree() });
    let text = '';
    const ids: number[] = [];
    let step = await stream.next();
    let steps = 0;
    let passes = 0;
    while (!step.done) {
      const { stats } = step.value;
      text += step.value.text;
      ids.push(...step.value.ids);
      // a step whose root ends the sequence makes no pass (treeSize 0)
      if (stats.treeSize > 0) passes++;
      expect(stats.accepted).toBeLessThanOrEqual(Math.max(0, stats.treeSize - 1));
      expect(step.value.ids.length).toBeLessThanOrEqual(stats.accepted + 1);
      for (const ms of [stats.headsMs, stats.verifyMs, stats.bookkeepingMs])
        expect(ms).toBeGreaterThanOrEqual(0);
      steps++;
      step = await stream.next();
    }
    const result = step.value;
    expect(ids).toEqual(result.ids);
    expect(result.text.startsWith(text)).toBe(true);
    expect(result.text).toBe(tokenizer.decode(result.ids));
    expect(result.stats.steps).toBe(passes);
    expect(steps - passes).toBeLessThanOrEqual(1);
    expect(result.stats.generatedTokens).toBe(60);
    expect(result.stats.tokensPerStep).toBeGreaterThan(1);
    const plain = await generate(model, tokenizer, prompt, { maxTokens: 60 });
    expect(result.text).toBe(plain.text);
  });

  it('stop strings cut where generate cuts, and streamed text never shows them', async () => {
    const free = await generate(model, tokenizer, prompt, { maxTokens: 60 });
    for (const stop of [free.text.slice(10, 12), free.text.slice(30, 33), '\n\n', 'zzz']) {
      const plain = await generate(model, tokenizer, prompt, { maxTokens: 60, stop: [stop] });
      const stream = streamMedusa(model, heads, tokenizer, prompt, {
        maxTokens: 60,
        stop: [stop],
        tree: tree(),
      });
      let streamed = '';
      let step = await stream.next();
      while (!step.done) {
        streamed += step.value.text;
        step = await stream.next();
      }
      expect(step.value.text, JSON.stringify(stop)).toBe(plain.text);
      expect(step.value.ids).toEqual(plain.ids);
      expect(step.value.finishReason).toBe(plain.finishReason);
      expect(streamed.includes(stop)).toBe(false);
      expect(plain.text.startsWith(streamed)).toBe(true);
    }
  });

  it('stop ids, budgets and the context end stop exactly where generate stops', async () => {
    const free = await generate(model, tokenizer, prompt, { maxTokens: 40 });
    const stopIds = [free.ids[7]!];
    const cases = [
      { prompt, options: { maxTokens: 40, stopIds } },
      { prompt, options: { maxTokens: 0 } },
      { prompt, options: { maxTokens: 1 } },
      { prompt, options: { maxTokens: 5 } },
      { prompt: shakespeare.slice(0, 120), options: { maxTokens: 40 } },
      { prompt: shakespeare.slice(0, 128), options: { maxTokens: 40 } },
    ];
    for (const c of cases) {
      const plain = await generate(model, tokenizer, c.prompt, c.options);
      for (const ngrams of [false as const, { minMatch: 2 }]) {
        const medusa = await generateMedusa(model, heads, tokenizer, c.prompt, {
          ...c.options,
          tree: tree(),
          ngrams,
        });
        expect(medusa.ids, JSON.stringify(c.options)).toEqual(plain.ids);
        expect(medusa.finishReason).toBe(plain.finishReason);
      }
    }
  });

  it('an AbortSignal stops between steps', async () => {
    const controller = new AbortController();
    const stream = streamMedusa(model, heads, tokenizer, prompt, {
      maxTokens: 100,
      tree: tree(),
      signal: controller.signal,
    });
    let step = await stream.next();
    let steps = 0;
    while (!step.done) {
      if (++steps === 3) controller.abort();
      step = await stream.next();
    }
    expect(step.value.finishReason).toBe('abort');
    expect(step.value.ids.length).toBeLessThan(100);
  });

  it('passages feed the n-gram branches', async () => {
    const plain = await generate(model, tokenizer, prompt, { maxTokens: 50 });
    const alone = await generateMedusa(model, null, tokenizer, prompt, { maxTokens: 50 });
    const withPassage = await generateMedusa(model, null, tokenizer, prompt, {
      maxTokens: 50,
      passages: [`A passage that holds ${prompt}${plain.text} word for word.`],
    });
    expect(withPassage.ids).toEqual(plain.ids);
    expect(alone.ids).toEqual(plain.ids);
    expect(withPassage.stats.ngramSteps).toBeGreaterThan(0);
    expect(withPassage.stats.tokensPerStep).toBeGreaterThan(Math.max(3, alone.stats.tokensPerStep));
  });

  it('typical acceptance samples reproducibly and keeps more than one token per step', async () => {
    const options = { maxTokens: 50, temperature: 0.7, seed: 5, tree: tree() };
    const a = await generateMedusa(model, heads, tokenizer, prompt, options);
    const b = await generateMedusa(model, heads, tokenizer, prompt, options);
    expect(a.ids).toEqual(b.ids);
    expect(a.ids).toHaveLength(50);
    expect(a.stats.tokensPerStep).toBeGreaterThan(1);
    const other = await generateMedusa(model, heads, tokenizer, prompt, { ...options, seed: 6 });
    expect(other.text).not.toBe(a.text);
  });

  it("tree: 'auto' measures and chooses a tree within the heads", async () => {
    const result = await generateMedusa(model, heads, tokenizer, prompt, {
      maxTokens: 20,
      tree: 'auto',
      ngrams: false,
    });
    expect(result.treeChoice).not.toBeNull();
    expect(result.tree!.depth).toBeLessThanOrEqual(heads.config.numHeads);
    expect(result.treeChoice!.expectedTokensPerStep).toBeGreaterThanOrEqual(1);
    // measured once per heads and n-gram rows
    const again = await generateMedusa(model, heads, tokenizer, prompt, {
      maxTokens: 5,
      ngrams: false,
    });
    expect(again.treeChoice).toBe(result.treeChoice);
  });

  it('names bad options', async () => {
    const untrained = new MedusaHeads(model, { heads: 2 });
    await expect(
      generateMedusa(model, untrained, tokenizer, prompt, { tree: 'auto' }),
    ).rejects.toThrow("tree: 'auto' needs the heads' measured accuracies");
    await expect(
      generateMedusa(model, untrained, tokenizer, prompt, { tree: [[0], [0, 0], [0, 0, 0]] }),
    ).rejects.toThrow('the tree is 3 deep, the heads are only 2');
    await expect(
      generateMedusa(model, heads, tokenizer, prompt, { tree: [[0, 0]] }),
    ).rejects.toThrow(TreeError);
    await expect(
      generateMedusa(model, heads, tokenizer, prompt, { posteriorThreshold: 2 }),
    ).rejects.toThrow('posteriorThreshold must be in [0, 1], got 2');
    await expect(
      generateMedusa(model, heads, tokenizer, prompt, { maxTokens: -1 }),
    ).rejects.toThrow(MedusaValueError);
    const mamba = createModel(
      parseModelConfig({
        model_type: 'mamba',
        vocab_size: tokenizer.vocabSize,
        hidden_size: 16,
        num_hidden_layers: 1,
        state_size: 4,
      }),
    );
    await expect(generateMedusa(mamba, null, tokenizer, prompt)).rejects.toThrow(
      "Mamba's cache keeps one path only",
    );
    // Mamba without drafts is plain decoding
    const plain = await generate(mamba, tokenizer, prompt, { maxTokens: 10 });
    expect(
      (await generateMedusa(mamba, null, tokenizer, prompt, { maxTokens: 10, ngrams: false })).ids,
    ).toEqual(plain.ids);
    expect(streamText).toBeTypeOf('function');
  });
});
