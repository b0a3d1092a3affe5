/**
 * The exhaustive verify script's chunk check, run on a few small chunks (the
 * full run is `npm run verify`): it must agree with the oracle and report in
 * the documented shape.
 */
import { describe, expect, it } from 'vitest';
import { type Check, checkChunk, checkName } from '../scripts/verify-chunk.js';

const checks: Check[] = [
  { format: 'float16', rounding: 'nearest-even', saturate: false },
  { format: 'bfloat16', rounding: 'nearest-even', saturate: true },
  { format: 'float8e4m3', rounding: 'nearest-even', saturate: false },
  { format: 'float8e4m3', rounding: 'nearest-even', saturate: true },
  { format: 'float8e5m2', rounding: 'toward-zero', saturate: false },
];

describe('verify chunks', () => {
  for (const base of [
    0x00000000, 0x80400000, 0x38800000, 0x43e00000, 0xc7400000, 0x7f800000, 0xff000000,
  ]) {
    it(`agrees with the oracle on patterns from 0x${base.toString(16)}`, () => {
      const result = checkChunk({
        base,
        count: 20000,
        stride: 37,
        checks,
        kernels: ['wasm', 'js'],
      });
      expect(result.mismatches).toEqual(checks.map(() => 0));
      expect(result.checked).toEqual(checks.map(() => 20000));
      expect(result.examples).toEqual([]);
    });
  }

  it('names checks as the report does', () => {
    expect(checks.map(checkName)).toEqual([
      'float16',
      'bfloat16 saturate',
      'float8e4m3',
      'float8e4m3 saturate',
      'float8e5m2 toward-zero',
    ]);
  });
});
