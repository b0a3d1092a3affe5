/**
 * Error classes, and validation at every API boundary: messages name the op
 * and the offending value; structured fields carry them.
 */
import { describe, expect, it } from 'vitest';
import { float32ToFormat, formatToFloat32 } from './bulk.js';
import {
  InvalidArgumentError,
  LengthMismatchError,
  NonFiniteError,
  PrecisionError,
  StateError,
  UnsupportedError,
} from './errors.js';
import { float16ToFloat32, float32ToFloat16, fromFloat16Bits, toFloat16Bits } from './float16.js';
import { float32BitsToFormatBits, formatBitsToFloat32Bits, toFormatBits } from './scalar.js';

describe('error classes', () => {
  it('share one brand, recognised across copies of the package', () => {
    const errors = [
      new InvalidArgumentError('op', 'x', 1, 'a string'),
      new LengthMismatchError('op', 'dst', 3, 2),
      new NonFiniteError('op', 4, Number.NaN),
      new StateError('op', 'ready', 'nope'),
      new UnsupportedError('op', 'WebAssembly SIMD'),
    ];
    for (const error of errors) {
      expect(PrecisionError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(Error);
      expect(error.op).toBe('op');
      expect(error.message.startsWith('op: ')).toBe(true);
    }
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@x/precision.error')]: true });
    expect(PrecisionError.isInstance(foreign)).toBe(true);
    expect(PrecisionError.isInstance(new Error('x'))).toBe(false);
    expect(PrecisionError.isInstance(null)).toBe(false);
  });

  it('carry structured fields', () => {
    const error = new LengthMismatchError('float32ToFloat16', 'dst', 4, 3);
    expect(error.message).toBe('float32ToFloat16: dst has length 3, expected 4');
    expect([error.argument, error.expected, error.actual, error.name]).toEqual([
      'dst',
      4,
      3,
      'LengthMismatchError',
    ]);
    const invalid = new InvalidArgumentError('toFloat16Bits', 'rounding', 'up', 'one of a, b');
    expect(invalid.message).toBe('toFloat16Bits: rounding must be one of a, b, got "up"');
    expect([invalid.argument, invalid.value]).toEqual(['rounding', 'up']);
  });
});

describe('validation at the API boundary', () => {
  it('rejects bad options', () => {
    expect(() => toFloat16Bits(1, { rounding: 'up' as never })).toThrow(
      'toFormatBits: rounding must be one of nearest-even, toward-zero, stochastic, got "up"',
    );
    expect(() => toFloat16Bits(1, { saturate: 'yes' as never })).toThrow(InvalidArgumentError);
    expect(() => toFloat16Bits(1, { rounding: 'stochastic' })).toThrow(
      "toFormatBits: random must be a RandomSource or a seed when rounding is 'stochastic', got undefined",
    );
    expect(() => toFloat16Bits(1, { rounding: 'stochastic', seed: 0.5 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => toFloat16Bits(1, { rounding: 'stochastic', random: {} as never })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      float32ToFloat16(new Float32Array(1), undefined, { kernel: 'gpu' as never }),
    ).toThrow(InvalidArgumentError);
    expect(() => toFloat16Bits(1, 5 as never)).toThrow(InvalidArgumentError);
  });

  it('rejects bad values, codes and formats', () => {
    expect(() => toFloat16Bits('1' as never)).toThrow('toFormatBits: x must be a number, got "1"');
    expect(() => fromFloat16Bits(65536)).toThrow(
      'fromFormatBits: bits must be an integer in [0, 65536), got 65536',
    );
    expect(() => fromFloat16Bits(-1)).toThrow(InvalidArgumentError);
    expect(() => toFormatBits('float12' as never, 1)).toThrow(
      'toFormatBits: format must be one of float16, bfloat16, float8e4m3, float8e5m2, got "float12"',
    );
    expect(() => float32BitsToFormatBits('float16', 2 ** 32)).toThrow(InvalidArgumentError);
    expect(() => formatBitsToFloat32Bits('float8e4m3', 256)).toThrow(InvalidArgumentError);
  });

  it('rejects bad arrays', () => {
    expect(() => float32ToFloat16([1, 2] as never)).toThrow(
      'float32ToFloat16: src must be a Float32Array, got an array',
    );
    expect(() => float32ToFloat16(new Float32Array(2), new Uint16Array(3))).toThrow(
      'float32ToFloat16: dst has length 3, expected 2',
    );
    expect(() => float32ToFloat16(new Float32Array(2), new Uint8Array(2) as never)).toThrow(
      'float32ToFloat16: dst must be a Uint16Array, got a Uint8Array',
    );
    expect(() =>
      float32ToFormat('float8e4m3', new Float32Array(2), new Uint16Array(2) as never),
    ).toThrow(InvalidArgumentError);
    expect(() => float16ToFloat32(new Uint8Array(2) as never)).toThrow(InvalidArgumentError);
    expect(() => float16ToFloat32(new Uint16Array(2), new Float64Array(2) as never)).toThrow(
      InvalidArgumentError,
    );
    expect(() => float16ToFloat32(new Uint16Array(2), new Float32Array(1))).toThrow(
      LengthMismatchError,
    );
    expect(() => formatToFloat32('float4' as never, new Uint8Array(1) as never)).toThrow(
      InvalidArgumentError,
    );
  });
});
