/**
 * Seeded pseudo-random numbers. Every random op draws from a `Generator`
 * (xoshiro128**, seeded through splitmix32), on the CPU, so the same seed
 * gives the same numbers on every backend and platform.
 */
import { ValueError } from './errors.js';

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [state, (z ^ (z >>> 16)) >>> 0];
}

/**
 * A seeded random number generator (xoshiro128**, period 2^128 - 1).
 * @example
 * const g = new Generator(42);
 * g.uniform() // 0.4565...
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  /**
   * @param seed - any finite number (fractional parts and the sign are hashed in)
   * @throws ValueError when `seed` is NaN or infinite
   */
  constructor(seed: number) {
    this.seed(seed);
  }

  /**
   * Resets the generator to the state given by `seed`.
   * @throws ValueError when `seed` is NaN or infinite
   */
  seed(seed: number): void {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) {
      throw new ValueError('seed', `seed must be a finite number, got ${String(seed)}`, seed);
    }
    const low = seed >>> 0;
    const high = Math.floor(seed / 4294967296) >>> 0;
    const fraction = Math.floor((seed - Math.floor(seed)) * 4294967296) >>> 0;
    let state = low ^ Math.imul(high, 0x27d4eb2f) ^ Math.imul(fraction, 0x165667b1);
    let value: number;
    [state, value] = splitmix32(state);
    this.s0 = value;
    [state, value] = splitmix32(state);
    this.s1 = value;
    [state, value] = splitmix32(state);
    this.s2 = value;
    [, value] = splitmix32(state);
    this.s3 = value;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spare = null;
  }

  /** The next 32 random bits as an unsigned integer. */
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

  /** A uniform float64 in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** A standard normal float64 (Box-Muller, the second value of each pair cached). */
  normal(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [low, high). */
  integer(low: number, high: number): number {
    return low + Math.floor(this.uniform() * (high - low));
  }

  /** The generator's state, to save and restore with `setState`. */
  getState(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.spare ?? Number.NaN];
  }

  /** Restores a state returned by `getState`. */
  setState(state: readonly number[]): void {
    if (state.length !== 5)
      throw new ValueError('Generator.setState', `expected 5 numbers, got ${state.length}`, state);
    [this.s0, this.s1, this.s2, this.s3] = state.map((v) => v >>> 0) as [
      number,
      number,
      number,
      number,
    ];
    this.spare = Number.isNaN(state[4]) ? null : state[4]!;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator random ops use when none is given (seed 0 until `manualSeed`). */
export const defaultGenerator = new Generator(0);

/**
 * Reseeds the default generator, making every later random op reproducible.
 * @param seed - a finite number
 * @throws ValueError when `seed` is NaN or infinite
 * @example
 * manualSeed(1); const a = rand([2]);
 * manualSeed(1); const b = rand([2]); // same values as a
 */
export function manualSeed(seed: number): void {
  defaultGenerator.seed(seed);
}
