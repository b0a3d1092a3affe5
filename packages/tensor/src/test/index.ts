/**
 * `@x/tensor/test`: the backend conformance suite, the op table and the
 * float64 reference it checks against, and gradient-check helpers. Backends
 * (and packages that add ops) run these in their own tests.
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
export { runConformanceSuite } from './conformance.js';
export * as oracle from './oracle.js';
