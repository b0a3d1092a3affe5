import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DistanceHeap, TopK } from './heap.js';
import { IntMap } from './int-map.js';
import { VisitedSet } from './visited-set.js';

describe('IntMap', () => {
  it('behaves like a Map under random set / delete / get sequences', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('set', 'delete', 'get'),
            fc.integer({ min: 0, max: 200 }),
            fc.integer({ min: -5, max: 1e6 }),
          ),
        ),
        (operations) => {
          const map = new IntMap(2);
          const reference = new Map<number, number>();
          for (const [kind, key, value] of operations) {
            if (kind === 'set') {
              map.set(key, Math.abs(value));
              reference.set(key, Math.abs(value));
            } else if (kind === 'delete') {
              expect(map.delete(key)).toBe(reference.get(key) ?? -1);
              reference.delete(key);
            }
            expect(map.get(key)).toBe(reference.get(key) ?? -1);
            expect(map.size).toBe(reference.size);
          }
          for (const [key, value] of reference) expect(map.get(key)).toBe(value);
        },
      ),
    );
  });
});

describe('heaps', () => {
  it('TopK keeps the k smallest keys, sorted', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 })),
        fc.integer({ min: 0, max: 20 }),
        (keys, k) => {
          const top = new TopK(k);
          keys.forEach((key, i) => top.offer(key, i));
          const outKeys = new Float64Array(k);
          const outValues = new Int32Array(k);
          const found = top.drainSorted(outKeys, outValues);
          const expected = [...keys].sort((a, b) => a - b).slice(0, k);
          expect(found).toBe(expected.length);
          // -0 and +0 compare equal, so their order among ties is free: compare them as one zero
          const zero = (x: number) => x + 0;
          expect([...outKeys.subarray(0, found)].map(zero)).toEqual(expected.map(zero));
          for (let i = 0; i < found; i++) expect(keys[outValues[i]!]).toBe(outKeys[i]);
        },
      ),
    );
  });

  it('DistanceHeap pops in order (min and max), replaceTop keeps the order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e3, max: 1e3 }), { minLength: 1 }),
        (keys) => {
          for (const kind of ['min', 'max'] as const) {
            const heap = new DistanceHeap(kind, 1);
            keys.forEach((key, i) => heap.push(key, i));
            heap.replaceTop(0, -1);
            const popped: number[] = [];
            while (heap.size > 0) {
              popped.push(heap.topKey());
              heap.pop();
            }
            const sorted = [...popped].sort((a, b) => (kind === 'min' ? a - b : b - a));
            expect(popped.map((x) => x + 0)).toEqual(sorted.map((x) => x + 0));
            expect(popped.length).toBe(keys.length);
          }
        },
      ),
    );
  });

  it('VisitedSet clears by generation, also across the 16-bit wrap', () => {
    const visited = new VisitedSet(4);
    let stale = 0;
    for (let round = 0; round < 70_000; round++) {
      visited.reset(4);
      if (visited.marks[2] === visited.generation) stale++;
      visited.marks[2] = visited.generation;
    }
    expect(stale).toBe(0);
    visited.reset(10);
    expect(visited.marks.length).toBeGreaterThanOrEqual(10);
  });
});
