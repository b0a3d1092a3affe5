/**
 * Fuzz of what @x/lm reads back (issue 19's probe, with the shared harness
 * in scripts/test-support): truncations at every 1/64 and seeded byte flips
 * of a model's `model.safetensors` and `config.json`, of `tokenizer.json`
 * files (character-level and trained byte-level BPE) and of a trainer's
 * `trainer.json`. Every case ends in a named LmError within a second, or
 * loads to exactly what its bytes say: the loaded parameters equal what
 * @x/tensor's (separately fuzzed) safetensors reader parses from the same
 * bytes; a loaded config equals the parse of the mutated document; a loaded
 * tokenizer encodes and decodes without an unnamed error.
 */
import { loadSafetensors } from '@x/tensor';
import { expect, it } from 'vitest';
import {
  describeFuzz,
  fuzzCases,
  fuzzScale,
  runFuzz,
} from '../../../../scripts/test-support/format-fuzz.js';
import { split } from '../../test/char-data.js';
import { LmError } from '../errors.js';
import { createModel } from '../models/build.js';
import { parseModelConfig } from '../models/config.js';
import { trainBpe } from '../tokenizers/bpe-trainer.js';
import { CharTokenizer } from '../tokenizers/char-tokenizer.js';
import { tokenizerFromFiles } from '../tokenizers/load-tokenizer.js';
import { restoreTrainer } from '../train/restore-trainer.js';
import { Trainer } from '../train/trainer.js';
import { checkpointOf, modelFromBytes } from './checkpoint.js';

const named = (error: unknown) =>
  LmError.isInstance(error) ||
  (typeof error === 'object' && error !== null && Symbol.for('@x/tensor.error') in error);
const model = createModel(
  parseModelConfig({
    model_type: 'gpt2',
    vocab_size: 20,
    n_positions: 8,
    n_embd: 8,
    n_layer: 1,
    n_head: 2,
  }),
);
const { config, weights } = checkpointOf(model);
const configText = JSON.stringify(config);

it('model.safetensors: a named error, or the weights the bytes hold', () => {
  const report = runFuzz(
    fuzzCases(weights, { seed: 14, flips: 400 }),
    (bytes) => modelFromBytes(configText, bytes),
    named,
    (loaded, fuzzCase) => {
      const parsed = loadSafetensors(fuzzCase.bytes).tensors;
      for (const [name, t] of Object.entries(loaded.stateDict()))
        expect(t.toTypedArray()).toEqual(parsed[name]!.toTypedArray());
    },
  );
  console.log(describeFuzz('model.safetensors', report));
  expect(report.failures).toEqual([]);
  expect(report.cases).toBe(64 + 400 * fuzzScale());
});

it('config.json: a named error, or the config the document says', () => {
  const report = runFuzz(
    fuzzCases(new TextEncoder().encode(configText), { seed: 15, flips: 300 }),
    (bytes) => modelFromBytes(new TextDecoder().decode(bytes), weights),
    named,
    (loaded, fuzzCase) =>
      expect(loaded.config).toEqual(
        parseModelConfig(JSON.parse(new TextDecoder().decode(fuzzCase.bytes))),
      ),
  );
  console.log(describeFuzz('config.json', report));
  expect(report.failures).toEqual([]);
});

it('tokenizer.json (character-level and byte-level BPE): a named error, or a tokenizer that works', () => {
  const sample = 'To be, or not to be';
  for (const [kind, json, seed] of [
    ['char', CharTokenizer.fromCorpus('abcdefghijklmnopqrstuvwxyz ,.TB').toJSON(), 16],
    [
      'bpe',
      trainBpe('to be or not to be, that is the question '.repeat(20), { vocabSize: 300 }).json,
      17,
    ],
  ] as const) {
    const report = runFuzz(
      fuzzCases(new TextEncoder().encode(JSON.stringify(json)), { seed, flips: 300 }),
      (bytes) => tokenizerFromFiles({ 'tokenizer.json': new TextDecoder().decode(bytes) }),
      named,
      (tokenizer) => {
        try {
          tokenizer.decode(tokenizer.encode(sample));
        } catch (error) {
          if (!named(error)) throw error;
        }
      },
    );
    console.log(describeFuzz(`tokenizer.json (${kind})`, report));
    expect(report.failures).toEqual([]);
  }
});

it('trainer.json: a named error, or a trainer at the step it says', async () => {
  const trainer = new Trainer(
    createModel(
      parseModelConfig({
        model_type: 'gpt2',
        vocab_size: 62,
        n_positions: 8,
        n_embd: 8,
        n_layer: 1,
        n_head: 2,
      }),
    ),
    split,
    { steps: 2, blockSize: 8, batchSize: 2 },
  );
  trainer.trainStep();
  const files = await trainer.checkpoint();
  let errors = 0;
  let loaded = 0;
  for (const fuzzCase of fuzzCases(files['trainer.json']!, { seed: 18, flips: 60 })) {
    try {
      const restored = await restoreTrainer({ ...files, 'trainer.json': fuzzCase.bytes }, split);
      loaded++;
      expect(restored.step).toBe(JSON.parse(new TextDecoder().decode(fuzzCase.bytes)).step);
    } catch (error) {
      if (!named(error))
        throw new Error(`${fuzzCase.name}: ${(error as Error).name}: ${(error as Error).message}`);
      errors++;
    }
  }
  console.log(
    `trainer.json fuzz: ${errors + loaded} cases (${errors} named errors, ${loaded} loaded and checked)`,
  );
  expect(errors + loaded).toBe(64 + 60 * fuzzScale());
});
