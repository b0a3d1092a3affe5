/**
 * Searches are not re-entrant: a filter predicate that searches or changes
 * the index it filters gets a ReentrancyError at once (it used to hang HNSW,
 * whose visited set the inner search reset), on every index kind; the index
 * works normally afterwards, and searching another index inside a predicate
 * is fine.
 */
import { describe, expect, it } from 'vitest';
import { INDEX_KINDS } from './__fixtures__/index-kinds.js';
import { ReentrancyError } from './errors.js';
import { randomVectors } from './test/helpers.js';

describe.each(INDEX_KINDS)('$name', ({ name, build }) => {
  const index = build(200, 16);
  const other = build(50, 16);
  const query = randomVectors(1, 16, 9);
  const batch = randomVectors(3, 16, 10);

  it('throws ReentrancyError for a search, add or remove from inside a filter', () => {
    const inner: [string, () => unknown][] = [
      ['search', () => index.search(query, 3)],
      ['searchBatch', () => index.searchBatch(batch, 3)],
      ['add', () => index.add(10_000, query)],
      ['remove', () => index.remove(0)],
    ];
    for (const [what, call] of inner) {
      const filter = () => {
        call();
        return true;
      };
      for (const outer of [
        () => index.search(query, 5, { filter }),
        () => index.searchBatch(batch, 5, { filter }),
      ]) {
        const started = performance.now();
        let error: unknown = null;
        try {
          outer();
        } catch (caught) {
          error = caught;
        }
        expect(ReentrancyError.isInstance(error), `${what}: ${String(error)}`).toBe(true);
        expect((error as Error).message).toMatch(
          new RegExp(`^${name}\\.${what}: called from inside ${name}\\.search`),
        );
        expect(performance.now() - started).toBeLessThan(1000);
      }
    }
    expect(index.size).toBe(200);
  });

  it('works normally after the error, and a predicate may search another index', () => {
    const expected = index.search(query, 5);
    expect(expected.ids.length).toBe(5);
    const result = index.search(query, 5, {
      filter: (id) => other.search(query, 1).ids.length === 1 && id % 2 === 0,
    });
    expect([...result.ids].every((id) => id % 2 === 0)).toBe(true);
    expect(index.search(query, 5)).toEqual(expected);
  });
});
