/**
 * `@x/precision/test`: the independent float64 oracle and the seeded sample of
 * float32 patterns the package's own tests use, for packages that build on the
 * formats (for example @x/tensor checking its float16 storage).
 */
export {
  applyOverflow,
  binade,
  codeOfValue,
  float32Value,
  formatValue,
  nanCodeOf,
  ORACLE_SPECS,
  type OracleOptions,
  type OracleSpec,
  oracleDecodePattern,
  oracleEncodePattern,
  oracleRound,
  quantumOf,
  roundMagnitude,
  roundUnbounded,
} from './oracle.js';
export { boundaryPatterns, SPECIAL_PATTERNS, samplePatterns } from './sample.js';
