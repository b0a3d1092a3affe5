/**
 * HNSW neighbour selection (Malkov & Yashunin, TPAMI 2018, Algorithm 4; as
 * hnswlib's `getNeighborsByHeuristic2`): walking the candidates from the
 * nearest, a candidate is kept only if it is closer to the base vertex than
 * to every neighbour kept so far, which spreads the links over directions
 * and keeps clusters connected (Algorithm 3, the `m` closest, is the
 * `closest` option). Shapes: `count` candidates with their distances to the
 * base, sorted ascending; output `[kept, slot_1..slot_kept]`.
 * Speed: every later candidate is compared with the nearest one (always
 * kept) first, so those distances are computed up front with the four-row
 * kernel; the comparisons with the other kept neighbours also go four at a
 * time. Decisions are the same as one comparison at a time.
 */
import type { DistanceKernel } from '../distance.js';
import type { DistanceKernel4 } from '../distance-four.js';
import type { VectorStore } from '../vector-store.js';

/** Neighbour selection over the vectors of a store. */
export class NeighborSelector {
  private selectScratch = new Float64Array(256);
  private readonly fourScratch = new Float64Array(4);

  constructor(
    private readonly store: VectorStore,
    private readonly kernel: DistanceKernel,
    private readonly kernel4: DistanceKernel4,
    private readonly heuristic: boolean,
  ) {}

  /**
   * Picks at most `m` of `count` candidates sorted by distance to a base
   * vertex (Algorithm 4, hnswlib's `getNeighborsByHeuristic2`): a candidate
   * is kept only if it is closer to the base than to every kept one, which
   * spreads links over directions. With the heuristic off, the `m` closest.
   * Writes the kept slots to `out[outOffset + 1..]` and their count to `out[outOffset]`.
   */
  select(
    keys: Float64Array,
    slots: Int32Array,
    count: number,
    m: number,
    out: Int32Array,
    outOffset: number,
  ): void {
    let kept = 0;
    if (!this.heuristic || count <= m) {
      kept = Math.min(count, m);
      for (let i = 0; i < kept; i++) out[outOffset + 1 + i] = slots[i]!;
      out[outOffset] = kept;
      return;
    }
    // The nearest candidate is always kept, and every later candidate is
    // first compared with it (half of them are rejected right there), so
    // those distances are computed up front, four rows per pass.
    const first = slots[0]!;
    out[outOffset + 1] = first;
    kept = 1;
    const toFirst = this.firstDistances(first, slots, count);
    for (let i = 1; i < count && kept < m; i++) {
      const candidate = slots[i]!;
      const toBase = keys[i]!;
      if (toFirst[i]! < toBase) continue;
      if (this.closerToKept(candidate, toBase, out, outOffset + 2, kept - 1)) continue;
      out[outOffset + 1 + kept++] = candidate;
    }
    out[outOffset] = kept;
  }

  /**
   * Whether `candidate` is closer than `toBase` to one of the `count` kept
   * slots at `kept[start..]`: four at a time with the four-row kernel, the
   * rest one by one with early abandoning.
   */
  private closerToKept(
    candidate: number,
    toBase: number,
    kept: Int32Array,
    start: number,
    count: number,
  ): boolean {
    const vectors = this.store.vectors;
    const d = this.store.dimension;
    const from = candidate * d;
    const four = this.fourScratch;
    // The nearest kept neighbours reject most candidates: try the first one
    // alone (early-abandoning), then the others four at a time.
    if (count > 0 && this.kernel(vectors, from, vectors, kept[start]! * d, d, toBase) < toBase)
      return true;
    let j = 1;
    for (; j + 4 <= count; j += 4) {
      this.kernel4(
        vectors,
        from,
        vectors,
        kept[start + j]! * d,
        kept[start + j + 1]! * d,
        kept[start + j + 2]! * d,
        kept[start + j + 3]! * d,
        d,
        four,
        0,
      );
      if (four[0]! < toBase || four[1]! < toBase || four[2]! < toBase || four[3]! < toBase)
        return true;
    }
    for (; j < count; j++)
      if (this.kernel(vectors, from, vectors, kept[start + j]! * d, d, toBase) < toBase)
        return true;
    return false;
  }

  /** Distances from `first` to `slots[1..count)` (four-row kernel), in a scratch array. */
  private firstDistances(first: number, slots: Int32Array, count: number): Float64Array {
    if (this.selectScratch.length < count + 4) this.selectScratch = new Float64Array(2 * count + 4);
    const out = this.selectScratch;
    const vectors = this.store.vectors;
    const d = this.store.dimension;
    const from = first * d;
    let i = 1;
    for (; i + 4 <= count; i += 4)
      this.kernel4(
        vectors,
        from,
        vectors,
        slots[i]! * d,
        slots[i + 1]! * d,
        slots[i + 2]! * d,
        slots[i + 3]! * d,
        d,
        out,
        i,
      );
    for (; i < count; i++)
      out[i] = this.kernel(vectors, from, vectors, slots[i]! * d, d, Number.POSITIVE_INFINITY);
    return out;
  }
}
