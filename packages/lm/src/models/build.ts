/**
 * Builds the model class of a normalized config.
 */
import type { ModelConfig } from './config.js';
import { GPT2LMHeadModel } from './gpt2.js';
import type { LanguageModel, ModelInitOptions } from './language-model.js';
import { LlamaForCausalLM } from './llama.js';
import { MambaForCausalLM } from './mamba.js';

/**
 * A model of `config`'s architecture with freshly initialized weights.
 * @param config - a normalized config (`parseModelConfig`)
 * @param options - parameter dtype and seed
 * @returns the model
 * @example
 * const model = createModel(parseModelConfig(json), { seed: 1 });
 */
export function createModel(config: ModelConfig, options: ModelInitOptions = {}): LanguageModel {
  switch (config.architecture) {
    case 'gpt2':
      return new GPT2LMHeadModel(config, options);
    case 'llama':
      return new LlamaForCausalLM(config, options);
    case 'mamba':
      return new MambaForCausalLM(config, options);
  }
}
