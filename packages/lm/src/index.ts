/**
 * @x/lm: tokenizers, decoder language models loaded from Hugging Face
 * checkpoint folders, generation and training, on @x/tensor. The only public
 * entry point: everything is exported here by name.
 */

export { LmError, LmValueError, TokenizerError } from './errors.js';
export {
  type BpeTrainerOptions,
  type BpeTrainingResult,
  trainBpe,
} from './tokenizers/bpe-trainer.js';
export {
  BYTE_ALPHABET,
  BYTE_TO_CHAR,
  fromByteLevel,
  toByteLevel,
} from './tokenizers/byte-level.js';
export {
  CharTokenizer,
  type CharTokenizerOptions,
  type UnknownCharacterPolicy,
} from './tokenizers/char-tokenizer.js';
export {
  addedTokensFromConfig,
  type Gpt2TokenizerFiles,
  gpt2TokenizerJson,
} from './tokenizers/gpt2-files.js';
export { GPT2_SPLIT_PATTERN, gpt2PreTokenize } from './tokenizers/gpt2-pre-tokenize.js';
export { HfTokenizer, type HfTokenizerOptions } from './tokenizers/hf-tokenizer.js';
export {
  loadTokenizer,
  TOKENIZER_FILE_NAMES,
  type TokenizerFileContent,
  type TokenizerFiles,
  tokenizerFromFiles,
  tokenizerFromJSON,
} from './tokenizers/load-tokenizer.js';
// Tokenizers
export type { SpecialTokenIds, Tokenizer } from './tokenizers/tokenizer.js';
export { tokenizerConfigJson } from './tokenizers/tokenizer-config.js';
export {
  TokenIdError,
  TokenizerFormatError,
  UnknownCharacterError,
  UnsupportedTokenizerError,
} from './tokenizers/tokenizer-errors.js';
export {
  type AddedTokenJson,
  type BpeModelJson,
  type JsonObject,
  type ParsedTokenizerJson,
  parseTokenizerJson,
  SUPPORTED_MODEL_TYPES,
  type TokenizerJson,
} from './tokenizers/tokenizer-json.js';
