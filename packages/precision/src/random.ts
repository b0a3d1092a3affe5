/**
 * A small seeded pseudo-random generator for stochastic rounding:
 * xoshiro128** (Blackman and Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 2021), 128 bits of state, period 2^128 - 1, 32-bit
 * outputs, seeded through splitmix32 so that nearby seeds give unrelated
 * streams. Pure 32-bit integer arithmetic (`Math.imul`, shifts), so every
 * platform produces the same stream for the same seed.
 */
import { InvalidArgumentError } from './errors.js';

/** Anything that hands out uniformly distributed unsigned 32-bit integers. */
export interface RandomSource {
  /** The next uniformly distributed integer in `[0, 2^32)`. */
  nextUint32(): number;
}

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [state, (z ^ (z >>> 16)) >>> 0];
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * The xoshiro128** state a seed gives: the seed's low and high 32-bit words
 * (and, for a fractional seed, 32 bits of its fraction) hashed into one word,
 * expanded to four by splitmix32 (never all zeros). Integer seeds give the
 * state of `new Xoshiro128(seed)`; @x/tensor's `Generator` seeds through it
 * too, so the toolkit has one generator.
 * @param seed - a finite number
 * @returns four unsigned 32-bit words
 * @throws InvalidArgumentError when `seed` is NaN or infinite
 * @example xoshiro128SeedState(42) // the state behind new Xoshiro128(42)
 */
export function xoshiro128SeedState(seed: number): [number, number, number, number] {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new InvalidArgumentError('xoshiro128SeedState', 'seed', seed, 'a finite number');
  }
  const low = seed >>> 0;
  const high = Math.floor(seed / 4294967296) >>> 0;
  const fraction = Math.floor((seed - Math.floor(seed)) * 4294967296) >>> 0;
  let state = low ^ Math.imul(high, 0x27d4eb2f) ^ Math.imul(fraction, 0x165667b1);
  const words: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    let value: number;
    [state, value] = splitmix32(state);
    words[i] = value;
  }
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
  return words;
}

/**
 * The xoshiro128** generator.
 * @example
 * const random = new Xoshiro128(42);
 * random.nextUint32() // 2837322924 (the same on every platform)
 */
export class Xoshiro128 implements RandomSource {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /**
   * @param seed - a safe integer (negative values and values above 2^32 are hashed in)
   * @throws InvalidArgumentError when `seed` is not a safe integer
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new InvalidArgumentError('Xoshiro128', 'seed', seed, 'a safe integer');
    }
    this.restore(xoshiro128SeedState(seed));
  }

  /**
   * A generator with the given raw state (for tests against the reference C
   * code, and to restore a saved {@link Xoshiro128.state}).
   * @param state - four 32-bit words, not all zero
   * @returns the generator
   * @throws InvalidArgumentError when the state is all zeros or not four integers
   * @example Xoshiro128.fromState([1, 2, 3, 4]).nextUint32() // 11520
   */
  static fromState(state: readonly [number, number, number, number]): Xoshiro128 {
    const ok =
      Array.isArray(state) &&
      state.length === 4 &&
      state.every((word) => Number.isInteger(word) && word >= 0 && word < 2 ** 32) &&
      state.some((word) => word !== 0);
    if (!ok) {
      throw new InvalidArgumentError(
        'Xoshiro128.fromState',
        'state',
        state,
        'four unsigned 32-bit integers, not all zero',
      );
    }
    const random = new Xoshiro128(0);
    random.restore(state);
    return random;
  }

  /**
   * Replaces the state (for subclasses that seed differently, such as
   * @x/tensor's `Generator`; the words are used as given, so callers pass a
   * state that is not all zeros).
   * @param state - four 32-bit words
   */
  protected restore(state: readonly [number, number, number, number]): void {
    this.s0 = state[0] | 0;
    this.s1 = state[1] | 0;
    this.s2 = state[2] | 0;
    this.s3 = state[3] | 0;
  }

  /**
   * The current state, four unsigned 32-bit words; `Xoshiro128.fromState`
   * continues the stream from it.
   * @returns a copy of the state
   */
  state(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  /**
   * The next 32 random bits.
   * @returns an integer in `[0, 2^32)`
   */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * A uniform float in `[0, 1)` with 32 random bits.
   * @returns the number
   */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }
}
