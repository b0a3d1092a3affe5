/**
 * Bad configs and checkpoints get named errors that say what is wrong:
 * the field, the tensor, both shapes.
 */
import { randn } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { asTensors, randomGpt2, randomLlama } from '../../test/checkpoints.js';
import { CheckpointError, ConfigError, InputError } from '../errors.js';
import { modelFromCheckpoint } from '../io/checkpoint.js';
import { parseModelConfig } from './config.js';

describe('config errors', () => {
  it('names an unknown model_type and the supported ones', () => {
    expect(() => parseModelConfig({ model_type: 'bert' })).toThrow(
      'parseModelConfig: unknown model_type "bert" (supported: gpt2, llama, mistral, qwen2, mamba)',
    );
    expect(() => parseModelConfig([])).toThrow(ConfigError);
  });
  it('names a missing or invalid field', () => {
    const { config } = randomGpt2();
    expect(() => parseModelConfig({ ...config, n_head: '4' })).toThrow(
      '"n_head" must be a positive integer, got "4"',
    );
    const { n_embd: _, ...noWidth } = config as Record<string, unknown>;
    expect(() => parseModelConfig(noWidth)).toThrow('"n_embd" is missing');
    expect(() => parseModelConfig({ ...config, n_head: 5 })).toThrow(
      'must be a multiple of "n_head" (5)',
    );
    expect(() =>
      parseModelConfig({ ...randomLlama().config, rope_scaling: { type: 'yarn' } }),
    ).toThrow(ConfigError);
  });
});

describe('checkpoint errors', () => {
  it('a missing tensor is named', () => {
    const { config, weights } = randomGpt2();
    const tensors = asTensors(weights);
    delete tensors['transformer.h.1.mlp.c_fc.bias'];
    expect(() => modelFromCheckpoint(config, tensors)).toThrow('transformer.h.1.mlp.c_fc.bias');
  });
  it('a misshaped tensor names itself and both shapes', () => {
    const { config, weights } = randomGpt2();
    const tensors = asTensors(weights);
    tensors['transformer.h.0.attn.c_attn.weight'] = randn([48, 16]);
    try {
      modelFromCheckpoint(config, tensors);
      expect.unreachable();
    } catch (error) {
      expect(CheckpointError.isInstance(error)).toBe(true);
      const e = error as CheckpointError;
      expect(e.tensor).toBe('transformer.h.0.attn.c_attn.weight');
      expect(e.expected).toEqual([16, 48]);
      expect(e.actual).toEqual([48, 16]);
      expect(e.message).toContain(
        'has shape [48, 16] in the checkpoint, the config implies [16, 48]',
      );
    }
  });
  it('a config that disagrees with the weights (layers, untied head) is named', () => {
    const { config, weights } = randomGpt2();
    expect(() => modelFromCheckpoint({ ...config, n_layer: 1 }, asTensors(weights))).toThrow(
      /does not have: transformer\.h\.1\..*n_layer/,
    );
    const llama = randomLlama({ tied: true });
    expect(() =>
      modelFromCheckpoint(
        { ...llama.config, tie_word_embeddings: false },
        asTensors(llama.weights),
      ),
    ).toThrow('tie_word_embeddings: false');
  });
  it('GPT-2 files without the transformer. prefix and with attn.bias buffers load', () => {
    const { config, weights } = randomGpt2();
    const tensors = Object.fromEntries(
      Object.entries(asTensors(weights)).map(([k, v]) => [k.replace('transformer.', ''), v]),
    );
    tensors['h.0.attn.bias'] = randn([1, 1, 32, 32]);
    expect(modelFromCheckpoint(config, tensors).forward([[1, 2]]).logits.shape).toEqual([1, 2, 37]);
  });
});

describe('input errors', () => {
  const { config, weights } = randomGpt2();
  const model = modelFromCheckpoint(config, asTensors(weights));
  it('ids out of the vocabulary, ragged rows, positions past the context, a foreign cache', () => {
    expect(() => model.forward([[1, 37]])).toThrow('ids[1] = 37 is outside the vocabulary [0, 37)');
    expect(() => model.forward([[1, 2], [3]])).toThrow(InputError);
    expect(() => model.forward([[1]], { positions: [32] })).toThrow(
      "position 32 is past the model's context of 32 positions",
    );
    expect(() => model.forward([[1]], { cache: model.createCache({ batch: 2 }) })).toThrow(
      'cache holds 2 sequences, ids have 1',
    );
    expect(() => model.forward([[1, 2]], { attentionMask: [[1]] })).toThrow(
      'attentionMask must be [1, 2]',
    );
  });
});
