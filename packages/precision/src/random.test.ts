import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './errors.js';
import { Xoshiro128 } from './random.js';

/** The reference algorithm of xoshiro128** (Blackman and Vigna's C code), in BigInt. */
function* referenceXoshiro(state: bigint[]) {
  const mask = 0xffffffffn;
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & mask;
  const s = state.slice();
  for (;;) {
    const result = (rotl((s[1]! * 5n) & mask, 7n) * 9n) & mask;
    const t = (s[1]! << 9n) & mask;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11n);
    yield Number(result);
  }
}

describe('Xoshiro128', () => {
  it('matches the reference algorithm from a raw state', () => {
    const state: [number, number, number, number] = [1, 2, 3, 4];
    const ours = Xoshiro128.fromState(state);
    const reference = referenceXoshiro(state.map(BigInt));
    expect(ours.nextUint32()).toBe(11520); // rotl(2 * 5, 7) * 9
    reference.next();
    let differ = 0;
    for (let i = 0; i < 10000; i++) if (ours.nextUint32() !== reference.next().value) differ++;
    expect(differ).toBe(0);
  });

  it('is deterministic per seed and saves/restores its state', () => {
    const a = new Xoshiro128(42);
    expect(a.nextUint32()).toBe(2837322924);
    const saved = a.state();
    const first = [a.nextUint32(), a.nextUint32()];
    expect([Xoshiro128.fromState(saved).nextUint32(), 0]).toEqual([first[0], 0]);
    expect(new Xoshiro128(43).nextUint32()).not.toBe(2837322924);
    expect(new Xoshiro128(2 ** 40).nextUint32()).not.toBe(new Xoshiro128(0).nextUint32());
  });

  it('produces uniform floats in [0, 1)', () => {
    const random = new Xoshiro128(1);
    let sum = 0;
    const buckets = new Array(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100000; i++) {
      const u = random.nextFloat();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      buckets[Math.floor(u * 10)]++;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / 100000 - 0.5)).toBeLessThan(0.005);
    for (const count of buckets) expect(Math.abs(count - 10000)).toBeLessThan(500);
  });

  it('rejects bad seeds and states', () => {
    expect(() => new Xoshiro128(1.5)).toThrow(InvalidArgumentError);
    expect(() => new Xoshiro128(Number.NaN)).toThrow(
      'Xoshiro128: seed must be a safe integer, got NaN',
    );
    expect(() => Xoshiro128.fromState([0, 0, 0, 0])).toThrow(InvalidArgumentError);
    expect(() => Xoshiro128.fromState([1, 2, 3] as never)).toThrow(InvalidArgumentError);
  });
});
