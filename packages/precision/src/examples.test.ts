/**
 * The `@example` results printed in the TSDoc comments and the README, checked.
 */
import { describe, expect, it } from 'vitest';
import * as precision from './index.js';

const {
  FORMATS,
  GradScaler,
  MasterWeights,
  Xoshiro128,
  autocastCategory,
  autocastDType,
  bfloat16ToFloat32,
  bitsToFloat32,
  dequantizeInt8,
  errorStats,
  float16ToFloat32,
  float32BitsToFormatBits,
  float32ToBFloat16,
  float32ToBits,
  float32ToFloat8E4M3,
  float32ToFloat8E5M2,
  float32ToFloat16,
  float32ToFormat,
  float8E4M3ToFloat32,
  float8E5M2ToFloat32,
  formatBitsToFloat32Bits,
  formatToFloat32,
  fromBFloat16Bits,
  fromFloat8E4M3Bits,
  fromFloat8E5M2Bits,
  fromFloat16Bits,
  fromFormatBits,
  isFormatName,
  quantizeInt8,
  roundToBFloat16,
  roundToFloat8E4M3,
  roundToFloat8E5M2,
  roundToFloat16,
  roundToFormat,
  roundingErrorHistogram,
  toBFloat16Bits,
  toFloat8E4M3Bits,
  toFloat8E5M2Bits,
  toFloat16Bits,
  toFormatBits,
  ulpDistance,
  ulpOf,
  wasmSimdAvailable,
} = precision;

const hex = (n: number) => n.toString(16);

describe('documented examples', () => {
  it('formats and bits', () => {
    expect(FORMATS.float8e4m3.maxFinite).toBe(448);
    expect(hex(FORMATS.float16.maxFiniteBits)).toBe('7bff');
    expect(isFormatName('float16')).toBe(true);
    expect(hex(float32ToBits(1))).toBe('3f800000');
    expect(bitsToFloat32(0x3eaaaaab)).toBe(0.3333333432674408);
    expect(hex(toFormatBits('float8e4m3', 448))).toBe('7e');
    expect(fromFormatBits('float8e5m2', 0x7b)).toBe(57344);
    expect(roundToFormat('bfloat16', 1 / 3)).toBe(0.333984375);
    expect(hex(float32BitsToFormatBits('float16', 0x7fc00001))).toBe('7e00');
    expect(hex(formatBitsToFloat32Bits('bfloat16', 0x3f80))).toBe('3f800000');
    expect(wasmSimdAvailable()).toBe(true);
  });

  it('per-format functions', () => {
    expect(hex(toFloat16Bits(65504))).toBe('7bff');
    expect(toFloat16Bits(2 ** -24)).toBe(1);
    expect(hex(toFloat16Bits(65520))).toBe('7c00');
    expect(fromFloat16Bits(0x3555)).toBe(0.333251953125);
    expect(roundToFloat16(0.1)).toBe(0.0999755859375);
    expect(Array.from(float32ToFloat16(new Float32Array([1, -2, 65504, 1e-8])))).toEqual([
      15360, 49152, 31743, 0,
    ]);
    expect(Array.from(float16ToFloat32(new Uint16Array([0x3c00, 0x7c00, 0x0001])))).toEqual([
      1,
      Number.POSITIVE_INFINITY,
      2 ** -24,
    ]);
    expect(hex(toBFloat16Bits(1 / 3))).toBe('3eab');
    expect(hex(toBFloat16Bits(-1))).toBe('bf80');
    expect(fromBFloat16Bits(0x3eab)).toBe(0.333984375);
    expect(roundToBFloat16(Math.PI)).toBe(3.140625);
    expect(Array.from(float32ToBFloat16(new Float32Array([1, 1 / 3, -0])))).toEqual([
      16256, 16043, 32768,
    ]);
    expect(Array.from(bfloat16ToFloat32(new Uint16Array([0x3f80, 0x3eab])))).toEqual([
      1, 0.333984375,
    ]);
    expect(hex(toFloat8E4M3Bits(448))).toBe('7e');
    expect(hex(toFloat8E4M3Bits(500))).toBe('7f');
    expect(hex(toFloat8E4M3Bits(500, { saturate: true }))).toBe('7e');
    expect(fromFloat8E4M3Bits(0x01)).toBe(0.001953125);
    expect(roundToFloat8E4M3(0.3)).toBe(0.3125);
    expect(
      Array.from(
        float32ToFloat8E4M3(new Float32Array([1, -448, 1000]), undefined, { saturate: true }),
      ),
    ).toEqual([56, 254, 126]);
    expect(Array.from(float8E4M3ToFloat32(new Uint8Array([0x38, 0x7e, 0x7f])))).toEqual([
      1,
      448,
      Number.NaN,
    ]);
    expect(hex(toFloat8E5M2Bits(57344))).toBe('7b');
    expect(hex(toFloat8E5M2Bits(61440))).toBe('7c');
    expect(fromFloat8E5M2Bits(0x01)).toBe(0.0000152587890625);
    expect(roundToFloat8E5M2(0.3)).toBe(0.3125);
    expect(
      Array.from(float32ToFloat8E5M2(new Float32Array([1, -2, Number.POSITIVE_INFINITY]))),
    ).toEqual([60, 192, 124]);
    expect(Array.from(float8E5M2ToFloat32(new Uint8Array([0x3c, 0x7b, 0x7c])))).toEqual([
      1,
      57344,
      Number.POSITIVE_INFINITY,
    ]);
    expect(Array.from(float32ToFormat('float8e5m2', new Float32Array([0.5, 3])))).toEqual([56, 66]);
    expect(Array.from(formatToFloat32('float8e5m2', new Uint8Array([56, 66])))).toEqual([0.5, 3]);
  });

  it('measures, quantization, random', () => {
    expect(ulpDistance(1, 1 + 2 ** -23)).toBe(1);
    expect(ulpDistance(65504, Number.POSITIVE_INFINITY, 'float16')).toBe(1);
    expect(ulpOf(1, 'float16')).toBe(0.0009765625);
    expect(ulpOf(300, 'float8e4m3')).toBe(32);
    const x = new Float32Array([0.1, 0.2, 0.3]);
    expect(errorStats(x, float16ToFloat32(float32ToFloat16(x))).maxAbsError).toBe(
      0.00004883110523223877,
    );
    const ramp = new Float32Array(10000).map((_, i) => 1 + i / 10000);
    expect(roundingErrorHistogram(ramp, 'float16').maxAbs).toBe(0.4991455078125);
    const q = quantizeInt8(new Float32Array([-1, 0, 0.5, 2]), { scheme: 'asymmetric' });
    expect([Array.from(q.values), q.scales[0], q.zeroPoints[0]]).toEqual([
      [-128, -43, -1, 127],
      0.011764706112444401,
      -43,
    ]);
    expect(Array.from(dequantizeInt8(q))).toEqual([-1, 0, 0.4941176474094391, 2]);
    expect(new Xoshiro128(42).nextUint32()).toBe(2837322924);
    expect(Xoshiro128.fromState([1, 2, 3, 4]).nextUint32()).toBe(11520);
  });

  it('training helpers', () => {
    const scaler = new GradScaler({ growthInterval: 2 });
    const grads = [new Float32Array([65536, 131072])];
    expect(scaler.unscale(grads)).toEqual({ foundInf: false });
    expect(Array.from(grads[0]!)).toEqual([1, 2]);
    scaler.update();
    expect(scaler.unscale([new Float32Array([Number.POSITIVE_INFINITY])])).toEqual({
      foundInf: true,
    });
    scaler.update();
    expect(scaler.scale).toBe(32768);
    expect(new GradScaler().scaleValue(0.5)).toBe(32768);
    expect(new GradScaler().stateDict().scale).toBe(65536);
    expect(Array.from(MasterWeights.fromFloat32([new Float32Array([0.1])]).half[0]!)).toEqual([
      11878,
    ]);
    expect(autocastCategory('matmul')).toBe('half');
    expect(autocastCategory('layerNorm')).toBe('fp32');
    expect(autocastCategory('myCustomOp')).toBe('promote');
    expect(autocastDType('matmul', ['float32', 'float32'])).toBe('float16');
    expect(autocastDType('softmax', ['float16'])).toBe('float32');
    expect(autocastDType('add', ['float16', 'float32'])).toBe('float32');
    expect(autocastDType('add', ['bfloat16'], 'bfloat16')).toBe('bfloat16');
  });
});

describe('documented examples of @x/precision/test and the error classes', () => {
  it('match', async () => {
    const t = await import('./test/index.js');
    const e = await import('./errors.js');
    expect(t.ORACLE_SPECS.float8e4m3.max).toBe(448);
    expect(t.binade(0.75)).toBe(-1);
    expect(t.float32Value(0x3f800000)).toBe(1);
    expect(t.formatValue('float16', 0x7bff)).toBe(65504);
    expect(t.quantumOf('float16', 3)).toBe(0.001953125);
    expect(t.roundUnbounded(1.3, 0.5, 'nearest-even', 0)).toBe(1.5);
    expect(t.applyOverflow(t.ORACLE_SPECS.float8e4m3, 480, 'nearest-even', false)).toBeNaN();
    expect(t.roundMagnitude(t.ORACLE_SPECS.float16, 65520, 32, 'nearest-even', false, 0)).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(t.oracleRound('float8e4m3', 464)).toBe(448);
    expect(t.codeOfValue('float16', -2)).toBe(49152);
    expect(hex(t.nanCodeOf('float16', 0xffc00000))).toBe('fe00');
    expect(hex(t.oracleEncodePattern('bfloat16', 0x3eaaaaab))).toBe('3eab');
    expect(hex(t.oracleDecodePattern('float8e4m3', 0x7f))).toBe('7fc00000');
    expect(t.SPECIAL_PATTERNS.length).toBe(22);
    expect(t.boundaryPatterns('float8e4m3').length).toBe(1524);
    expect(t.samplePatterns(1000).length).toBe(117978);
    expect(precision.FORMAT_NAMES[2]).toBe('float8e4m3');
    expect(precision.ROUNDING_MODES.includes('stochastic')).toBe(true);
    expect(precision.WASM_MIN_LENGTH).toBe(128);
    expect(new e.InvalidArgumentError('toFloat16Bits', 'x', '1', 'a number').message).toBe(
      'toFloat16Bits: x must be a number, got "1"',
    );
    expect(new e.NonFiniteError('quantizeInt8', 1, Number.NaN).message).toBe(
      'quantizeInt8: element 1 is NaN, expected a finite number',
    );
    expect(new e.StateError('GradScaler.step', 'stepped', 'call update() first').state).toBe(
      'stepped',
    );
    expect(new e.UnsupportedError('float32ToFloat16', 'WebAssembly SIMD').message).toBe(
      'float32ToFloat16: WebAssembly SIMD is not available on this platform',
    );
  });
});
