import { describe, expect, it } from 'vitest';
import {
  BackendError,
  concat,
  crossEntropy,
  DTypeError,
  embedding,
  gather,
  IndexRangeError,
  loadSafetensors,
  matmul,
  ones,
  SafetensorsError,
  ShapeError,
  setBackend,
  TensorError,
  tensor,
  ValueError,
  zeros,
} from './index.js';

/** Runs `fn`, expecting a TensorError of class `kind` whose message contains every fragment. */
function expectError(
  fn: () => unknown,
  kind: abstract new (...args: never[]) => TensorError,
  ...fragments: string[]
) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(kind);
    expect(TensorError.isInstance(error)).toBe(true);
    for (const fragment of fragments) expect((error as Error).message).toContain(fragment);
    return error as TensorError;
  }
  throw new Error('expected an error');
}

describe('bad input gets named errors that name the op and the values', () => {
  it('shape mismatches', () => {
    const e = expectError(
      () => matmul(ones([2, 3]), ones([4, 5])),
      ShapeError,
      'matmul: shape mismatch, lhs [2, 3], rhs [4, 5]',
    );
    expect((e as ShapeError).shapes).toEqual([
      [2, 3],
      [4, 5],
    ]);
    expectError(
      () => ones([2, 3]).add(ones([4])),
      ShapeError,
      'add: shapes [2, 3], [4] do not broadcast',
    );
    expectError(
      () => concat([ones([2, 3]), ones([3, 3])], 1),
      ShapeError,
      'concat',
      '[2, 3], [3, 3]',
    );
    expectError(
      () => crossEntropy(ones([4, 3]), tensor([0, 1], { dtype: 'int32' })),
      ShapeError,
      'crossEntropy',
      'targets [2]',
    );
  });

  it('wrong dtypes', () => {
    expectError(
      () => gather(ones([3]), 0, tensor([0.5])),
      DTypeError,
      'gather: index must be int32, got float32',
    );
    expectError(
      () => ones([2]).softmax().add(1).to('int32').softmax(),
      DTypeError,
      'softmax: expects a floating-point tensor, got int32',
    );
    expectError(() => matmul(tensor([true]), tensor([true])), DTypeError, 'matmul: bool operands');
  });

  it('out-of-range axes and indices', () => {
    const e = expectError(
      () => ones([2, 3]).sum(2),
      IndexRangeError,
      'sum: axis 2 is out of range for a tensor of rank 2',
    );
    expect((e as IndexRangeError).value).toBe(2);
    expectError(() => ones([2, 3]).transpose(0, -3), IndexRangeError, 'axis -3');
    expectError(
      () => embedding(ones([5, 2]), tensor([1, 7], { dtype: 'int32' })),
      IndexRangeError,
      'gather: index 7 is out of range for an axis of length 5',
    );
    expectError(
      () => ones([3]).slice(3),
      IndexRangeError,
      'slice: index 3 is out of range for axis 0 of length 3',
    );
    expectError(() => ones([3]).topk(4), ValueError, 'topk: k = 4 is outside [0, 3]');
  });

  it('invalid values', () => {
    expectError(() => ones([2]).clamp(2, 1), ValueError, 'clamp: invalid bounds min 2, max 1');
    expectError(
      () =>
        ones([2])
          .max(0)
          .add(zeros([0]).max()),
      ValueError,
      'max: cannot take the max over an empty axis',
    );
    expectError(() => setBackend('cuda'), BackendError, 'setBackend: unknown backend "cuda"');
  });

  it('corrupt and truncated safetensors files', () => {
    expectError(() => loadSafetensors(new Uint8Array(3)), SafetensorsError, 'too small');
    const header = new TextEncoder().encode(
      '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}',
    );
    const file = new Uint8Array(8 + header.length + 8);
    new DataView(file.buffer).setBigUint64(0, BigInt(header.length), true);
    file.set(header, 8);
    expect(loadSafetensors(file).tensors.a!.shape).toEqual([2]);
    expectError(
      () => loadSafetensors(file.subarray(0, file.length - 1)),
      SafetensorsError,
      'truncated',
    );
    const bad = file.slice();
    bad[8] = 0x5b; // '[' instead of '{'
    expectError(() => loadSafetensors(bad), SafetensorsError, 'not valid UTF-8 JSON');
    const huge = file.slice();
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    expectError(() => loadSafetensors(huge), SafetensorsError, 'exceeds the 100000000-byte limit');
  });

  it('no error crashes the process or leaves NaN-corrupted results behind', () => {
    const a = ones([2, 2]);
    expect(() => a.add(ones([3]))).toThrow(TensorError);
    expect(a.toArray()).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });
});
