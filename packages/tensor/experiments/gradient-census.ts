/**
 * Counting gradient values by where they land in float16 (Micikevicius et
 * al. 2018, Figure 3): a log2-magnitude histogram, and counts of values that
 * are exactly zero, flush to zero in fp16 (|g| <= 2^-25 rounds to 0), land in
 * fp16's subnormal range ([2^-24, 2^-14), 10 bits or fewer of precision),
 * are normal, or overflow (> 65504). float32 values are classified by
 * rounding them to fp16 with @x/precision (round to nearest even), so the
 * boundary cases are exact; float16 values are classified from their codes.
 */
import { float16ToFloat32, float32ToFloat16 } from '@x/precision';

/** fp16's smallest subnormal (2^-24) and smallest normal (2^-14). */
export const FLOAT16_LIMITS = { minSubnormal: 2 ** -24, minNormal: 2 ** -14, max: 65504 } as const;

/** Where values land in float16. */
export interface CensusCounts {
  total: number;
  /** Exactly zero before any rounding (float32 zeros, or fp16 zeros we cannot tell apart). */
  zero: number;
  /** Nonzero float32 values that round to zero in fp16 (float32 census only). */
  flushed: number;
  subnormal: number;
  normal: number;
  overflow: number;
}

/** A histogram of floor(log2 |g|) plus the counts above. */
export class GradientCensus {
  readonly counts: CensusCounts = {
    total: 0,
    zero: 0,
    flushed: 0,
    subnormal: 0,
    normal: 0,
    overflow: 0,
  };
  /** Nonzero values per binade: key e counts values with 2^e <= |g| < 2^(e+1). */
  readonly binades = new Map<number, number>();

  /** Adds float32 (or float64) gradient values: counted as they would land in fp16. */
  addFloat32(values: Float32Array | Float64Array): void {
    const wide = values instanceof Float32Array ? values : Float32Array.from(values);
    const codes = float32ToFloat16(wide);
    for (let i = 0; i < wide.length; i++) {
      const v = wide[i]!;
      if (v === 0) {
        this.counts.zero++;
        continue;
      }
      this.bin(v);
      const c = codes[i]! & 0x7fff;
      if (c === 0) this.counts.flushed++;
      else this.classifyCode(c);
    }
    this.counts.total += wide.length;
  }

  /** Adds float16 gradient values given as their 16-bit codes (as they actually are). */
  addFloat16Codes(codes: Uint16Array, decoded: Float32Array): void {
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]! & 0x7fff;
      if (c === 0) {
        this.counts.zero++;
        continue;
      }
      this.bin(decoded[i]!);
      this.classifyCode(c);
    }
    this.counts.total += codes.length;
  }

  /** Adds another census's counts into this one. */
  merge(other: GradientCensus): void {
    for (const key of Object.keys(this.counts) as (keyof CensusCounts)[])
      this.counts[key] += other.counts[key];
    for (const [e, n] of other.binades) this.binades.set(e, (this.binades.get(e) ?? 0) + n);
  }

  /** Fraction of all values in a class. */
  fraction(key: keyof CensusCounts): number {
    return this.counts.total === 0 ? 0 : this.counts[key] / this.counts.total;
  }

  private bin(v: number): void {
    const e = Math.floor(Math.log2(Math.abs(v)));
    this.binades.set(e, (this.binades.get(e) ?? 0) + 1);
  }

  private classifyCode(c: number): void {
    const exponent = c >> 10;
    if (exponent === 0) this.counts.subnormal++;
    else if (exponent === 31) this.counts.overflow++;
    else this.counts.normal++;
  }
}

/**
 * Counts weight updates that a float16 weight cannot absorb: a weight held in
 * fp16 (`weights` rounded to fp16) moved by a nonzero `delta` rounds back to
 * the same fp16 value (the update is under half an ulp of the weight; the
 * paper's "weight update" problem, section 3.1).
 * @param weights - the weights before the update
 * @param deltas - the updates (lr * grad), same length
 * @returns nonzero updates and how many of them are lost
 */
export function lostUpdates(
  weights: Float32Array,
  deltas: Float32Array,
): { nonzero: number; lost: number } {
  const before = float32ToFloat16(weights);
  const base = float16ToFloat32(before);
  const moved = new Float32Array(weights.length);
  for (let i = 0; i < weights.length; i++) moved[i] = base[i]! - deltas[i]!;
  const after = float32ToFloat16(moved);
  let nonzero = 0;
  let lost = 0;
  for (let i = 0; i < weights.length; i++) {
    if (deltas[i] === 0) continue;
    nonzero++;
    if (before[i] === after[i]) lost++;
  }
  return { nonzero, lost };
}
