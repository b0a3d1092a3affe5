import { describe, expect, it } from 'vitest';
import {
  arange,
  eye,
  full,
  Generator,
  linspace,
  manualSeed,
  ones,
  rand,
  randint,
  randn,
  ShapeError,
  tensor,
  ValueError,
  zeros,
} from '../index.js';

describe('creation', () => {
  it('builds tensors from nested arrays, typed arrays and scalars', () => {
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ]).shape,
    ).toEqual([2, 2]);
    expect(tensor(5).shape).toEqual([]);
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor(new Int32Array([1, 2, 3])).dtype).toBe('int32');
    expect(tensor(new Float64Array(6), { shape: [2, 3] }).shape).toEqual([2, 3]);
    expect(tensor([1.9, -1.9], { dtype: 'int32' }).toArray()).toEqual([1, -1]);
    expect(tensor([]).shape).toEqual([0]);
  });

  it('rejects ragged arrays and wrong shapes with a ShapeError', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([[1, 2], [3]])).toThrow(
      /ragged nested array: expected 2 entries at depth 1/,
    );
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(
      /3 values do not fill shape \[2, 2\]/,
    );
    expect(() => zeros([2, -1])).toThrow(/invalid extent -1/);
    expect(() => tensor([1], { dtype: 'float8' as never })).toThrow(/unknown dtype "float8"/);
  });

  it('makes constant fills, ranges and identities', () => {
    expect(zeros([2]).toArray()).toEqual([0, 0]);
    expect(ones([1, 2]).toArray()).toEqual([[1, 1]]);
    expect(full([2], 7, { dtype: 'int32' }).toArray()).toEqual([7, 7]);
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(() => arange(0, 1, 0)).toThrow(ValueError);
  });

  it('draws the same numbers for the same seed', () => {
    manualSeed(123);
    const a = randn([50]).toArray();
    manualSeed(123);
    const b = randn([50]).toArray();
    expect(a).toEqual(b);
    const g1 = new Generator(9);
    const g2 = new Generator(9);
    expect(rand([10], { generator: g1 }).toArray()).toEqual(
      rand([10], { generator: g2 }).toArray(),
    );
    expect(rand([10], { generator: new Generator(10) }).toArray()).not.toEqual(
      rand([10], { generator: new Generator(9) }).toArray(),
    );
  });

  it('draws from the stated distributions (moments within 4 standard errors)', () => {
    const g = new Generator(1);
    const n = 100_000;
    const u = rand([n], { generator: g, dtype: 'float64' });
    expect(Math.abs(u.mean().item() - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(u.min().item()).toBeGreaterThanOrEqual(0);
    expect(u.max().item()).toBeLessThan(1);
    const z = randn([n], { generator: g, dtype: 'float64' });
    expect(Math.abs(z.mean().item())).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(z.var().item() - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    const k = randint(-3, 4, [n], { generator: g });
    expect(k.min().item()).toBe(-3);
    expect(k.max().item()).toBe(3);
    const counts = new Map<number, number>();
    for (const v of k.toTypedArray()) counts.set(v, (counts.get(v) ?? 0) + 1);
    for (const c of counts.values())
      expect(Math.abs(c - n / 7)).toBeLessThan(4 * Math.sqrt(n * (1 / 7) * (6 / 7)));
  });

  it('saves and restores generator state', () => {
    const g = new Generator(5);
    g.normal();
    const state = g.getState();
    const next = [g.normal(), g.uniform()];
    g.setState(state);
    expect([g.normal(), g.uniform()]).toEqual(next);
  });

  it('rejects NaN and infinite seeds with a ValueError naming the value', () => {
    expect(() => manualSeed(Number.NaN)).toThrow(/seed must be a finite number, got NaN/);
    expect(() => new Generator(Infinity)).toThrow(ValueError);
    expect(() => randint(3, 3, [1])).toThrow(/need integers low < high, got low 3, high 3/);
  });
});

describe('any / all', () => {
  it('reduce to bool', () => {
    const x = tensor([
      [0, 2],
      [0, 0],
    ]);
    expect(x.any(1).toArray()).toEqual([true, false]);
    expect(x.all().item()).toBe(0);
    expect(tensor([1, -1]).all().item()).toBe(1);
  });
});
