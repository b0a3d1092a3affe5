/**
 * RoPE against a direct float64 rotation of each channel pair, and its
 * defining property: q_m . k_n depends only on m - n.
 */
import { Generator, randn, type Tensor, tensor } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { AttentionShapeError, AttentionValueError } from './errors.js';
import { rope } from './rope.js';
import { maxAbsDiff } from './test/reference.js';

/** Rotates pairs (a, b) by pos * base^(-2i / r), pairing channels per `style`. */
function referenceRope(
  x: Tensor,
  positions: number[],
  style: 'half' | 'interleaved',
  r: number,
  base = 10000,
): Float64Array {
  const [B, H, N, d] = x.shape as [number, number, number, number];
  const data = x.toTypedArray();
  const out = Float64Array.from(data);
  for (let row = 0; row < B * H * N; row++) {
    const n = row % N;
    const pos =
      positions.length === N ? positions[n]! : positions[Math.floor(row / (H * N)) * N + n]!;
    for (let i = 0; i < r / 2; i++) {
      const [ia, ib] = style === 'half' ? [i, i + r / 2] : [2 * i, 2 * i + 1];
      const angle = pos * base ** ((-2 * i) / r);
      const a = data[row * d + ia]!;
      const b = data[row * d + ib]!;
      out[row * d + ia] = a * Math.cos(angle) - b * Math.sin(angle);
      out[row * d + ib] = a * Math.sin(angle) + b * Math.cos(angle);
    }
  }
  return out;
}

describe('rope', () => {
  const x = randn([2, 3, 5, 8], { dtype: 'float64', generator: new Generator(1) });
  for (const style of ['half', 'interleaved'] as const) {
    for (const r of [8, 4]) {
      it(`${style}, rotaryDim ${r}, against the direct rotation`, () => {
        const positions = [0, 3, 7, 100, 4096];
        const out = rope(x, positions, { style, rotaryDim: r });
        expect(
          maxAbsDiff(out.toTypedArray(), referenceRope(x, positions, style, r)),
        ).toBeLessThanOrEqual(1e-12);
      });
    }
  }
  it('per-sequence positions [B, N] (a tensor)', () => {
    const positions = [0, 1, 2, 3, 4, 10, 11, 12, 13, 14];
    const out = rope(x, tensor(positions, { shape: [2, 5], dtype: 'int32' }));
    expect(
      maxAbsDiff(out.toTypedArray(), referenceRope(x, positions, 'half', 8)),
    ).toBeLessThanOrEqual(1e-12);
  });
  it('q_m . k_n depends only on m - n', () => {
    const generator = new Generator(2);
    const q = randn([1, 1, 1, 16], { dtype: 'float64', generator });
    const k = randn([1, 1, 1, 16], { dtype: 'float64', generator });
    const dot = (m: number, n: number) =>
      rope(q, [m])
        .mul(rope(k, [n]))
        .sum()
        .item();
    expect(dot(7, 3)).toBeCloseTo(dot(104, 100), 10);
    expect(dot(0, 0)).toBeCloseTo(q.mul(k).sum().item(), 12);
  });
  it('validates its arguments', () => {
    expect(() => rope(x, [1, 2])).toThrow(AttentionShapeError);
    expect(() => rope(x, [0, 1, 2, 3, 4], { rotaryDim: 3 })).toThrow(
      'rope: rotaryDim must be an even integer in [2, 8], got 3',
    );
    expect(() => rope(x, [0, 1, Number.NaN, 3, 4])).toThrow(AttentionValueError);
  });
});
