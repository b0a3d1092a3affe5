/**
 * Small models for the tests: a character-level GPT-2 trained for a few
 * seconds on the 32 KB Shakespeare slice @x/lm's tests ship (enough for
 * text-like, varied greedy continuations), with heads trained on it by
 * self-distillation. Built once per test file.
 */
import { readFileSync } from 'node:fs';
import { CharTokenizer, createModel, type LanguageModel, parseModelConfig, Trainer } from '@x/lm';
import { distillationData, headAccuracy, MedusaHeads, trainHeads } from '../src/index.js';

/** The first 32,768 bytes of tinyshakespeare (see packages/lm/test/fixtures/SOURCE.md). */
export const shakespeare = readFileSync(
  new URL('../../lm/test/fixtures/tinyshakespeare-32k.txt', import.meta.url),
  'utf8',
);

/** The slice's characters as a tokenizer. */
export const tokenizer = CharTokenizer.fromCorpus(shakespeare);
/** The slice as ids, and nanoGPT's 90 / 10 split. */
export const ids = Int32Array.from(tokenizer.encode(shakespeare));
export const split = {
  train: ids.subarray(0, Math.floor(ids.length * 0.9)),
  val: ids.subarray(Math.floor(ids.length * 0.9)),
};

/**
 * A 2-layer, 48-wide char GPT-2 (context 128), trained for `steps` steps.
 * @param steps - optimizer steps
 * @param seed - initial weights
 */
export async function tinyModel(steps = 120, seed = 1): Promise<LanguageModel> {
  const config = parseModelConfig({
    model_type: 'gpt2',
    vocab_size: tokenizer.vocabSize,
    n_positions: 128,
    n_embd: 48,
    n_layer: 2,
    n_head: 4,
  });
  const model = createModel(config, { seed });
  const trainer = new Trainer(model, split, {
    steps,
    batchSize: 8,
    blockSize: 64,
    learningRate: 3e-3,
    warmupSteps: 10,
    evalInterval: 0,
    evalBatches: 2,
  });
  await trainer.run();
  return model.eval();
}

/**
 * Heads trained on `model` for a few seconds, with their held-out accuracy.
 * @param model - the base model
 * @param options - heads, sharing, training steps
 */
export async function tinyHeads(
  model: LanguageModel,
  options: { heads?: number; shareLmHead?: boolean; steps?: number } = {},
): Promise<MedusaHeads> {
  const K = options.heads ?? 3;
  const data = await distillationData(model, split.train, K, {
    sequences: 24,
    promptLength: 16,
    continuationLength: 64,
    batchSize: 12,
  });
  const held = await distillationData(model, split.val, K, {
    sequences: 8,
    promptLength: 16,
    continuationLength: 64,
    batchSize: 8,
    seed: 5,
  });
  const heads = new MedusaHeads(model, {
    heads: K,
    shareLmHead: options.shareLmHead,
    baseModel: 'tiny',
  });
  await trainHeads(heads, data, {
    steps: options.steps ?? 150,
    batchSize: 128,
    learningRate: 3e-3,
  });
  heads.accuracy = headAccuracy(heads, held);
  return heads;
}
