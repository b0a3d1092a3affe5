/**
 * @x/ssm: state-space models on @x/tensor — HiPPO, S4D, Mamba's selective
 * scan and block, retention and the LRU — with every pair of equivalent forms
 * (convolution / recurrence, sequential / parallel scan, full sequence /
 * step-by-step decoding) available and tested against each other. The only
 * public entry point: everything is exported here by name.
 */

// Complex arithmetic on real tensors
export {
  type Complex,
  cadd,
  cdiv,
  cexp,
  cminusOne,
  cmul,
  conj,
  cscale,
  csub,
  fromPairs,
  toPairs,
} from './complex.js';
export { SsmDTypeError, SsmError, SsmShapeError, SsmValueError } from './errors.js';
// FFT
export { fft, inverseRealPair, nextPowerOfTwo, realFftPair, type Spectrum } from './fft/fft.js';
export { fftConv } from './fft/fft-conv.js';
// HiPPO
export { HippoApproximator, type HippoApproximatorOptions } from './hippo/approximation.js';
export {
  DISCRETIZATION_METHODS,
  type DiscretizationMethod,
  discretize,
} from './hippo/discretize.js';
export {
  HIPPO_MEASURES,
  type HippoMatrices,
  type HippoMatricesOptions,
  type HippoMeasure,
  hippoMatrices,
} from './hippo/matrices.js';
export { laguerre, legendre } from './hippo/polynomials.js';
// Kernels
export { dotRows, transposeArray } from './kernels/dot-rows.js';
export { applyLinear, linear } from './kernels/linear.js';
export { CausalDepthwiseConv1d, type ConvOptions, PointwiseConv1d } from './layers.js';
// Dense linear algebra (float64, small)
export {
  expm,
  fromRows,
  identity,
  type Matrix,
  matmul as matmulDense,
  solve,
} from './linalg/dense.js';
// LRU
export { LRU, type LRUOptions } from './lru/lru.js';
// Mamba
export {
  aLogInit,
  dtProjInit,
  type MambaOptions,
  type ResolvedMambaOptions,
  resolveMambaOptions,
  type ScanImplementation,
} from './mamba/config.js';
export { Mamba, type MambaState } from './mamba/mamba.js';
export {
  Block,
  MambaLM,
  type MambaLMOptions,
  type MambaLMState,
  MixerModel,
} from './mamba/mamba-lm.js';
// Retention
export {
  MultiScaleRetention,
  type MultiScaleRetentionOptions,
  type RetentionState,
} from './retention/multi-scale-retention.js';
export {
  RETENTION_MODES,
  type RetentionMode,
  retention,
  retentionStep,
} from './retention/retention.js';
// S4D
export { S4D_INITS, type S4DInit, s4dEigenvalues } from './s4d/init.js';
export { type S4DDiscrete, S4DKernel, type S4DKernelOptions } from './s4d/kernel.js';
export { S4D, type S4DOptions } from './s4d/s4d.js';
export { S4DMixer, type S4DMixerOptions, type S4DMixerState } from './s4d/s4d-mixer.js';
export {
  S4D_MODES,
  type S4DMode,
  type S4DState,
  s4dInitialState,
  s4dSequence,
  s4dStep,
  s4dStepwise,
} from './s4d/ssm.js';
// Scans
export { complexDiagonalScan } from './scan/complex-scan.js';
export { chunkedLinearScan, type LinearScanOptions } from './scan/linear-scan.js';
export {
  type SelectiveScanOptions,
  selectiveScan,
  selectiveScanChannelsLast,
  selectiveScanWithState,
} from './scan/selective-scan.js';
export {
  type ScanAttributes,
  type ScanBackwardAttributes,
  selectiveScanBackwardKernel,
  selectiveScanKernel,
} from './scan/selective-scan-kernels.js';
export {
  type SelectiveScanParallelOptions,
  selectiveScanParallel,
} from './scan/selective-scan-parallel.js';
export { initWasmScan, wasmScanAvailable } from './scan/selective-scan-wasm.js';
// Tasks
export {
  type SelectiveCopyingBatch,
  type SelectiveCopyingOptions,
  selectiveCopyingBatch,
} from './tasks/selective-copying.js';
export {
  type CurvePoint,
  copyingAccuracy,
  type TrainResult,
  type TrainSelectiveCopyingOptions,
  trainSelectiveCopying,
} from './tasks/train-selective-copying.js';
