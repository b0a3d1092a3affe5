/**
 * @x/tensor: tensors with autograd on pluggable backends, nn modules,
 * optimizers and safetensors IO. The only public entry point: everything a
 * user needs is exported here by name.
 */

// Mixed precision
export { type AutocastOptions, autocast, autocastDTypeInEffect } from './amp/autocast.js';
export { GradScaler } from './amp/grad-scaler.js';
export { MasterWeights } from './amp/master-weights.js';
// Autograd and memory
export { enableGrad, isGradEnabled, noGrad } from './autograd/grad-mode.js';
export {
  type GradcheckFailure,
  type GradcheckOptions,
  type GradcheckResult,
  gradcheck,
} from './autograd/gradcheck.js';
export { type BackwardRule, type GradNode, needsGrad, record } from './autograd/node.js';
// Backends
export {
  BACKEND_INTERFACE_VERSION,
  type Backend,
  type BinaryOpName,
  type KernelInput,
  type MemoryInfo,
  type ReduceOpName,
  type UnaryOpName,
} from './backend/backend.js';
export {
  findBackend,
  getBackend,
  initWasmBackend,
  listBackends,
  registerBackend,
  setBackend,
} from './backend/registry.js';
export {
  type GemmOperand,
  type GemmOptions,
  type GemmOutput,
  gemm,
} from './backends/js/gemm.js';
export { createJsBackend, type JsBackendOptions } from './backends/js/index.js';
export {
  createWasmBackend,
  getWasmThreads,
  setWasmThreads,
  startWasmThreads,
  type WasmBackendOptions,
  type WasmStorage,
  wasmInfo,
  wasmSupported,
} from './backends/wasm/index.js';
export type { WasmFunction, WasmModuleSource } from './backends/wasm/modules.js';
export { DTYPES, type DType, itemSize, promoteTypes, type TypedArray } from './dtype.js';
export * from './errors.js';
// IO
export {
  ONNX_DTYPE,
  type OnnxAttribute,
  type OnnxDType,
  type OnnxModelSpec,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
  onnxModel,
} from './io/onnx.js';
export {
  loadSafetensors,
  MAX_HEADER_BYTES,
  readSafetensorsHeader,
  type SafetensorsContent,
  type SafetensorsEntry,
  type SafetensorsHeader,
  saveSafetensors,
} from './io/safetensors.js';
// Extension kernels
export {
  defineKernel,
  type HostTensor,
  type JsKernel,
  type JsKernelArgs,
  type Kernel,
  type KernelDescriptor,
  type KernelGradient,
  type KernelGradientContext,
  type KernelInputSpec,
  type KernelTensorSpec,
  type NativeKernel,
  type NativeKernelArgs,
  type WasmKernel,
  type WasmKernelArgs,
  type WasmTensor,
} from './kernels/kernel.js';
export {
  getKernel,
  type KernelImplementation,
  listKernels,
  registerKernel,
  registerKernelImplementation,
} from './kernels/registry.js';
export { runKernel } from './kernels/run.js';
export {
  loadWasmModule,
  type WasmBlock,
  type WasmKernelContext,
  type WasmModuleHandle,
  type WasmParallelPlan,
  type WasmWorkPart,
  wasmModule,
} from './kernels/wasm.js';
export { dispose, keep, memory, resetPeakMemory, tidy } from './memory/scope.js';

// nn and optim
export * as nn from './nn/index.js';
export {
  Dropout,
  Embedding,
  LayerNorm,
  Linear,
  Module,
  parameter,
  RMSNorm,
  Sequential,
} from './nn/index.js';
// Ops
export { clone, contiguous, detach, to, toBackend } from './ops/cast.js';
export { conv1dCausalDepthwise } from './ops/conv1d.js';
// Creation
export {
  arange,
  type CreationOptions,
  eye,
  full,
  fullLike,
  linspace,
  type NestedData,
  ones,
  onesLike,
  type RandomOptions,
  rand,
  randint,
  randn,
  tensor,
  zeros,
  zerosLike,
} from './ops/creation.js';
export type { TensorLike } from './ops/dispatch.js';
export { type DropoutOptions, dropout } from './ops/dropout.js';
export {
  abs,
  add,
  binary,
  ceil,
  clamp,
  cos,
  div,
  elu,
  eq,
  erf,
  exp,
  expm1,
  floor,
  type GeluOptions,
  ge,
  gelu,
  gt,
  isfinite,
  isnan,
  le,
  leakyRelu,
  log,
  log1p,
  logicalAnd,
  logicalNot,
  logicalOr,
  lt,
  maximum,
  minimum,
  mul,
  ne,
  neg,
  pow,
  reciprocal,
  relu,
  round,
  rsqrt,
  sigmoid,
  sign,
  silu,
  sin,
  softplus,
  sqrt,
  square,
  sub,
  tanh,
  unary,
  where,
} from './ops/elementwise.js';
export { embedding, gather, indexSelect, maskedFill, scatterAdd } from './ops/indexing.js';
export { add_, clamp_, copy_, div_, fill_, mul_, sub_, zero_ } from './ops/inplace.js';
export { chunk, concat, split, stack } from './ops/join.js';
export { type CrossEntropyOptions, crossEntropy, mseLoss, type Reduction } from './ops/loss.js';
export { tril, triu } from './ops/masks.js';
export { matmul } from './ops/matmul.js';
export { layerNorm, rmsNorm } from './ops/norm.js';
export {
  all,
  any,
  argmax,
  argmin,
  logsumexp,
  max,
  mean,
  min,
  prod,
  type ReduceOptions,
  std,
  sum,
  type VarianceOptions,
  variance,
} from './ops/reduce.js';
export { cumsum, reverseCumsum } from './ops/scan.js';
export { logSoftmax, softmax } from './ops/softmax.js';
export { sort, type TopkOptions, topk } from './ops/topk.js';
export {
  broadcastTo,
  expand,
  flatten,
  flip,
  narrow,
  permute,
  reduceToShape,
  reshape,
  type SliceRange,
  select,
  slice,
  squeeze,
  transpose,
  unsqueeze,
} from './ops/views.js';
export * as optim from './optim/index.js';
export {
  AdamW,
  clipGradNorm,
  cosineSchedule,
  LRScheduler,
  linearWarmup,
  SGD,
} from './optim/index.js';
// Packed weights and the skinny product
export {
  PACKED_FORMATS,
  type PackedFormat,
  PackedWeights,
  type PackWeightsOptions,
  packWeights,
} from './packed/pack-weights.js';
export { project, projectKernel } from './packed/project.js';
export { defaultGenerator, Generator, manualSeed } from './random.js';
// Numerics shared with other backends and packages
export { erf as erfScalar } from './scalar/erf.js';
export { broadcastShapes, contiguousStrides, formatShape, type Shape, sizeOf } from './shape.js';
export { Storage } from './storage.js';
// Core types
export { type NestedArray, Tensor } from './tensor.js';
