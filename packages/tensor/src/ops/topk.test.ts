import { describe, expect, it } from 'vitest';
import { tensor } from '../index.js';

describe('topk', () => {
  // Both the selection path (k small against n) and the sorting path, with NaN and ties.
  const values = [3, Number.NaN, 7, 7, -1, 0, 7, 2, 5, 1, 4, 6, 8, -2, 9, 3, 3];
  const cases: [number, boolean][] = [
    [1, true],
    [2, true],
    [2, false],
    [5, true],
    [17, false],
  ];
  it.each(cases)(
    'k = %i, largest %s: NaN counts as the largest value, ties keep index order',
    (k, largest) => {
      const order = values
        .map((v, i) => ({ v, i }))
        .sort((a, b) => {
          const rank = (x: number) => (Number.isNaN(x) ? Infinity : x);
          const d = largest ? rank(b.v) - rank(a.v) : rank(a.v) - rank(b.v);
          if (Number.isNaN(a.v) && Number.isNaN(b.v)) return a.i - b.i;
          if (Number.isNaN(a.v)) return largest ? -1 : 1;
          if (Number.isNaN(b.v)) return largest ? 1 : -1;
          return d === 0 ? a.i - b.i : d;
        })
        .slice(0, k);
      const { indices } = tensor(values, { dtype: 'float64' }).topk(k, { largest });
      expect(indices.toArray()).toEqual(order.map((o) => o.i));
    },
  );
});
