/**
 * The packed decode path: logits of one-token steps equal those of `matmul`
 * on GPT-2- and Llama-shaped models, greedy decoding of the bundled model
 * gives the same tokens with and without it, and `quantize` keeps int8 per
 * group within 1 % of the float32 validation loss on the committed
 * tinyshakespeare slice.
 */
import { readFileSync } from 'node:fs';
import { noGrad, projectKernel, tensor } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { generate } from '../generate/generate.js';
import { loadBundledModel } from '../node/bundled-model.js';
import { createModel } from './build.js';
import { parseModelConfig } from './config.js';
import type { LanguageModel } from './language-model.js';
import { quantize } from './quantize.js';

const slice = readFileSync(
  new URL('../../test/fixtures/tinyshakespeare-val-16k.txt', import.meta.url),
  'utf8',
);

/** Logits of a prompt, then of 3 one-token steps on the cache. */
function steps(model: LanguageModel): Float32Array[] {
  return noGrad(() => {
    const cache = model.createCache();
    const out = [model.forward([[1, 5, 9]], { cache }).logits.toTypedArray() as Float32Array];
    for (const id of [3, 7, 11])
      out.push(model.forward([[id]], { cache }).logits.toTypedArray() as Float32Array);
    return out;
  });
}

describe('packed weights on the decode path', () => {
  it.each([
    { model_type: 'gpt2', vocab_size: 53, n_positions: 32, n_embd: 24, n_layer: 2, n_head: 2 },
    {
      model_type: 'llama',
      vocab_size: 61,
      hidden_size: 24,
      intermediate_size: 44,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      tie_word_embeddings: false,
    },
  ])('one-token steps of $model_type match matmul', (json) => {
    const model = createModel(parseModelConfig(json), { seed: 3 });
    model.decodeWeights = { format: 'off' };
    const plain = steps(model);
    const before = projectKernel.calls.wasm ?? 0;
    const beforeJs = projectKernel.calls.js ?? 0;
    model.decodeWeights = { format: 'f32' };
    const packed = steps(model);
    expect((projectKernel.calls.wasm ?? 0) + (projectKernel.calls.js ?? 0)).toBeGreaterThan(
      before + beforeJs,
    );
    for (let s = 0; s < plain.length; s++)
      for (let i = 0; i < plain[s]!.length; i++)
        expect(Math.abs(packed[s]![i]! - plain[s]![i]!)).toBeLessThanOrEqual(1e-5);
  });

  it('repacks a weight after it changed in place', () => {
    const model = createModel(
      parseModelConfig({
        model_type: 'gpt2',
        vocab_size: 17,
        n_positions: 8,
        n_embd: 8,
        n_layer: 1,
        n_head: 1,
      }),
      { seed: 1 },
    );
    const first = steps(model);
    noGrad(() => model.headWeight().mul_(2));
    const second = steps(model);
    model.decodeWeights = { format: 'off' };
    const plain = steps(model);
    expect(second[3]).not.toEqual(first[3]);
    for (let i = 0; i < plain[3]!.length; i++)
      expect(Math.abs(second[3]![i]! - plain[3]![i]!)).toBeLessThanOrEqual(1e-5);
  });

  it('greedy decoding of the bundled model gives the same tokens with and without packed weights', async () => {
    const { model, tokenizer } = await loadBundledModel();
    model.decodeWeights = { format: 'off' };
    const plain = await generate(model, tokenizer, 'ROMEO:', { maxTokens: 60 });
    model.decodeWeights = { format: 'f32' };
    const calls = projectKernel.calls.wasm ?? 0;
    const packed = await generate(model, tokenizer, 'ROMEO:', { maxTokens: 60 });
    expect(packed.text).toBe(plain.text);
    expect(packed.text.length).toBeGreaterThan(20);
    if (tensor([0]).backend === 'wasm') expect(projectKernel.calls.wasm).toBeGreaterThan(calls);
  });

  it('quantize: int8 per group of 32 stays within 1 % of the float32 validation loss', async () => {
    const { model, tokenizer } = await loadBundledModel();
    const validation = tokenizer.encode(slice.slice(0, 4096));
    const report = quantize(model, {
      weights: 'int8',
      groupSize: 32,
      validation,
      evaluate: { blockSize: 128 },
    });
    expect(model.decodeWeights).toEqual({ format: 'int8', groupSize: 32 });
    expect(Math.abs(report.relativeLossChange!)).toBeLessThan(0.01);
    expect(report.maxLogitError).toBeGreaterThan(0);
    expect(report.maxLogitError).toBeLessThan(0.5);
    const bf16 = quantize(model, { weights: 'bf16', validation, evaluate: { blockSize: 128 } });
    expect(Math.abs(bf16.relativeLossChange!)).toBeLessThan(0.01);
    expect(bf16.baselineLoss).toBeCloseTo(report.baselineLoss!, 6);
    expect(() => quantize(model, { weights: 'int4' as 'int8' })).toThrow(/weights must be/);
  });
});
