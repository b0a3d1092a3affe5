/**
 * The bulk conversions and the bit-pattern codec against the float64 oracle:
 * a seeded sample of about three million float32 patterns (uniform over all
 * 2^32, concentrated where each format rounds, every boundary and midpoint,
 * every special value), every kernel, every rounding mode; and every 16-bit
 * and 8-bit code decoded. `npm run verify` does the same over all 2^32 patterns.
 */
import { describe, expect, it } from 'vitest';
import { float32ToFormat, formatToFloat32 } from './bulk.js';
import { FORMAT_NAMES, FORMATS, type FormatName } from './formats.js';
import { wasmSimdAvailable } from './kernels/wasm.js';
import { Xoshiro128 } from './random.js';
import { float32BitsToFormatBits, formatBitsToFloat32Bits } from './scalar.js';
import { oracleDecodePattern, oracleEncodePattern } from './test/oracle.js';
import { samplePatterns } from './test/sample.js';

const patterns = samplePatterns(1_500_000, 20240601);
const kernels = wasmSimdAvailable() ? (['js', 'wasm'] as const) : (['js'] as const);

function firstMismatches(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  inputs: Uint32Array,
) {
  const found: string[] = [];
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) {
      if (found.length < 5) {
        const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;
        found.push(`${hex(inputs[i]!)}: got ${hex(actual[i]!)}, want ${hex(expected[i]!)}`);
      }
      count++;
    }
  }
  return { count, found };
}

function expectedCodes(
  format: FormatName,
  inputs: Uint32Array,
  saturate: boolean,
  rounding: 'nearest-even' | 'toward-zero' = 'nearest-even',
) {
  const out = new Uint32Array(inputs.length);
  for (let i = 0; i < inputs.length; i++)
    out[i] = oracleEncodePattern(format, inputs[i]!, { saturate, rounding });
  return out;
}

describe('float32 -> narrow formats, round-to-nearest-even, against the oracle', () => {
  it('samples at least three million patterns', () => {
    expect(patterns.length).toBeGreaterThan(3_000_000);
  });

  for (const format of FORMAT_NAMES) {
    for (const saturate of [false, true]) {
      it(`${format}${saturate ? ' (saturate)' : ''}: every kernel and the scalar codec agree with the oracle`, () => {
        // Saturation changes only the overflow region: the specials and boundaries at
        // the head of the sample, plus some uniform patterns, are enough for it.
        const inputs = saturate ? patterns.subarray(0, 800_000) : patterns;
        const expected = expectedCodes(format, inputs, saturate);
        for (const kernel of kernels) {
          const src = new Float32Array(inputs.buffer, 0, inputs.length);
          const actual = float32ToFormat(format, src, undefined, { kernel, saturate });
          expect(firstMismatches(actual, expected, inputs), kernel).toEqual({
            count: 0,
            found: [],
          });
        }
        const strided = inputs.filter((_, i) => i % 8 === 0);
        const scalar = strided.map((pattern) =>
          float32BitsToFormatBits(format, pattern, { saturate }),
        );
        const wanted = expected.filter((_, i) => i % 8 === 0);
        expect(firstMismatches(scalar, wanted, strided)).toEqual({ count: 0, found: [] });
      });
    }
  }
});

describe('float32 -> narrow formats, toward zero, against the oracle', () => {
  const subset = patterns.subarray(0, 600_000);
  for (const format of FORMAT_NAMES) {
    for (const saturate of [false, true]) {
      it(`${format}${saturate ? ' (saturate)' : ''}`, () => {
        const expected = expectedCodes(format, subset, saturate, 'toward-zero');
        const actual = float32ToFormat(format, new Float32Array(subset.slice().buffer), undefined, {
          rounding: 'toward-zero',
          saturate,
        });
        expect(firstMismatches(actual, expected, subset)).toEqual({ count: 0, found: [] });
      });
    }
  }
});

describe('narrow formats -> float32, every code', () => {
  for (const format of FORMAT_NAMES) {
    it(`${format}: every kernel and the scalar codec decode every code exactly`, () => {
      const size = 2 ** FORMATS[format].bits;
      const codes = size === 65536 ? new Uint16Array(size) : new Uint8Array(size);
      for (let code = 0; code < size; code++) codes[code] = code;
      const expected = new Uint32Array(size);
      for (let code = 0; code < size; code++) expected[code] = oracleDecodePattern(format, code);
      const inputs = Uint32Array.from(codes);
      for (const kernel of kernels) {
        const decoded = formatToFloat32(format, codes as never, undefined, { kernel });
        expect(firstMismatches(new Uint32Array(decoded.buffer), expected, inputs), kernel).toEqual({
          count: 0,
          found: [],
        });
      }
      const scalar = inputs.map((code) => formatBitsToFloat32Bits(format, code));
      expect(firstMismatches(scalar, expected, inputs)).toEqual({ count: 0, found: [] });
    });

    it(`${format}: decode then encode gives the code back (non-NaN codes and quiet NaNs)`, () => {
      const size = 2 ** FORMATS[format].bits;
      const codes = size === 65536 ? new Uint16Array(size) : new Uint8Array(size);
      for (let code = 0; code < size; code++) codes[code] = code;
      const back = float32ToFormat(format, formatToFloat32(format, codes as never));
      const f = FORMATS[format];
      const quiet = f.hasInfinity ? 2 ** (f.mantissaBits - 1) : 0;
      let bad = 0;
      for (let code = 0; code < size; code++) {
        const magnitude = code & (f.signBit - 1);
        const isNaNCode = f.hasInfinity ? magnitude > f.infinityBits : magnitude === f.nanBits;
        const signalling = isNaNCode && f.hasInfinity && (magnitude & quiet) === 0;
        if (!signalling && back[code] !== code) bad++;
      }
      expect(bad).toBe(0);
    });
  }
});

describe('chunking and tails', () => {
  it('gives the same codes for every length and offset around the WebAssembly chunk size', () => {
    const random = new Xoshiro128(5);
    const data = new Float32Array(16384 * 2 + 37).map(() => (random.nextFloat() - 0.5) * 1000);
    for (const format of FORMAT_NAMES) {
      const reference = float32ToFormat(format, data, undefined, { kernel: 'js' });
      for (const [start, end] of [
        [0, 1],
        [3, 20],
        [1, 16384],
        [0, 16385],
        [7, data.length],
      ] as const) {
        const part = data.subarray(start, end);
        for (const kernel of kernels) {
          const codes = float32ToFormat(format, part, undefined, { kernel });
          expect(Array.from(codes)).toEqual(Array.from(reference.subarray(start, end)));
          const back = formatToFloat32(format, codes as never, undefined, { kernel });
          const backJs = formatToFloat32(format, codes as never, undefined, { kernel: 'js' });
          expect(new Uint32Array(back.buffer, back.byteOffset, back.length)).toEqual(
            new Uint32Array(backJs.buffer, backJs.byteOffset, backJs.length),
          );
        }
      }
    }
  });

  it('handles empty arrays and writes into a given destination', () => {
    expect(float32ToFormat('float16', new Float32Array(0))).toEqual(new Uint16Array(0));
    const dst = new Uint8Array(3);
    expect(float32ToFormat('float8e5m2', new Float32Array([1, 2, 3]), dst)).toBe(dst);
    expect(Array.from(dst)).toEqual([0x3c, 0x40, 0x42]);
  });
});
