/**
 * Binary heaps of (distance, slot) pairs on parallel typed arrays, reused
 * across searches so the hot loops allocate nothing: a max-heap for the
 * current best results (its top is the worst kept distance, the pruning
 * bound) and a min-heap for the candidates still to expand.
 */

/** A binary heap keyed by a float64 distance, holding an int32 slot. */
export class DistanceHeap {
  /** Keys (distances), heap-ordered in `[0, size)`. */
  keys: Float64Array;
  /** Values (slots), parallel to `keys`. */
  values: Int32Array;
  /** Number of entries. */
  size = 0;
  private readonly sign: number;

  /**
   * @param kind - `max` keeps the largest key on top, `min` the smallest
   * @param capacity - initial capacity (grows by doubling)
   */
  constructor(kind: 'max' | 'min', capacity = 64) {
    this.sign = kind === 'max' ? 1 : -1;
    this.keys = new Float64Array(capacity);
    this.values = new Int32Array(capacity);
  }

  /** Empties the heap (keeps the storage). */
  clear(): void {
    this.size = 0;
  }

  /** The top key (the largest for a max-heap), or NaN when empty. */
  topKey(): number {
    return this.size > 0 ? this.keys[0]! : Number.NaN;
  }

  /** The top value, or -1 when empty. */
  topValue(): number {
    return this.size > 0 ? this.values[0]! : -1;
  }

  /** Inserts a pair. */
  push(key: number, value: number): void {
    if (this.size === this.keys.length) this.grow();
    const keys = this.keys;
    const values = this.values;
    const sign = this.sign;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentKey = keys[parent]!;
      if (sign > 0 ? parentKey >= key : parentKey <= key) break;
      keys[i] = parentKey;
      values[i] = values[parent]!;
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }

  /** Removes the top pair and returns its value (call `topKey()` first for its key). */
  pop(): number {
    const keys = this.keys;
    const values = this.values;
    const top = values[0]!;
    const last = --this.size;
    if (last > 0) {
      const key = keys[last]!;
      const value = values[last]!;
      const sign = this.sign;
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= last) break;
        if (
          child + 1 < last &&
          (sign > 0 ? keys[child + 1]! > keys[child]! : keys[child + 1]! < keys[child]!)
        )
          child++;
        if (sign > 0 ? key >= keys[child]! : key <= keys[child]!) break;
        keys[i] = keys[child]!;
        values[i] = values[child]!;
        i = child;
      }
      keys[i] = key;
      values[i] = value;
    }
    return top;
  }

  /** Replaces the top pair with a new one (one sift instead of pop + push). */
  replaceTop(key: number, value: number): void {
    this.keys[0] = key;
    this.values[0] = value;
    const keys = this.keys;
    const values = this.values;
    const sign = this.sign;
    const size = this.size;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (
        child + 1 < size &&
        (sign > 0 ? keys[child + 1]! > keys[child]! : keys[child + 1]! < keys[child]!)
      )
        child++;
      if (sign > 0 ? key >= keys[child]! : key <= keys[child]!) break;
      keys[i] = keys[child]!;
      values[i] = values[child]!;
      i = child;
    }
    keys[i] = key;
    values[i] = value;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const values = new Int32Array(this.values.length * 2);
    values.set(this.values);
    this.values = values;
  }
}

/**
 * Keeps the `k` smallest (distance, value) pairs seen: a max-heap of size
 * `k`; `drainSorted` empties it into arrays, nearest first.
 */
export class TopK {
  private readonly heap: DistanceHeap;

  /** @param k - how many pairs to keep */
  constructor(readonly k: number) {
    this.heap = new DistanceHeap('max', Math.max(1, k));
  }

  /** Number of pairs kept. */
  get size(): number {
    return this.heap.size;
  }

  /** The largest kept distance once `k` pairs are kept, else Infinity. */
  bound(): number {
    return this.heap.size < this.k ? Number.POSITIVE_INFINITY : this.heap.keys[0]!;
  }

  /** Offers a pair. */
  offer(key: number, value: number): void {
    if (this.heap.size < this.k) this.heap.push(key, value);
    else if (this.k > 0 && key < this.heap.keys[0]!) this.heap.replaceTop(key, value);
  }

  /** Empties the heap into `keys` / `values` from `offset`, nearest first; returns the count. */
  drainSorted(keys: Float64Array, values: Int32Array, offset = 0): number {
    const count = this.heap.size;
    for (let i = count - 1; i >= 0; i--) {
      keys[offset + i] = this.heap.topKey();
      values[offset + i] = this.heap.pop();
    }
    return count;
  }
}
