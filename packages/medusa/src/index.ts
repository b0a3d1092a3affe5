/**
 * @x/medusa: Medusa speculative decoding for @x/lm models — heads trained
 * by self-distillation on a frozen base model, candidate trees (from path
 * lists or chosen from measured accuracy and pass cost), verification of
 * the whole tree in one forward pass with greedy or typical acceptance, and
 * prompt-lookup n-grams from the prompt and retrieved passages in the same
 * tree. The only public entry point (folders on disk are in `@x/medusa/node`).
 */

export { type AcceptanceSettings, acceptPath } from './decode/acceptance.js';
export { DraftTree, NODE_SOURCE } from './decode/draft-tree.js';
export {
  autoTree,
  expectedNgramRows,
  generateMedusa,
  type MedusaChunk,
  type MedusaGenerateOptions,
  type MedusaResult,
  streamMedusa,
} from './decode/generate-medusa.js';
export {
  type MedusaLoopOptions,
  type MedusaLoopResult,
  type MedusaStats,
  type MedusaStep,
  type MedusaStepStats,
  medusaLoop,
  topIds,
} from './decode/medusa-loop.js';
export {
  BaseModelMismatchError,
  HeadsFormatError,
  MedusaError,
  MedusaValueError,
  TreeError,
} from './errors.js';
export {
  type BaseModelSignature,
  baseModelSignature,
  checkBaseModel,
} from './heads/base-signature.js';
export {
  HEADS_FILES,
  type HeadsCheckpoint,
  headsCheckpoint,
  headsFromCheckpoint,
} from './heads/heads-checkpoint.js';
export {
  type HeadAccuracy,
  HeadsRunner,
  MedusaHead,
  MedusaHeads,
  type MedusaHeadsConfig,
  type MedusaHeadsOptions,
  ResBlock,
} from './heads/medusa-heads.js';
export {
  type NgramOptions,
  PromptLookup,
  type ResolvedNgramOptions,
  resolveNgramOptions,
} from './ngram/prompt-lookup.js';
export {
  type DistillationData,
  type DistillationOptions,
  distillationData,
  IGNORE,
  withTargets,
} from './train/distill-data.js';
export { headAccuracy, RANKS } from './train/head-accuracy.js';
export {
  type HeadsLossPoint,
  type TrainHeadsOptions,
  type TrainHeadsResult,
  trainHeads,
} from './train/train-heads.js';
export {
  type TrainMedusaOptions,
  type TrainMedusaResult,
  trainMedusa,
} from './train/train-medusa.js';
export {
  type ChooseTreeOptions,
  chooseTree,
  costAt,
  expectedTokensPerStep,
  measurePassCost,
  type PassCost,
  type PassCostOptions,
  type TreeCandidate,
  type TreeChoice,
} from './tree/auto-tree.js';
export { DEFAULT_CPU_CHOICES, mc_sim_7b_63, NAMED_CHOICES } from './tree/medusa-choices.js';
export { type MedusaTree, medusaTree } from './tree/medusa-tree.js';
