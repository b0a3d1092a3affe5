/**
 * @x/lm: tokenizers, decoder language models loaded from Hugging Face
 * checkpoint folders, generation and training, on @x/tensor. The only public
 * entry point: everything is exported here by name (file IO is in `@x/lm/node`).
 */

export {
  CheckpointError,
  ConfigError,
  ExportError,
  InputError,
  LmError,
  LmValueError,
  TokenizerError,
} from './errors.js';
export {
  GGUF_FILE_TYPES,
  type GgufFile,
  type GgufFileType,
  type GgufOptions,
  toGguf,
} from './export/gguf.js';
export { dequantizeQ8_0, quantizeQ8_0 } from './export/gguf-encode.js';
export {
  GGML_TYPE,
  GGUF_VALUE_TYPE,
  type GgmlTypeName,
  type GgufScalarType,
  type GgufTensor,
  type GgufValue,
  ggufBytes,
} from './export/gguf-writer.js';
export { type OnnxFile, toOnnx } from './export/onnx.js';
export {
  type GenerateOptions,
  type GenerateResult,
  generate,
  generateBatch,
  promptIds,
  stopIdsOf,
  streamText,
  type TextChunk,
} from './generate/generate.js';
export {
  applyRepetitionPenalty,
  argmax,
  filteredDistribution,
  type ResolvedSampling,
  resolveSampling,
  Sampler,
  type SamplingOptions,
} from './generate/sampling.js';
export { findStop, heldBack } from './generate/stop-strings.js';
export { TextTracker } from './generate/text-tracker.js';
export {
  type FinishReason,
  type GenerationStats,
  type TokenEvent,
  type TokenLoopOptions,
  type TokenLoopResult,
  tokenLoop,
  yieldToEventLoop,
} from './generate/token-loop.js';
export {
  checkpointOf,
  type LoadModelOptions,
  modelFromBytes,
  modelFromCheckpoint,
  type SaveModelOptions,
} from './io/checkpoint.js';
export { AttentionCache, type AttentionCacheOptions } from './models/attention-cache.js';
export { createModel } from './models/build.js';
export type { ModelCache } from './models/cache.js';
export {
  ARCHITECTURES,
  type Architecture,
  type MambaModelConfig,
  type ModelConfig,
  parseModelConfig,
  type TransformerConfig,
  toHfConfig,
} from './models/config.js';
export {
  DECODE_MAX_ROWS,
  DEFAULT_DECODE_WEIGHTS,
  type DecodeWeights,
  packedWeightOf,
} from './models/decode-weights.js';
export type { ForwardOptions } from './models/forward-context.js';
export { Conv1D, GPT2LMHeadModel } from './models/gpt2.js';
export {
  type CacheOptions,
  type ForwardResult,
  LanguageModel,
  type ModelInitOptions,
  type TokenIds,
} from './models/language-model.js';
export { LlamaForCausalLM } from './models/llama.js';
export { MambaForCausalLM } from './models/mamba.js';
export { MambaCache } from './models/mamba-cache.js';
export { type QuantizeOptions, type QuantizeReport, quantize } from './models/quantize.js';
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
export { type Batch, BatchSampler, evaluationBatch, evaluationOffsets } from './train/batches.js';
export { type LossPlotOptions, lossCurveSvg } from './train/loss-plot.js';
export { restoreTrainer } from './train/restore-trainer.js';
export {
  type LossPoint,
  type ProgressEvent,
  type RunCallbacks,
  Trainer,
  type TrainerOptions,
  type TrainingData,
  type TrainingPrecision,
  type TrainResult,
} from './train/trainer.js';
export { TRAINER_CHECKPOINT_VERSION, type TrainerCheckpoint } from './train/trainer-checkpoint.js';
