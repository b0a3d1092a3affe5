/**
 * `@x/tensor/test`: the op table and the float64 reference the backend
 * conformance suite checks against, `checkCase` to run one case, and
 * gradient-check helpers, for backends and packages that add ops. Needs no
 * test runner; the vitest suite built on these is in `@x/tensor/vitest`.
 */
export { type GradcheckOptions, type GradcheckResult, gradcheck } from '../autograd/gradcheck.js';
export {
  drawInput,
  erfOracle,
  type InputKind,
  type InputSpec,
  OP_CASES,
  type OpCase,
} from './cases.js';
export {
  type ConformanceOptions,
  checkCase,
  compare,
  type InputLayout,
  inputDType,
  makeInput,
} from './check-case.js';
export * as oracle from './oracle.js';
