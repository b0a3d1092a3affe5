/**
 * Leak probe (issue 19): on every index kind, 10,000 searches (single and
 * batched, with and without a filter) after a warm-up of 1,000 retain under
 * 1 MB of JS heap and under 1 MB of buffer and WebAssembly memory; the
 * growth is printed.
 */
import { describe, expect, it } from 'vitest';
import { describeLeak, measureLeak } from '../../../scripts/test-support/leak.js';
import { INDEX_KINDS } from './__fixtures__/index-kinds.js';
import { randomVectors } from './test/helpers.js';

const BOUND = 1024 * 1024;

describe.each(INDEX_KINDS)('$name', ({ name, build }) => {
  it('10,000 searches hold heap and buffer memory flat', () => {
    const index = build(1000, 32);
    const queries = randomVectors(64, 32, 5);
    const rows = Array.from({ length: 64 }, (_, i) => queries.subarray(i * 32, (i + 1) * 32));
    const even = (id: number) => id % 2 === 0;
    const report = measureLeak(
      (i) => {
        if (i % 10 === 9) return index.searchBatch(queries.subarray(0, 4 * 32), 10);
        return index.search(rows[i % 64]!, 10, i % 4 === 0 ? { filter: even } : {});
      },
      10_000,
      1_000,
    );
    console.log(describeLeak(`${name}.search`, report));
    expect(report.heapGrowth).toBeLessThan(BOUND);
    expect(report.bufferGrowth).toBeLessThan(BOUND);
  });
});
