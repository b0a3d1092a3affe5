/**
 * Hand-checked, published bit patterns (IEEE 754 binary16, bfloat16, OCP OFP8
 * E4M3 / E5M2 tables), the format table against the oracle's independent
 * specs, the scalar JS-number API (rounding once from float64) against the
 * oracle and @petamoriken/float16, and the float16 bulk path against
 * @petamoriken/float16 on the seeded sample.
 */
import { Float16Array, f16round, getFloat16, setFloat16 } from '@petamoriken/float16';
import { describe, expect, it } from 'vitest';
import {
  bfloat16ToFloat32,
  float32ToBFloat16,
  fromBFloat16Bits,
  roundToBFloat16,
  toBFloat16Bits,
} from './bfloat16.js';
import { float32ToFormat } from './bulk.js';
import { fromFloat8E4M3Bits, toFloat8E4M3Bits } from './float8-e4m3.js';
import { fromFloat8E5M2Bits, toFloat8E5M2Bits } from './float8-e5m2.js';
import {
  float16ToFloat32,
  float32ToFloat16,
  fromFloat16Bits,
  roundToFloat16,
  toFloat16Bits,
} from './float16.js';
import { FORMAT_NAMES, FORMATS } from './formats.js';
import { Xoshiro128 } from './random.js';
import { fromFormatBits, toFormatBits } from './scalar.js';
import { codeOfValue, nanCodeOf, ORACLE_SPECS, oracleRound } from './test/oracle.js';
import { samplePatterns } from './test/sample.js';

const hex = (code: number) => code.toString(16);

describe('published bit patterns', () => {
  it('float16 (IEEE 754 binary16)', () => {
    expect(hex(toFloat16Bits(65504))).toBe('7bff'); // largest finite
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(hex(toFloat16Bits(2 ** -14))).toBe('400'); // smallest normal
    expect(hex(toFloat16Bits(2 ** -14 - 2 ** -24))).toBe('3ff'); // largest subnormal
    expect(hex(toFloat16Bits(1))).toBe('3c00');
    expect(hex(toFloat16Bits(-2))).toBe('c000');
    expect(hex(toFloat16Bits(1 / 3))).toBe('3555');
    expect(hex(toFloat16Bits(Math.PI))).toBe('4248');
    expect(hex(toFloat16Bits(Number.POSITIVE_INFINITY))).toBe('7c00');
    expect(hex(toFloat16Bits(Number.NEGATIVE_INFINITY))).toBe('fc00');
    expect(hex(toFloat16Bits(-0))).toBe('8000');
    expect(hex(toFloat16Bits(Number.NaN))).toBe('7e00');
    expect(hex(toFloat16Bits(65519))).toBe('7bff'); // below the halfway point to 65536
    expect(hex(toFloat16Bits(65520))).toBe('7c00'); // halfway: ties to even, overflows
    expect(toFloat16Bits(2 ** -25)).toBe(0); // halfway between 0 and 2^-24: ties to even (0)
    expect(toFloat16Bits(2 ** -25 + 2 ** -40)).toBe(1);
    expect(toFloat16Bits(3 * 2 ** -25)).toBe(2); // halfway between 1 and 2 subnormal units: to 2
    expect(hex(toFloat16Bits(1 + 2 ** -11))).toBe('3c00'); // tie, 0x3c00 even
    expect(hex(toFloat16Bits(1 + 3 * 2 ** -11))).toBe('3c02'); // tie, rounds up to even
    expect(fromFloat16Bits(0x7bff)).toBe(65504);
    expect(fromFloat16Bits(0x0001)).toBe(2 ** -24);
    expect(Object.is(fromFloat16Bits(0x8000), -0)).toBe(true);
  });

  it('bfloat16', () => {
    expect(hex(toBFloat16Bits(1 / 3))).toBe('3eab'); // 0x3eaaaaab rounds up
    expect(fromBFloat16Bits(0x3eab)).toBe(0.333984375);
    expect(hex(toBFloat16Bits(1))).toBe('3f80');
    expect(hex(toBFloat16Bits(Math.PI))).toBe('4049');
    expect(hex(toBFloat16Bits(3.3895313892515355e38))).toBe('7f7f'); // largest finite
    expect(hex(toBFloat16Bits(2 ** -133))).toBe('1'); // smallest subnormal
    expect(hex(toBFloat16Bits(2 ** -126))).toBe('80'); // smallest normal
    expect(hex(toBFloat16Bits(3.4e38))).toBe('7f80'); // overflows to infinity
    expect(hex(toBFloat16Bits(-1))).toBe('bf80');
    expect(roundToBFloat16(Math.PI)).toBe(3.140625);
  });

  it('float8 E4M3 (OCP OFP8, the fn variant)', () => {
    expect(hex(toFloat8E4M3Bits(448))).toBe('7e'); // largest finite, S.1111.110
    expect(hex(toFloat8E4M3Bits(-448))).toBe('fe');
    expect(toFloat8E4M3Bits(2 ** -9)).toBe(0x01); // smallest subnormal
    expect(toFloat8E4M3Bits(2 ** -6)).toBe(0x08); // smallest normal
    expect(hex(toFloat8E4M3Bits(0.875 * 2 ** -6))).toBe('7'); // largest subnormal
    expect(hex(toFloat8E4M3Bits(1))).toBe('38');
    expect(hex(toFloat8E4M3Bits(Number.NaN))).toBe('7f');
    expect(hex(toFloat8E4M3Bits(464))).toBe('7e'); // halfway to 480: ties to even 448
    expect(hex(toFloat8E4M3Bits(465))).toBe('7f'); // overflow: NaN (no infinity)
    expect(hex(toFloat8E4M3Bits(Number.POSITIVE_INFINITY))).toBe('7f');
    expect(hex(toFloat8E4M3Bits(Number.NEGATIVE_INFINITY))).toBe('ff');
    expect(hex(toFloat8E4M3Bits(1e9, { saturate: true }))).toBe('7e');
    expect(hex(toFloat8E4M3Bits(Number.NEGATIVE_INFINITY, { saturate: true }))).toBe('fe');
    expect(hex(toFloat8E4M3Bits(Number.NaN, { saturate: true }))).toBe('7f');
    expect(fromFloat8E4M3Bits(0x7e)).toBe(448);
    expect(fromFloat8E4M3Bits(0x77)).toBe(240); // S.1110.111: top exponent holds finite values
    expect(fromFloat8E4M3Bits(0x78)).toBe(256);
    expect(fromFloat8E4M3Bits(0x7f)).toBeNaN();
    expect(fromFloat8E4M3Bits(0xff)).toBeNaN();
  });

  it('float8 E5M2 (OCP OFP8, IEEE-like)', () => {
    expect(hex(toFloat8E5M2Bits(57344))).toBe('7b'); // largest finite
    expect(toFloat8E5M2Bits(2 ** -16)).toBe(0x01); // smallest subnormal
    expect(toFloat8E5M2Bits(2 ** -14)).toBe(0x04); // smallest normal
    expect(hex(toFloat8E5M2Bits(1))).toBe('3c');
    expect(hex(toFloat8E5M2Bits(Number.POSITIVE_INFINITY))).toBe('7c');
    expect(hex(toFloat8E5M2Bits(Number.NaN))).toBe('7e');
    expect(hex(toFloat8E5M2Bits(61439))).toBe('7b');
    expect(hex(toFloat8E5M2Bits(61440))).toBe('7c'); // halfway: ties to even, overflows
    expect(hex(toFloat8E5M2Bits(61440, { saturate: true }))).toBe('7b');
    expect(hex(toFloat8E5M2Bits(Number.POSITIVE_INFINITY, { saturate: true }))).toBe('7b');
    expect(fromFloat8E5M2Bits(0x7c)).toBe(Number.POSITIVE_INFINITY);
    expect(fromFloat8E5M2Bits(0x7d)).toBeNaN();
    expect(fromFloat8E5M2Bits(0x83)).toBe(-3 * 2 ** -16);
  });

  it('NaN payloads of float32 patterns: sign kept, quiet bit set, top payload bits kept', () => {
    const nans = new Uint32Array([
      0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00000, 0xffe00000, 0x7fffffff,
    ]);
    const src = new Float32Array(nans.buffer);
    expect(Array.from(float32ToFloat16(src), hex)).toEqual([
      '7e00',
      'fe00',
      '7e00',
      '7f00',
      'ff00',
      '7fff',
    ]);
    expect(Array.from(float32ToBFloat16(src), hex)).toEqual([
      '7fc0',
      'ffc0',
      '7fc0',
      '7fe0',
      'ffe0',
      '7fff',
    ]);
    expect(Array.from(float32ToFormat('float8e4m3', src), hex)).toEqual([
      '7f',
      'ff',
      '7f',
      '7f',
      'ff',
      '7f',
    ]);
    expect(Array.from(float32ToFormat('float8e5m2', src), hex)).toEqual([
      '7e',
      'fe',
      '7e',
      '7f',
      'ff',
      '7f',
    ]);
    const widened = new Uint32Array(
      float16ToFloat32(new Uint16Array([0x7c01, 0xfe00, 0x7fff])).buffer,
    );
    expect(Array.from(widened, hex)).toEqual(['7f802000', 'ffc00000', '7fffe000']);
    expect(hex(new Uint32Array(bfloat16ToFloat32(new Uint16Array([0xff81])).buffer)[0]!)).toBe(
      'ff810000',
    );
  });
});

describe('the format table', () => {
  for (const format of FORMAT_NAMES) {
    it(`${format} agrees with the oracle's specification`, () => {
      const f = FORMATS[format];
      const spec = ORACLE_SPECS[format];
      expect(f.maxFinite).toBe(spec.max);
      expect(f.mantissaBits + 1).toBe(spec.precision);
      expect(f.minExponent).toBe(spec.minExponent);
      expect(f.hasInfinity).toBe(spec.infinity);
      expect(f.maxFiniteBits).toBe(codeOfValue(format, spec.max));
      expect(f.nanBits).toBe(nanCodeOf(format, 0x7fc00000));
      expect(fromFormatBits(format, f.maxFiniteBits)).toBe(f.maxFinite);
      expect(fromFormatBits(format, 1)).toBe(f.minSubnormal);
      expect(fromFormatBits(format, 2 ** f.mantissaBits)).toBe(f.minNormal);
    });
  }
  it('bfloat16 max is (2 - 2^-7) * 2^127', () => {
    expect(ORACLE_SPECS.bfloat16.max).toBe((2 - 2 ** -7) * 2 ** 127);
  });
});

describe('scalar JS numbers round once, from float64', () => {
  const random = new Xoshiro128(99);
  const numbers: number[] = [];
  const view = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < 100_000; i++) {
    // Random float64 bit patterns over the whole range, and near each format's range.
    view.setUint32(0, random.nextUint32());
    view.setUint32(4, random.nextUint32());
    numbers.push(view.getFloat64(0));
    numbers.push((random.nextFloat() - 0.5) * 2 ** ((random.nextUint32() % 60) - 30));
  }
  // Double-rounding traps: just above a float16 tie, not representable in float32.
  numbers.push(
    1 + 2 ** -11 + 2 ** -40,
    1 + 2 ** -11 - 2 ** -40,
    2 ** -25 + 2 ** -60,
    65520 - 2 ** -30,
  );

  for (const format of FORMAT_NAMES) {
    it(`${format}: toFormatBits agrees with the oracle on float64 inputs`, () => {
      let bad = 0;
      for (const x of numbers) {
        const y = oracleRound(format, x);
        const expected = Number.isNaN(y)
          ? Number.isNaN(x)
            ? FORMATS[format].nanBits
            : nanCodeOf(format, x < 0 ? 0xffc00000 : 0x7fc00000)
          : codeOfValue(format, y);
        if (toFormatBits(format, x) !== expected) bad++;
      }
      expect(bad).toBe(0);
    });
  }

  it('float16 agrees with @petamoriken/float16 (f16round, setFloat16)', () => {
    const view16 = new DataView(new ArrayBuffer(2));
    let bad = 0;
    for (const x of numbers) {
      if (Number.isNaN(x)) continue;
      setFloat16(view16, 0, x);
      if (toFloat16Bits(x) !== view16.getUint16(0) || !Object.is(roundToFloat16(x), f16round(x)))
        bad++;
    }
    expect(bad).toBe(0);
    expect(toFloat16Bits(1 + 2 ** -11 + 2 ** -40)).toBe(0x3c01); // no double rounding through float32
  });
});

describe('float16 bulk conversion against @petamoriken/float16 on the seeded sample', () => {
  it('encodes and decodes every non-NaN sample value identically', () => {
    const patterns = samplePatterns(1_000_000, 7);
    const values = new Float32Array(patterns.buffer);
    const ours = float32ToFloat16(values);
    const theirs = new Uint16Array(new Float16Array(values).buffer);
    let bad = 0;
    for (let i = 0; i < values.length; i++) {
      if (Number.isNaN(values[i]!)) {
        if ((ours[i]! & 0x7fff) <= 0x7c00) bad++; // still a NaN (they canonicalise, we keep payloads)
      } else if (ours[i] !== theirs[i]) bad++;
    }
    expect(bad).toBe(0);
    const decoded = float16ToFloat32(ours);
    const view = new DataView(ours.buffer);
    let badDecode = 0;
    for (let i = 0; i < ours.length; i += 3) {
      const theirsValue = getFloat16(view, 2 * i, true);
      if (
        !Object.is(decoded[i], theirsValue) &&
        !(Number.isNaN(theirsValue) && Number.isNaN(decoded[i]!))
      )
        badDecode++;
    }
    expect(badDecode).toBe(0);
  });
});
