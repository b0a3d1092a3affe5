/**
 * Fuzz of safetensors loading (issue 19's probe): truncations at every 1/64
 * and seeded random byte flips. The format has no checksum, so a flip in
 * the data section is a valid file with other values; the requirement is
 * that every case ends in a SafetensorsError (a TensorError) within one
 * second, or loads to exactly what its bytes say, checked against an
 * independent parse of the header (names, dtypes, shapes, and each tensor's
 * raw bytes at its offsets). 1,064 cases here; `npm run fuzz` runs 20 times
 * the flips.
 */
import { expect, it } from 'vitest';
import {
  describeFuzz,
  fuzzCases,
  fuzzScale,
  runFuzz,
} from '../../../../scripts/test-support/format-fuzz.js';
import { TensorError } from '../errors.js';
import { arange, tensor } from '../index.js';
import { loadSafetensors, type SafetensorsContent, saveSafetensors } from './safetensors.js';

const SIZES: Record<string, number> = { F32: 4, I32: 4, F16: 2, BF16: 2, I64: 8, BOOL: 1 };

/** What the bytes say, parsed without the package's reader. */
function expectFaithful(content: SafetensorsContent, bytes: Uint8Array): void {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const names = Object.keys(header).filter((name) => name !== '__metadata__');
  expect(Object.keys(content.tensors).sort()).toEqual(names.sort());
  for (const name of names) {
    const entry = header[name]!;
    const t = content.tensors[name]!;
    expect(t.shape).toEqual(entry.shape);
    if (entry.dtype === 'I64') continue; // narrowed to int32 on load
    const raw = t.toRawArray();
    const stored = bytes.subarray(
      8 + length + entry.data_offsets[0],
      8 + length + entry.data_offsets[1],
    );
    expect(stored.length).toBe(raw.byteLength);
    expect(SIZES[entry.dtype]).toBe(raw.BYTES_PER_ELEMENT);
    expect([...new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)]).toEqual([...stored]);
  }
}

it('every truncated or corrupted safetensors file gets a named error, or loads to what its bytes say', () => {
  const original = saveSafetensors(
    {
      'model.embed.weight': arange(0, 24).reshape([4, 6]),
      'ln.bias': tensor([0.5, -1, 2], { dtype: 'float16' }),
      'ln.weight': tensor([1, 2, 3], { dtype: 'bfloat16' }),
      'token.ids': tensor([7, 8, 9, 10], { dtype: 'int32' }),
      '层.权重': tensor([[1.5, 2.5]]),
    },
    { format: 'pt', note: 'fuzz' },
  );
  const report = runFuzz(
    fuzzCases(original, { seed: 19, flips: 1000 }),
    (bytes) => loadSafetensors(bytes),
    (error) => TensorError.isInstance(error),
    (content, fuzzCase) => expectFaithful(content, fuzzCase.bytes),
  );
  console.log(describeFuzz('safetensors', report));
  expect(report.failures).toEqual([]);
  expect(report.cases).toBe(64 + 1000 * fuzzScale());
});
