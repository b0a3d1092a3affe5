/**
 * @x/attention: exact, tiled, linear, gated and sparse attention on the
 * @x/tensor core. The only public entry point: everything is exported here by name.
 */

export { alibiBias, alibiSlopes } from './alibi.js';
export { attention } from './attention.js';
export * from './errors.js';
export {
  type FlashAttributes,
  flashBackwardKernel,
  flashForwardKernel,
  linearScanBackwardKernel,
  linearScanForwardKernel,
} from './kernel-ops.js';
export type { FlashGradients } from './kernels/flash-backward.js';
export type { LinearGradients, LinearProblem } from './kernels/linear-scan.js';
export type { AttentionProblem, FloatArray, KeyPattern, MaskView } from './kernels/problem.js';
export {
  type AttentionKernels,
  attentionKernels,
  jsKernels,
  registerAttentionKernels,
  wasmSimdKernels,
} from './kernels/registry.js';
export { resetScratchPeak, type ScratchMemoryInfo, scratchMemory } from './kernels/scratch.js';
export { initWasmAttention, wasmSimdAvailable } from './kernels/wasm/simd.js';
export { KVCache, type KVCacheOptions } from './kv-cache.js';
export { applyFeatureMap } from './linear.js';
export { LinearAttentionState, type LinearAttentionStateOptions } from './linear-recurrent.js';
export { GatedAttentionUnit, type GauOptions } from './modules/gau.js';
export { MixedChunkAttention, type MixedChunkOptions } from './modules/mixed-chunk.js';
export { ScaleOffset } from './modules/scale-offset.js';
export type {
  AttentionImplementation,
  AttentionOptions,
  FeatureMap,
} from './options.js';
export { type RopeOptions, rope } from './rope.js';
export {
  type BlockLayout,
  blockSparse,
  patternMask,
  type SparsePattern,
  slidingWindow,
  strided,
} from './sparse-patterns.js';
export { treeMask, treePath, treePositions } from './tree-mask.js';
