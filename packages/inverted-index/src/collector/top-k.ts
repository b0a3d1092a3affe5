/**
 * A bounded min-heap of the k best (score, doc) pairs. Order: higher score
 * first, then lower doc number, so results are deterministic and pruned and
 * exhaustive search agree exactly.
 */

/**
 * Keeps the k best hits seen.
 *
 * @example
 * ```ts
 * const top = new TopK(2);
 * top.offer(1.5, 7); top.offer(0.5, 3); top.offer(2.5, 9);
 * top.results(); // [{ doc: 9, score: 2.5 }, { doc: 7, score: 1.5 }]
 * ```
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly docs: Int32Array;
  /** Hits held. */
  size = 0;

  /** @param k - how many hits to keep (at least 1) */
  constructor(readonly k: number) {
    this.scores = new Float64Array(Math.max(1, k));
    this.docs = new Int32Array(Math.max(1, k));
  }

  /** True when k hits are held, so {@link threshold} is meaningful. */
  get full(): boolean {
    return this.size === this.k;
  }

  /** The score a new hit must beat once the heap is full; -Infinity before. */
  get threshold(): number {
    return this.size === this.k ? this.scores[0]! : Number.NEGATIVE_INFINITY;
  }

  private worse(i: number, j: number): boolean {
    const a = this.scores[i]!;
    const b = this.scores[j]!;
    return a < b || (a === b && this.docs[i]! > this.docs[j]!);
  }

  private swap(i: number, j: number): void {
    const score = this.scores[i]!;
    this.scores[i] = this.scores[j]!;
    this.scores[j] = score;
    const doc = this.docs[i]!;
    this.docs[i] = this.docs[j]!;
    this.docs[j] = doc;
  }

  /**
   * Offers a hit; it is kept when it ranks among the k best so far.
   * @param score - the hit's score
   * @param doc - the hit's doc number
   */
  offer(score: number, doc: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      this.scores[i] = score;
      this.docs[i] = doc;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    const rootScore = this.scores[0]!;
    if (score < rootScore || (score === rootScore && doc > this.docs[0]!)) return;
    this.scores[0] = score;
    this.docs[0] = doc;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child = right < this.size && this.worse(right, left) ? right : left;
      if (!this.worse(child, i)) break;
      this.swap(child, i);
      i = child;
    }
  }

  /** @returns the hits, best first */
  results(): { doc: number; score: number }[] {
    const out: { doc: number; score: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ doc: this.docs[i]!, score: this.scores[i]! });
    return out.sort((a, b) => b.score - a.score || a.doc - b.doc);
  }
}
