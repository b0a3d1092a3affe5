/**
 * A cache from a word as it appears in the text to its analyzed term, keyed
 * by a hash the tokenizer computes while it scans, so a word seen before is
 * found without slicing it out of the text (no string allocated, no
 * `Map` hashing): open addressing with linear probing, compared against the
 * text in place with `startsWith`.
 */

/**
 * The hash the tokenizer computes over a token's UTF-16 units.
 * @param text - the text
 * @param start - token start
 * @param end - token end
 * @returns a 32-bit hash
 * @example
 * ```ts
 * termHash('abc', 0, 3) === termHash('xabc', 1, 4); // true
 * ```
 */
export function termHash(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

/**
 * Surface word -> analyzed term (or null for a dropped word).
 *
 * @example
 * ```ts
 * const cache = new TermCache((word) => word.toLowerCase());
 * cache.get('The Cat', 4, 7, termHash('The Cat', 4, 7)); // 'cat'
 * ```
 */
export class TermCache {
  /** Words and their terms, in insertion order (dense arrays). */
  private words: string[] = [];
  private values: (string | null)[] = [];
  /** Per slot, 1 + the entry index, or 0 when empty. */
  private slots = new Int32Array(1 << 12);
  private hashes = new Int32Array(1 << 12);
  private mask = (1 << 12) - 1;

  /**
   * @param compute - the analysis of one word
   * @param maxSize - entries kept before the cache starts over
   */
  constructor(
    private readonly compute: (word: string) => string | null,
    private readonly maxSize = 1 << 20,
  ) {}

  /**
   * @param text - the text
   * @param start - word start
   * @param end - word end
   * @param hash - termHash of the word
   * @returns the analyzed term, or null when the analysis drops the word
   */
  get(text: string, start: number, end: number, hash: number): string | null {
    const length = end - start;
    const { slots, hashes, words, mask } = this;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[slot]!;
      if (entry === 0) break;
      if (hashes[slot] === hash) {
        const word = words[entry - 1]!;
        if (word.length === length && text.startsWith(word, start)) return this.values[entry - 1]!;
      }
      slot = (slot + 1) & mask;
    }
    const word = text.slice(start, end);
    const value = this.compute(word);
    if (this.words.length >= this.maxSize) this.clear();
    else if ((this.words.length + 1) * 2 > this.slots.length) this.grow();
    this.words.push(word);
    this.values.push(value);
    this.place(this.words.length, hash);
    return value;
  }

  private place(entry: number, hash: number): void {
    let slot = hash & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = entry;
    this.hashes[slot] = hash;
  }

  private grow(): void {
    const { slots, hashes } = this;
    this.slots = new Int32Array(slots.length * 2);
    this.hashes = new Int32Array(slots.length * 2);
    this.mask = slots.length * 2 - 1;
    for (let i = 0; i < slots.length; i++) if (slots[i] !== 0) this.place(slots[i]!, hashes[i]!);
  }

  private clear(): void {
    this.words = [];
    this.values = [];
    this.slots.fill(0);
  }
}
