/**
 * `@x/ssm/test`: naive float64 references of the package's kernels, for
 * tests here and in packages that build on @x/ssm.
 */

export { gradcheckParameters } from './module-gradcheck.js';
export {
  type Array3,
  causalConvolutionReference,
  type SelectiveScanReferenceInputs,
  s4dKernelReference,
  selectiveScanReference,
} from './reference.js';
