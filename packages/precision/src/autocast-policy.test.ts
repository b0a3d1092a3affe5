import { describe, expect, it } from 'vitest';
import { AUTOCAST_POLICY, autocastCategory, autocastDType } from './autocast-policy.js';
import { InvalidArgumentError } from './errors.js';

describe('autocast policy', () => {
  it('puts matrix products in half precision and range-sensitive ops in float32', () => {
    for (const op of ['matmul', 'linear', 'conv1d', 'bmm', 'scaledDotProductAttention']) {
      expect(autocastCategory(op)).toBe('half');
    }
    for (const op of [
      'softmax',
      'logSoftmax',
      'layerNorm',
      'rmsNorm',
      'crossEntropy',
      'sum',
      'mean',
      'exp',
      'log',
      'pow',
      'cumsum',
    ]) {
      expect(autocastCategory(op)).toBe('fp32');
    }
    for (const op of ['add', 'mul', 'relu', 'gelu', 'where', 'max', 'unlistedOp']) {
      expect(autocastCategory(op)).toBe('promote');
    }
    expect(AUTOCAST_POLICY.softmax).toBe('fp32');
    expect(autocastCategory('toString')).toBe('promote'); // no prototype lookups
  });

  it('chooses the compute dtype from the inputs', () => {
    expect(autocastDType('matmul', ['float32', 'float32'])).toBe('float16');
    expect(autocastDType('matmul', ['float32'], 'bfloat16')).toBe('bfloat16');
    expect(autocastDType('softmax', ['float16'])).toBe('float32');
    expect(autocastDType('add', ['float16', 'float32'])).toBe('float32');
    expect(autocastDType('add', ['float16', 'float16'])).toBe('float16');
    expect(autocastDType('add', ['float16', 'bfloat16'])).toBe('float32');
    expect(autocastDType('add', ['bfloat16', 'int32'], 'bfloat16')).toBe('bfloat16');
    expect(autocastDType('matmul', ['float64', 'float32'])).toBe('float64');
    expect(autocastDType('gather', ['int32', 'bool'])).toBeUndefined();
  });

  it('validates its arguments', () => {
    expect(() => autocastDType('matmul', ['float32'], 'float8' as never)).toThrow(
      InvalidArgumentError,
    );
    expect(() => autocastDType('matmul', 'float32' as never)).toThrow(InvalidArgumentError);
    expect(() => autocastCategory(3 as never)).toThrow(InvalidArgumentError);
  });
});
