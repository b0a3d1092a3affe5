/**
 * Seeded pseudo-random numbers. Every random op draws from a `Generator`
 * (xoshiro128**, seeded through splitmix32), on the CPU, so the same seed
 * gives the same numbers on every backend and platform. The bit generator is
 * @x/precision's `Xoshiro128` (one implementation in the toolkit); this class
 * adds any finite number as a seed, floats, normals and integers.
 */
import { Xoshiro128, xoshiro128SeedState } from '@x/precision';
import { ValueError } from './errors.js';

/**
 * A seeded random number generator (xoshiro128**, period 2^128 - 1).
 * @example
 * const g = new Generator(42);
 * g.uniform() // 0.4565...
 */
export class Generator extends Xoshiro128 {
  private spare: number | null = null;

  /**
   * @param seed - any finite number (fractional parts and the sign are hashed in)
   * @throws ValueError when `seed` is NaN or infinite
   */
  constructor(seed: number) {
    super(0);
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
    this.restore(xoshiro128SeedState(seed));
    this.spare = null;
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

  /** The generator's state, to save and restore with `setState` (four signed 32-bit words and the cached normal or NaN). */
  getState(): number[] {
    return [...this.state().map((word) => word | 0), this.spare ?? Number.NaN];
  }

  /** Restores a state returned by `getState`. */
  setState(state: readonly number[]): void {
    if (state.length !== 5)
      throw new ValueError('Generator.setState', `expected 5 numbers, got ${state.length}`, state);
    this.restore(state.slice(0, 4).map((v) => v >>> 0) as [number, number, number, number]);
    this.spare = Number.isNaN(state[4]) ? null : state[4]!;
  }
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
