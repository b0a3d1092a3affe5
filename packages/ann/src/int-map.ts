/**
 * A hash map from non-negative int32 keys to int32 values on two Int32Arrays
 * (open addressing, linear probing, tombstones), about 16 bytes per entry at
 * the 50 % maximum load: what the indexes use to find a vector's slot by its
 * id, with a memory cost that `memoryBytes()` can state exactly (a JS `Map`
 * costs several times more and cannot be measured).
 */

const EMPTY = -1;
const TOMBSTONE = -2;

/** Int32 to int32 hash map (keys must be >= 0). */
export class IntMap {
  private keys: Int32Array;
  private values: Int32Array;
  private mask: number;
  private used = 0;
  /** Number of live entries. */
  size = 0;

  /** @param capacity - expected number of entries */
  constructor(capacity = 16) {
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.keys = new Int32Array(slots).fill(EMPTY);
    this.values = new Int32Array(slots);
    this.mask = slots - 1;
  }

  private static hash(key: number): number {
    return Math.imul(key, 0x9e3779b1) ^ (key >>> 15);
  }

  /** The value stored for `key`, or -1. */
  get(key: number): number {
    const keys = this.keys;
    let i = IntMap.hash(key) & this.mask;
    for (;;) {
      const k = keys[i]!;
      if (k === key) return this.values[i]!;
      if (k === EMPTY) return -1;
      i = (i + 1) & this.mask;
    }
  }

  /** Whether `key` is present. */
  has(key: number): boolean {
    return this.get(key) !== -1;
  }

  /** Stores `value` for `key` (replacing any previous value). */
  set(key: number, value: number): void {
    if ((this.used + 1) * 2 > this.keys.length)
      this.rehash(
        this.size * 2 + 2 > this.keys.length / 2 ? this.keys.length * 2 : this.keys.length,
      );
    const keys = this.keys;
    let i = IntMap.hash(key) & this.mask;
    let tombstone = -1;
    for (;;) {
      const k = keys[i]!;
      if (k === key) {
        this.values[i] = value;
        return;
      }
      if (k === EMPTY) break;
      if (k === TOMBSTONE && tombstone < 0) tombstone = i;
      i = (i + 1) & this.mask;
    }
    if (tombstone >= 0) i = tombstone;
    else this.used++;
    keys[i] = key;
    this.values[i] = value;
    this.size++;
  }

  /** Removes `key`; returns its value, or -1 when absent. */
  delete(key: number): number {
    const keys = this.keys;
    let i = IntMap.hash(key) & this.mask;
    for (;;) {
      const k = keys[i]!;
      if (k === key) {
        keys[i] = TOMBSTONE;
        this.size--;
        return this.values[i]!;
      }
      if (k === EMPTY) return -1;
      i = (i + 1) & this.mask;
    }
  }

  /** Bytes held by the two tables. */
  memoryBytes(): number {
    return this.keys.byteLength + this.values.byteLength;
  }

  private rehash(slots: number): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Int32Array(slots).fill(EMPTY);
    this.values = new Int32Array(slots);
    this.mask = slots - 1;
    this.used = 0;
    this.size = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i]!;
      if (k >= 0) this.set(k, oldValues[i]!);
    }
  }
}
