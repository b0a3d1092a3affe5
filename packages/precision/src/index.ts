/**
 * @x/precision: number formats exact to the bit (float16, bfloat16, fp8 E4M3
 * and E5M2, int8), fast bulk conversion, stochastic rounding, error
 * measurement, and the tensor-independent parts of mixed-precision training.
 */

export {
  AUTOCAST_POLICY,
  type AutocastCategory,
  type AutocastDType,
  type AutocastOp,
  autocastCategory,
  autocastDType,
} from './autocast-policy.js';
export {
  bfloat16ToFloat32,
  float32ToBFloat16,
  fromBFloat16Bits,
  roundToBFloat16,
  toBFloat16Bits,
} from './bfloat16.js';
export { float32ToFormat, formatToFloat32 } from './bulk.js';
export type { CodeArrayFor } from './convert.js';
export { WASM_MIN_LENGTH } from './convert.js';
export { type ErrorStats, errorStats, type UlpFormat, ulpDistance, ulpOf } from './error-stats.js';
export {
  InvalidArgumentError,
  LengthMismatchError,
  NonFiniteError,
  PrecisionError,
  StateError,
  UnsupportedError,
} from './errors.js';
export {
  float8E4M3ToFloat32,
  float32ToFloat8E4M3,
  fromFloat8E4M3Bits,
  roundToFloat8E4M3,
  toFloat8E4M3Bits,
} from './float8-e4m3.js';
export {
  float8E5M2ToFloat32,
  float32ToFloat8E5M2,
  fromFloat8E5M2Bits,
  roundToFloat8E5M2,
  toFloat8E5M2Bits,
} from './float8-e5m2.js';
export {
  float16ToFloat32,
  float32ToFloat16,
  fromFloat16Bits,
  roundToFloat16,
  toFloat16Bits,
} from './float16.js';
export { bitsToFloat32, float32ToBits } from './float32-bits.js';
export {
  FORMAT_NAMES,
  FORMATS,
  type FormatInfo,
  type FormatName,
  isFormatName,
} from './formats.js';
export { GradScaler, type GradScalerOptions, type GradScalerState } from './grad-scaler.js';
export { initWasmKernels, wasmSimdAvailable } from './kernels/wasm.js';
export { MasterWeights, type MasterWeightsOptions } from './master-weights.js';
export {
  type ConvertOptions,
  type KernelChoice,
  ROUNDING_MODES,
  type RoundingMode,
} from './options.js';
export {
  dequantizeInt8,
  type QuantizationScheme,
  type QuantizedInt8,
  type QuantizeInt8Options,
  quantizeInt8,
} from './quantize-int8.js';
export { type RandomSource, Xoshiro128, xoshiro128SeedState } from './random.js';
export {
  formatHistogram,
  type HistogramOptions,
  type RoundingHistogram,
  roundingErrorHistogram,
} from './rounding-histogram.js';
export {
  float32BitsToFormatBits,
  formatBitsToFloat32Bits,
  fromFormatBits,
  roundToFormat,
  toFormatBits,
} from './scalar.js';
