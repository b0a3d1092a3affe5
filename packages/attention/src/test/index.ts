/**
 * `@x/attention/test`: float64 reference implementations written as plain
 * loops (the definitions every implementation and every backend's kernels
 * are checked against) and a kernel conformance check for backends that
 * register their own attention kernels.
 */
export {
  checkAttentionKernels,
  type KernelConformanceCase,
  type KernelConformanceResult,
} from './conformance.js';
export {
  type Array4,
  maxAbsDiff,
  type ReferenceAttentionOptions,
  referenceAttention,
  referenceLinearAttention,
} from './reference.js';
