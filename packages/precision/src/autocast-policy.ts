/**
 * The autocast policy: which ops run in half precision and which stay in
 * float32 under mixed precision, as data. It follows PyTorch's CUDA autocast
 * op lists (torch.amp docs, "Autocast Op Reference"), with op names in the
 * camelCase of @x/tensor.
 *
 * - `'half'`: ops dominated by multiply-accumulate (matmul, linear,
 *   convolutions, attention). They are where half precision pays (half the
 *   memory traffic, tensor-core / SIMD throughput) and they are numerically
 *   safe in fp16: products of fp16 values are exact in fp32 and the
 *   accumulation is done in fp32 inside the kernel.
 * - `'fp32'`: ops whose results need float32's range or precision: `exp`, `log`,
 *   `pow` and the like overflow or lose precision in fp16 (exp(12) > 65504);
 *   softmax, log-softmax and losses exponentiate and sum; norms (layer, RMS,
 *   group) and reductions (sum, mean, variance, cumsum) add many terms, where
 *   fp16's 11-bit significand swallows small addends and large sums overflow.
 * - `'promote'`: everything else — elementwise arithmetic, activations, data
 *   movement. These are memory-bound and exact or well-conditioned in any
 *   precision, so they run in the widest input dtype (which is what plain type
 *   promotion does; PyTorch does not list them because it leaves them alone,
 *   except `addcmul`, `addcdiv`, `atan2`, `dot`, `cross`, `tensordot`,
 *   `scatterAdd`, `indexPut`, `bilinear`, which it promotes explicitly).
 *
 * Deviations from PyTorch: `mean`, `variance`, `std` and `logsumexp` are
 * `'fp32'` here (PyTorch leaves `mean` in the input dtype and accumulates in
 * fp32 inside its kernel; this policy makes the fp32 accumulation explicit at
 * the op level, for every reduction). `max` and `min` are `'promote'`: they
 * select, they do not accumulate, so they are exact in any dtype.
 */
import { InvalidArgumentError } from './errors.js';

/** Where an op runs under autocast. */
export type AutocastCategory = 'half' | 'fp32' | 'promote';

/**
 * The policy table, keyed by op name.
 * @example AUTOCAST_POLICY.softmax // 'fp32'
 */
export const AUTOCAST_POLICY = {
  // Half precision: matrix products and convolutions (PyTorch's lower-precision list).
  matmul: 'half',
  mm: 'half',
  bmm: 'half',
  addmm: 'half',
  baddbmm: 'half',
  linear: 'half',
  conv1d: 'half',
  conv2d: 'half',
  conv3d: 'half',
  convTranspose1d: 'half',
  convTranspose2d: 'half',
  prelu: 'half',
  scaledDotProductAttention: 'half',
  attention: 'half',
  // float32: exponentials, logarithms, powers (range), and trigonometry PyTorch lists.
  exp: 'fp32',
  expm1: 'fp32',
  log: 'fp32',
  log1p: 'fp32',
  log2: 'fp32',
  log10: 'fp32',
  pow: 'fp32',
  reciprocal: 'fp32',
  rsqrt: 'fp32',
  softplus: 'fp32',
  acos: 'fp32',
  asin: 'fp32',
  cosh: 'fp32',
  sinh: 'fp32',
  tan: 'fp32',
  erfinv: 'fp32',
  // float32: softmax family.
  softmax: 'fp32',
  logSoftmax: 'fp32',
  softmin: 'fp32',
  // float32: normalisation layers and norms.
  layerNorm: 'fp32',
  rmsNorm: 'fp32',
  groupNorm: 'fp32',
  norm: 'fp32',
  normalize: 'fp32',
  cosineSimilarity: 'fp32',
  cdist: 'fp32',
  dist: 'fp32',
  // float32: losses.
  crossEntropy: 'fp32',
  nllLoss: 'fp32',
  mseLoss: 'fp32',
  l1Loss: 'fp32',
  smoothL1Loss: 'fp32',
  klDiv: 'fp32',
  binaryCrossEntropyWithLogits: 'fp32',
  // float32: reductions and scans.
  sum: 'fp32',
  prod: 'fp32',
  mean: 'fp32',
  variance: 'fp32',
  std: 'fp32',
  logsumexp: 'fp32',
  cumsum: 'fp32',
  cumprod: 'fp32',
  // Widest input dtype: elementwise arithmetic, activations, data movement.
  add: 'promote',
  sub: 'promote',
  mul: 'promote',
  div: 'promote',
  maximum: 'promote',
  minimum: 'promote',
  where: 'promote',
  addcmul: 'promote',
  addcdiv: 'promote',
  atan2: 'promote',
  dot: 'promote',
  cross: 'promote',
  tensordot: 'promote',
  bilinear: 'promote',
  scatterAdd: 'promote',
  indexPut: 'promote',
  concat: 'promote',
  stack: 'promote',
  neg: 'promote',
  abs: 'promote',
  sqrt: 'promote',
  square: 'promote',
  clamp: 'promote',
  relu: 'promote',
  gelu: 'promote',
  silu: 'promote',
  sigmoid: 'promote',
  tanh: 'promote',
  dropout: 'promote',
  embedding: 'promote',
  gather: 'promote',
  max: 'promote',
  min: 'promote',
} as const satisfies Record<string, AutocastCategory>;

/** The op names the policy lists. */
export type AutocastOp = keyof typeof AUTOCAST_POLICY;

/** The floating dtypes autocast reasons about. */
export type AutocastDType = 'float16' | 'bfloat16' | 'float32' | 'float64';

/**
 * The category of an op; ops the table does not list are `'promote'` (they run
 * in their inputs' dtype, as PyTorch does with unlisted ops).
 * @param op - an op name
 * @returns the category
 * @example
 * autocastCategory('matmul') // 'half'
 * autocastCategory('layerNorm') // 'fp32'
 * autocastCategory('myCustomOp') // 'promote'
 */
export function autocastCategory(op: string): AutocastCategory {
  if (typeof op !== 'string')
    throw new InvalidArgumentError('autocastCategory', 'op', op, 'a string');
  return Object.hasOwn(AUTOCAST_POLICY, op) ? AUTOCAST_POLICY[op as AutocastOp] : 'promote';
}

const RANK: { readonly [d in AutocastDType]: number } = {
  float16: 1,
  bfloat16: 1,
  float32: 2,
  float64: 3,
};

/**
 * The dtype an op computes in under autocast, given its inputs' dtypes.
 * Non-floating inputs (int32, bool) are ignored; float64 is never lowered.
 * @param op - the op name
 * @param inputDTypes - the dtypes of the op's tensor inputs
 * @param halfDType - the autocast dtype
 * @default halfDType 'float16'
 * @returns the compute dtype, or undefined when no input is floating (autocast does not apply)
 * @throws InvalidArgumentError when `halfDType` is not float16/bfloat16 or `inputDTypes` not an array
 * @example
 * autocastDType('matmul', ['float32', 'float32']) // 'float16'
 * autocastDType('softmax', ['float16']) // 'float32'
 * autocastDType('add', ['float16', 'float32']) // 'float32'
 * autocastDType('add', ['bfloat16'], 'bfloat16') // 'bfloat16'
 */
export function autocastDType(
  op: string,
  inputDTypes: readonly string[],
  halfDType: 'float16' | 'bfloat16' = 'float16',
): AutocastDType | undefined {
  const name = 'autocastDType';
  if (halfDType !== 'float16' && halfDType !== 'bfloat16') {
    throw new InvalidArgumentError(name, 'halfDType', halfDType, "'float16' or 'bfloat16'");
  }
  if (!Array.isArray(inputDTypes)) {
    throw new InvalidArgumentError(name, 'inputDTypes', inputDTypes, 'an array of dtype names');
  }
  const floating = inputDTypes.filter((d): d is AutocastDType => Object.hasOwn(RANK, d));
  if (floating.length === 0) return undefined;
  if (floating.includes('float64')) return 'float64';
  const category = autocastCategory(op);
  if (category === 'half') return halfDType;
  if (category === 'fp32') return 'float32';
  const first = floating[0]!;
  if (floating.every((d) => d === first)) return first;
  return 'float32'; // float32 present, or float16 mixed with bfloat16
}
