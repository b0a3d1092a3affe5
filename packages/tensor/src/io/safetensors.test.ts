import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  arange,
  InvalidArgumentError,
  loadSafetensors,
  readSafetensorsHeader,
  SafetensorsError,
  saveSafetensors,
  tensor,
} from '../index.js';
import { loadSafetensorsFile, saveSafetensorsFile } from '../node/index.js';

// Byte-exact expectations published in the reference implementation's own tests
// (huggingface/safetensors, safetensors/src/tensor.rs: test_serialization, test_empty,
// test_serialization_forced_alignement). They are the spec's worked examples.
const ATTN_0 = [
  64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100, 116, 121, 112,
  101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 50, 44, 51,
  93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52,
  93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
];
const ATTN0_ALIGNED = [
  72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101,
  34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 49, 44, 50, 44,
  51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50,
  52, 93, 125, 125, 32, 32, 32, 32, 32, 32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64,
  64, 0, 0, 128, 64, 0, 0, 160, 64,
];
const EMPTY = [8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32];
const EMPTY_WITH_METADATA = [
  40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95, 95, 34, 58,
  123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112, 116, 34, 125, 125, 32, 32,
  32, 32, 32,
];

describe('safetensors', () => {
  it('writes exactly the bytes of the reference implementation', () => {
    const values = tensor([0, 1, 2, 3, 4, 5], { shape: [1, 2, 3] });
    expect([...saveSafetensors({ 'attn.0': values })]).toEqual(ATTN_0);
    expect([...saveSafetensors({ attn0: values.reshape(1, 1, 2, 3) })]).toEqual(ATTN0_ALIGNED);
    expect([...saveSafetensors({})]).toEqual(EMPTY);
    expect([...saveSafetensors({}, { framework: 'pt' })]).toEqual(EMPTY_WITH_METADATA);
  });

  it('reads the reference bytes back', () => {
    const { tensors, metadata } = loadSafetensors(new Uint8Array(ATTN_0));
    expect(metadata).toBeNull();
    expect(tensors['attn.0']!.shape).toEqual([1, 2, 3]);
    expect(tensors['attn.0']!.toArray()).toEqual([
      [
        [0, 1, 2],
        [3, 4, 5],
      ],
    ]);
    expect(loadSafetensors(new Uint8Array(EMPTY_WITH_METADATA)).metadata).toEqual({
      framework: 'pt',
    });
  });

  it('orders tensors by descending dtype alignment, then name, as the reference', () => {
    const bytes = saveSafetensors({
      b: tensor([1], { dtype: 'int32' }),
      a: tensor([true]),
      z: tensor([1], { dtype: 'float64' }),
      c: tensor([2]),
    });
    const header = readSafetensorsHeader(bytes);
    expect([...header.entries.keys()]).toEqual(['z', 'c', 'b', 'a']);
    // integer-like names keep the reference's (lexicographic) order in the JSON text
    const numeric = saveSafetensors({ '9': tensor([1]), '10': tensor([2]) }, { m: 'x' });
    const text = new TextDecoder().decode(
      numeric.subarray(8, 8 + Number(new DataView(numeric.buffer).getBigUint64(0, true))),
    );
    expect(text.indexOf('__metadata__')).toBeLessThan(text.indexOf('"10"'));
    expect(text.indexOf('"10"')).toBeLessThan(text.indexOf('"9"'));
    expect(header.dataStart % 8).toBe(0);
  });

  it('round-trips every dtype, views and empty tensors', () => {
    const source = {
      f32: arange(12, undefined, 1, { dtype: 'float32' }).reshape(3, 4).transpose(),
      f64: tensor([Math.PI, -0, Number.NaN, Infinity], { dtype: 'float64' }),
      i32: tensor([-2147483648, 2147483647], { dtype: 'int32' }),
      bool: tensor([true, false, true]),
      empty: tensor([], { shape: [0, 3] }),
    };
    const { tensors } = loadSafetensors(saveSafetensors(source, { note: 'x' }));
    for (const [name, t] of Object.entries(source)) {
      expect(tensors[name]!.dtype).toBe(t.dtype);
      expect(tensors[name]!.shape).toEqual(t.shape);
      expect(Object.is(tensors[name]!.toTypedArray()[1], t.toTypedArray()[1])).toBe(true);
      expect(tensors[name]!.toArray()).toEqual(t.toArray());
    }
  });

  it('reads I64 (PyTorch index buffers) as int32 and refuses values that do not fit', () => {
    const header = new TextEncoder().encode(
      '{"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}',
    );
    const pad = (8 - (header.length % 8)) % 8;
    const file = new Uint8Array(8 + header.length + pad + 16);
    const view = new DataView(file.buffer);
    view.setBigUint64(0, BigInt(header.length + pad), true);
    file.set(header, 8);
    file.fill(32, 8 + header.length, 8 + header.length + pad);
    const start = 8 + header.length + pad;
    view.setBigInt64(start, -5n, true);
    view.setBigInt64(start + 8, 7n, true);
    expect(loadSafetensors(file).tensors.ids!.toArray()).toEqual([-5, 7]);
    view.setBigInt64(start + 8, 1n << 40n, true);
    expect(() => loadSafetensors(file)).toThrow(/outside the int32 range/);
  });

  it('rejects holes, overlaps and size mismatches', () => {
    const make = (json: string, dataBytes: number) => {
      const header = new TextEncoder().encode(json);
      const file = new Uint8Array(8 + header.length + dataBytes);
      new DataView(file.buffer).setBigUint64(0, BigInt(header.length), true);
      file.set(header, 8);
      return file;
    };
    expect(() =>
      loadSafetensors(make('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', 8)),
    ).toThrow(/expected to start at 0/);
    expect(() =>
      loadSafetensors(make('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', 8)),
    ).toThrow(/needs 12/);
    expect(() =>
      loadSafetensors(make('{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}', 1)),
    ).toThrow(/unknown dtype "Q4"/);
    expect(() =>
      loadSafetensors(make('{"a":{"dtype":"U16","shape":[1],"data_offsets":[0,2]}}', 2)),
    ).toThrow(SafetensorsError);
    expect(() =>
      loadSafetensors(make('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 5)),
    ).toThrow(/trailing bytes/);
  });

  it('writes files atomically and reads them back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'x-tensor-'));
    const path = join(dir, 'model.safetensors');
    writeFileSync(path, 'old content');
    await saveSafetensorsFile(path, { w: tensor([1, 2]) }, { format: 'pt' });
    const { tensors, metadata } = await loadSafetensorsFile(path);
    expect(tensors.w!.toArray()).toEqual([1, 2]);
    expect(metadata).toEqual({ format: 'pt' });
    expect(readFileSync(path).subarray(0, 8)[0]).toBeGreaterThan(0);
  });

  it('takes (path, tensors) and names a wrong argument with InvalidArgumentError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'x-tensor-'));
    const path = join(dir, 'w.safetensors');
    const tensors = { w: tensor([1, 2]) };
    expect(await saveSafetensorsFile(new URL(`file://${path}`), tensors)).toBe(
      readFileSync(path).length,
    );
    const swapped = saveSafetensorsFile(tensors as unknown as string, path as never);
    await expect(swapped).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(swapped).rejects.toThrow(
      /saveSafetensorsFile: path \(argument 1\) must be .*order is saveSafetensorsFile\(path, tensors/,
    );
    await expect(saveSafetensorsFile(path, tensor([1]) as never)).rejects.toThrow(
      /tensors \(argument 2\) must be an object of tensors by name/,
    );
    await expect(loadSafetensorsFile(3 as never)).rejects.toThrow(/loadSafetensorsFile: path/);
  });
});
