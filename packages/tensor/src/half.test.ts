import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  loadSafetensors,
  matmul,
  promoteTypes,
  saveSafetensors,
  tensor,
} from './index.js';

describe('float16 and bfloat16', () => {
  it('store 16-bit codes and read back exact values', () => {
    const h = tensor([1, 1 / 3, 65504, 70000, 2 ** -24, -0], { dtype: 'float16' });
    expect(h.toRawArray()).toBeInstanceOf(Uint16Array); // any backend: the stored codes read back
    expect([...(h.toRawArray() as Uint16Array)].map((c) => c.toString(16))).toEqual([
      '3c00',
      '3555',
      '7bff',
      '7c00',
      '1',
      '8000',
    ]);
    expect(h.toArray()).toEqual([1, 0.333251953125, 65504, Infinity, 2 ** -24, -0]);
    const b = tensor([1 / 3, 3.4e38], { dtype: 'bfloat16' });
    expect([...(b.toRawArray() as Uint16Array)].map((c) => c.toString(16))).toEqual([
      '3eab',
      '7f80',
    ]);
  });

  it('convert with to() and round to nearest even', () => {
    const x = tensor([1 + 2 ** -11, 1 + 3 * 2 ** -11, 1 + 2 ** -12]);
    // halfway cases: 1 + 2^-11 ties to 1 (even), 1 + 3 * 2^-11 ties to 1 + 2^-9
    expect(x.to('float16').toArray()).toEqual([1, 1 + 2 ** -9, 1]);
    expect(x.to('float16').to('float32').dtype).toBe('float32');
    expect(tensor([1.5, -2.5]).to('bfloat16').to('int32').toArray()).toEqual([1, -2]);
  });

  it('compute in float32 and round the result once', () => {
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float16' },
    );
    const y = matmul(a, a);
    expect(y.dtype).toBe('float16');
    expect(y.toArray()).toEqual([
      [7, 10],
      [15, 22],
    ]);
    expect(tensor([2048], { dtype: 'float16' }).add(1).toArray()).toEqual([2048]); // 2049 is not a float16
    expect(a.sum().item()).toBe(10);
    expect(a.softmax(-1).dtype).toBe('float16');
  });

  it('promote as PyTorch does', () => {
    expect(promoteTypes('float16', 'bfloat16')).toBe('float32');
    expect(promoteTypes('float16', 'float32')).toBe('float32');
    expect(promoteTypes('int32', 'bfloat16')).toBe('bfloat16');
    expect(tensor([1], { dtype: 'float16' }).add(tensor([1], { dtype: 'bfloat16' })).dtype).toBe(
      'float32',
    );
  });

  it('flow gradients', () => {
    const w = tensor([0.5, -1], { dtype: 'float16', requiresGrad: true });
    w.mul(w).sum().backward();
    expect(w.grad!.dtype).toBe('float16');
    expect(w.grad!.toArray()).toEqual([1, -2]);
  });

  it('take Uint16Array codes only with an explicit dtype', () => {
    expect(tensor(new Uint16Array([0x3c00]), { dtype: 'float16' }).item()).toBe(1);
    expect(tensor(new Uint16Array([0x3f80]), { dtype: 'bfloat16' }).item()).toBe(1);
    expect(() => tensor(new Uint16Array([1]))).toThrow(DTypeError);
  });

  it('round-trip through safetensors as F16 and BF16', () => {
    const source = {
      h: tensor([1, -2.5, 65504], { dtype: 'float16' }),
      b: tensor([3, 1e-20], { dtype: 'bfloat16' }),
    };
    const bytes = saveSafetensors(source);
    const header = new TextDecoder().decode(
      bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))),
    );
    expect(header).toContain('"b":{"dtype":"BF16"');
    expect(header.indexOf('"b"')).toBeLessThan(header.indexOf('"h"')); // BF16 sorts before F16, as the reference
    const { tensors } = loadSafetensors(bytes);
    expect(tensors.h!.dtype).toBe('float16');
    expect(tensors.h!.toRawArray()).toEqual(source.h.toRawArray());
    expect(tensors.b!.toRawArray()).toEqual(source.b.toRawArray());
  });
});
