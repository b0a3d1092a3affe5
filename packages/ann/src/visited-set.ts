/**
 * A visited set over slots `0..capacity)` that clears in O(1): each slot
 * stores the generation in which it was last visited, and `reset()` just
 * increments the generation (the whole array is zeroed only when the 16-bit
 * counter wraps), as hnswlib's `VisitedList` does.
 */
export class VisitedSet {
  /** Generation tag per slot. */
  marks: Uint16Array;
  /** The current generation; a slot is visited when `marks[slot] === generation`. */
  generation = 1;

  /** @param capacity - number of slots */
  constructor(capacity: number) {
    this.marks = new Uint16Array(capacity);
  }

  /** Starts a new search; grows to `capacity` slots if needed. */
  reset(capacity: number): void {
    if (capacity > this.marks.length) {
      this.marks = new Uint16Array(Math.max(capacity, this.marks.length * 2));
      this.generation = 1;
      return;
    }
    this.generation++;
    if (this.generation === 0x10000) {
      this.marks.fill(0);
      this.generation = 1;
    }
  }
}
