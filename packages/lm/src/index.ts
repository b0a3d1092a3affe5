/**
 * @x/lm: tokenizers, decoder language models loaded from Hugging Face
 * checkpoint folders, generation and training, on @x/tensor. The only public
 * entry point: everything is exported here by name.
 */

export { LmError, LmValueError, TokenizerError } from './errors.js';
